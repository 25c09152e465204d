// SPDX-License-Identifier: GPL-2.0
/*
 * Socket setup (connect, extended ACKs, family) and one request cycle
 * whose callbacks all write to one result. libnl 3.7 does not show the
 * kernel's extended ACK text, so the error callback does.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "nlsock.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

struct nlsock_result {
	nlsock_reply_fn fn;
	void *arg;
	int err;		/* the first failure, a negative errno */
	bool from_kernel;	/* err is the kernel's answer */
	bool done;		/* acknowledged, finished or refused */
};

/* Without extended ACKs (kernels before 4.12) errors just lack text */
static void nlsock_ext_ack(struct nl_sock *sk)
{
	int one = 1;

	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
}

int nlsock_open(struct nlsock *ns)
{
	int err;

	ns->sk = nl_socket_alloc();
	if (!ns->sk) {
		fprintf(stderr, "vdpa: out of memory\n");
		return -ENOMEM;
	}
	err = genl_connect(ns->sk);
	if (err) {
		fprintf(stderr,
			"vdpa: cannot open a generic netlink socket: %s\n",
			nl_geterror(err));
		err = -EIO;
		goto err_socket;
	}
	nlsock_ext_ack(ns->sk);
	ns->family = genl_ctrl_resolve(ns->sk, VDPA_GENL_NAME);
	if (ns->family == -NLE_OBJ_NOTFOUND) {
		fprintf(stderr, "vdpa: the \"vdpa\" generic netlink family is not available (is the vdpa module loaded?)\n");
		err = -ENOENT;
		goto err_socket;
	}
	if (ns->family < 0) {
		fprintf(stderr,
			"vdpa: cannot resolve the \"vdpa\" generic netlink family: %s\n",
			nl_geterror(ns->family));
		err = -EIO;
		goto err_socket;
	}
	return 0;

err_socket:
	nl_socket_free(ns->sk);
	ns->sk = NULL;
	return err;
}

void nlsock_close(struct nlsock *ns)
{
	nl_socket_free(ns->sk);
	ns->sk = NULL;
}

static void nlsock_fail(struct nlsock_result *res, int err, bool from_kernel)
{
	if (res->err)
		return;
	res->err = err;
	res->from_kernel = from_kernel;
}

/* The kernel's text, ended with a full stop as iproute2 prints it */
static void nlsock_say(const char *prefix, const char *text)
{
	size_t len = strlen(text);

	fprintf(stderr, "%s: %s%s\n", prefix, text,
		len && text[len - 1] == '.' ? "" : ".");
}

/* A refusal in an NLMSG_ERROR or NLMSG_DONE: its text, then stop */
static int nlsock_refused(struct nlsock_result *res,
			  const struct nlmsghdr *hdr, int err)
{
	const char *text = msg_extack(hdr);

	if (text)
		nlsock_say("Error", text);
	nlsock_fail(res, err, true);
	res->done = true;
	return NL_STOP;
}

static int nlsock_valid(struct nl_msg *msg, void *arg)
{
	struct nlsock_result *res = arg;
	struct vdpa_reply reply;
	int err;

	err = msg_parse_reply(&reply, nlmsg_hdr(msg));
	if (!err && res->fn)
		err = res->fn(&reply, res->arg);
	if (err) {
		if (!res->err)
			fprintf(stderr, "vdpa: the kernel's reply is malformed\n");
		nlsock_fail(res, err, false);
	}
	return NL_OK;
}

/* NLMSG_DONE ends a dump; a failed dump puts the errno in it */
static int nlsock_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct nlsock_result *res = arg;
	int err = 0;

	if (nlmsg_datalen(hdr) >= (int)sizeof(err))
		memcpy(&err, nlmsg_data(hdr), sizeof(err));
	if (err < 0)
		return nlsock_refused(res, hdr, err);
	res->done = true;
	return NL_STOP;
}

/* Success; the kernel may still have a warning for us */
static int nlsock_ack(struct nl_msg *msg, void *arg)
{
	const char *text = msg_extack(nlmsg_hdr(msg));
	struct nlsock_result *res = arg;

	if (text)
		nlsock_say("Warning", text);
	res->done = true;
	return NL_STOP;
}

static int nlsock_error(struct sockaddr_nl *nla, struct nlmsgerr *e,
			void *arg)
{
	/* libnl hands over the payload; the header is just before it */
	const struct nlmsghdr *hdr = (void *)((char *)e - NLMSG_HDRLEN);

	(void)nla;
	return nlsock_refused(arg, hdr, e->error);
}

static struct nl_cb *nlsock_callbacks(struct nlsock_result *res)
{
	struct nl_cb *cb;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, nlsock_valid, res);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, nlsock_finish, res);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, nlsock_ack, res);
	nl_cb_err(cb, NL_CB_CUSTOM, nlsock_error, res);
	return cb;
}

static void nlsock_receive(struct nlsock *ns, struct nl_cb *cb,
			   struct nlsock_result *res)
{
	int err;

	while (!res->done) {
		err = nl_recvmsgs(ns->sk, cb);
		if (err < 0 && !res->done) {
			fprintf(stderr, "vdpa: netlink: %s\n", nl_geterror(err));
			nlsock_fail(res, -EIO, false);
			return;
		}
	}
}

int nlsock_request(struct nlsock *ns, struct nl_msg *msg, nlsock_reply_fn fn,
		   void *arg)
{
	struct nlsock_result res = { .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	cb = nlsock_callbacks(&res);
	if (!cb) {
		fprintf(stderr, "vdpa: out of memory\n");
		err = -ENOMEM;
		goto err_callbacks;
	}
	err = nl_send_auto(ns->sk, msg);
	if (err < 0) {
		fprintf(stderr, "vdpa: netlink: %s\n", nl_geterror(err));
		err = -EIO;
		goto err_send;
	}
	nlsock_receive(ns, cb, &res);
	if (res.from_kernel)
		fprintf(stderr, "kernel answers: %s\n", strerror(-res.err));
	err = res.err;

err_send:
	nl_cb_put(cb);
err_callbacks:
	nlmsg_free(msg);
	return err;
}
