/* SPDX-License-Identifier: GPL-2.0 */
/* The generic netlink socket to the "vdpa" family, and its request cycle */
#ifndef VDPA_NLSOCK_H
#define VDPA_NLSOCK_H

#include <netlink/msg.h>

#include "msg.h"

struct nlsock {
	struct nl_sock *sk;
	int family;		/* the "vdpa" family's id */
};

/* Called for each reply; a negative return marks the request failed */
typedef int (*nlsock_reply_fn)(const struct vdpa_reply *reply, void *arg);

/* Connects and resolves the family; says why on stderr if it cannot */
int nlsock_open(struct nlsock *ns);
void nlsock_close(struct nlsock *ns);

/*
 * Sends @msg (and frees it, whatever happens), then hands each reply to
 * @fn until the kernel acknowledges, finishes the dump or refuses. A
 * refusal is reported on stderr with the kernel's message. Returns 0 or
 * a negative errno.
 */
int nlsock_request(struct nlsock *ns, struct nl_msg *msg, nlsock_reply_fn fn,
		   void *arg);

#endif /* VDPA_NLSOCK_H */
