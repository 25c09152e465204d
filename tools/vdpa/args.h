/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command line parsing: words in, one request out. Nothing here touches
 * netlink, so every command can be checked without a kernel.
 */
#ifndef VDPA_ARGS_H
#define VDPA_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The arguments a request carries, a bit each */
#define ARGS_DEV	(1u << 0)	/* DEV, a positional device name */
#define ARGS_MGMTDEV_H	(1u << 1)	/* MGMTDEV, positional */
#define ARGS_NAME	(1u << 2)	/* name NAME */
#define ARGS_MGMTDEV	(1u << 3)	/* mgmtdev MGMTDEV */
#define ARGS_MAC	(1u << 4)
#define ARGS_MTU	(1u << 5)
#define ARGS_MAX_VQP	(1u << 6)
#define ARGS_FEATURES	(1u << 7)	/* device_features */
#define ARGS_MODE	(1u << 8)
#define ARGS_QIDX	(1u << 9)

/* Without local checks a MAC address may have up to this many bytes */
#define ARGS_MAC_MAX	32

enum args_show {
	ARGS_SHOW_NONE,
	ARGS_SHOW_MGMTDEV,
	ARGS_SHOW_DEV,
	ARGS_SHOW_CONFIG,
	ARGS_SHOW_VSTATS,
};

struct vdpa_req {
	const char *usage;	/* help asked for: print it, send nothing */
	uint8_t cmd;		/* VDPA_CMD_* */
	enum args_show show;	/* how to print the replies */
	bool dump;
	unsigned int opts;	/* ARGS_* given */
	const char *dev_name;
	const char *mgmtdev;	/* "[BUS/]NAME" */
	size_t bus_len;		/* length of BUS, 0 without one */
	uint8_t mac[ARGS_MAC_MAX];
	size_t mac_len;
	uint16_t mtu;
	uint16_t max_vqp;
	uint64_t features;
	uint8_t mode;
	uint32_t qidx;
};

struct vdpa_globals {
	bool json;
	bool pretty;
	bool details;
	bool version;
	bool help;
};

extern const char args_usage[];

/*
 * Takes the options (-j, --json, ...) from anywhere before "--", as GNU
 * getopt does for iproute2, and copies the other words to @rest, which
 * has room for @argc. Returns how many words are in @rest, or -EINVAL.
 */
int args_globals(struct vdpa_globals *g, int argc, char *const *argv,
		 char **rest, FILE *err);

/*
 * Parses "OBJECT COMMAND ARGS..." into @req. With @checks false the values
 * of mac, mtu, max_vqp and mode are only checked to be encodable, so that
 * tests can hand the kernel what it must refuse. Errors go to @err.
 */
int args_parse(struct vdpa_req *req, int argc, char *const *argv,
	       bool checks, FILE *err);

#endif /* VDPA_ARGS_H */
