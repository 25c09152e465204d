/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nlfuzz: a seeded fuzzer of the generic netlink family "vdpa".
 *
 * gen.c makes the messages (and owns the PRNG), nl.c sends one and
 * collects everything the kernel answers to it, nlfuzz.c decides what
 * the answers must be.
 */
#ifndef NLFUZZ_H
#define NLFUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vdpa.h>

/* the last command of enum vdpa_command (the uAPI has no VDPA_CMD_MAX) */
#define FZ_CMD_LAST	VDPA_CMD_DEV_ATTR_SET
/* the largest message made, headers included */
#define FZ_MSG_MAX	16384
/* device names the fuzzer owns: "fz0".."fz3", and "fz" + garbage */
#define FZ_NAMES	4
#define FZ_PREFIX	"fz"
#define FZ_MGMTDEV	"vdpasim_net"
#define FZ_HDRLEN	(NLMSG_HDRLEN + GENL_HDRLEN)

/* xorshift64*, seeded through splitmix64: the seed is the only input */
struct fz_rng {
	uint64_t s;
};

void fz_seed(struct fz_rng *r, uint64_t seed);
uint64_t fz_next(struct fz_rng *r);
/* uniform in 0..n-1; n > 0 */
uint32_t fz_below(struct fz_rng *r, uint32_t n);
/* true with probability pct in 100 */
bool fz_chance(struct fz_rng *r, unsigned int pct);

/* One message as sent, and what the generator knows about its shape. */
struct fz_msg {
	unsigned char buf[FZ_MSG_MAX] __attribute__((aligned(4)));
	size_t len;
	uint16_t type;		/* nlmsg_type */
	uint16_t flags;		/* nlmsg_flags */
	int cmd;		/* genl command, -1 without a whole genl header */
	uint16_t reserved;	/* genlmsghdr.reserved */
	/* nlmsg_len is the length sent: the kernel sees one message */
	bool framed;
	char shape[96];		/* what was done to it, for -v and failures */
};

/* building: headers, attributes (false when there is no room) */
void fz_msg_init(struct fz_msg *m, uint16_t type, uint16_t flags,
		 uint8_t cmd, uint8_t version, uint16_t reserved);
bool fz_put(struct fz_msg *m, uint16_t type, const void *data, size_t len);
bool fz_put_str(struct fz_msg *m, uint16_t type, const char *s);
bool fz_put_u8(struct fz_msg *m, uint16_t type, uint8_t v);
bool fz_put_u16(struct fz_msg *m, uint16_t type, uint16_t v);
bool fz_put_u32(struct fz_msg *m, uint16_t type, uint32_t v);
bool fz_put_u64(struct fz_msg *m, uint16_t type, uint64_t v);
/* sets nlmsg_len to the length built so far */
void fz_msg_end(struct fz_msg *m);

/* one random message for the family with id family */
void fz_gen(struct fz_rng *r, struct fz_msg *m, uint16_t family);
/* a random valid unicast, locally administered MAC address */
void fz_gen_mac(struct fz_rng *r, uint8_t mac[6]);

struct fz_sock {
	int fd;
	uint32_t seq;
	uint16_t family;
	int timeout_ms;		/* for each message's answers */
};

/* Everything the kernel answered to one message. */
struct fz_result {
	int n_err;		/* NLMSG_ERROR messages (acks included) */
	int err;		/* the last one's error: 0 or a negative errno */
	int n_data;		/* other messages of the request's seq */
	int n_multi;		/* of those, parts of a dump */
	int n_badtype;		/* of those, not of the family */
	bool done;		/* NLMSG_DONE seen */
	int done_err;		/* its error: 0 or a negative errno */
	int n_after_done;	/* answers after its DONE, but for an ack */
	int n_stray;		/* answers with a sequence number not ours */
	bool bad;		/* a malformed answer: see why */
	char extack[128];	/* the kernel's text, if any */
};

/* called for each data message answering the request */
typedef void (*fz_data_fn)(const struct nlmsghdr *nlh, void *arg);

int fz_open(struct fz_sock *s, int timeout_ms);
/* resolve a family id through CTRL_CMD_GETFAMILY; 0 or -errno */
int fz_resolve(struct fz_sock *s, const char *name);
/*
 * Send m (its sequence number patched in), then a NOOP that the kernel
 * acknowledges, and read until both are answered (a dump: until its
 * NLMSG_DONE). 0, or -1 with why filled: a timeout, a socket error.
 */
int fz_exchange(struct fz_sock *s, struct fz_msg *m, struct fz_result *res,
		fz_data_fn fn, void *arg, char *why, size_t whylen);

/* attribute access in a reply: the first of type, or NULL */
const struct nlattr *fz_attr(const struct nlmsghdr *nlh, uint16_t type);
/* a NUL-terminated string attribute's value, or NULL */
const char *fz_attr_str(const struct nlmsghdr *nlh, uint16_t type);

#endif /* NLFUZZ_H */
