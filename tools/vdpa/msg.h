/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink messages of the "vdpa" family: requests built from a parsed
 * command line, replies parsed into attribute tables, and the extended
 * ACK text of error messages. Pure functions of their inputs.
 */
#ifndef VDPA_MSG_H
#define VDPA_MSG_H

#include <stdbool.h>
#include <netlink/msg.h>
#include <linux/vdpa.h>

#include "args.h"

#define MSG_ATTR_MAX	(VDPA_ATTR_EXT_MAX - 1)

struct vdpa_reply {
	struct nlattr *tb[MSG_ATTR_MAX + 1];	/* the last of each type */
	struct nlattr *attrs;			/* all of them, in order */
	int len;				/* bytes at attrs */
};

/* A request for @cmd of @family, without attributes; NULL if out of memory */
struct nl_msg *msg_new(int family, uint8_t cmd, bool dump);

/* Adds all the attributes @req carries; -ENOMEM if they do not fit */
int msg_put_req(struct nl_msg *msg, const struct vdpa_req *req);

/* Validates the genetlink reply @hdr and indexes its attributes */
int msg_parse_reply(struct vdpa_reply *reply, struct nlmsghdr *hdr);

/* The kernel's message in an NLMSG_ERROR or NLMSG_DONE, or NULL */
const char *msg_extack(const struct nlmsghdr *hdr);

#endif /* VDPA_MSG_H */
