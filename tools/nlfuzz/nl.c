// SPDX-License-Identifier: GPL-2.0
/*
 * A raw NETLINK_GENERIC socket: every byte sent is the generator's.
 *
 * After each message comes a NOOP with NLM_F_ACK. The kernel handles a
 * socket's messages in order, so once the NOOP's ack is read every
 * answer to the message before it has been read too, except the rest of
 * a dump, which the kernel fills as we read: so a message whose answers
 * included part of a dump is read on until its NLMSG_DONE. That tells a
 * message the kernel ignored (no answer is right) from one it lost.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "nlfuzz.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

#define FZ_RCVBUF	65536

int fz_open(struct fz_sock *s, int timeout_ms)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1;

	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return -errno;
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	/* the kernel's error text, and acks without a copy of the request */
	setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	s->seq = (uint32_t)time(NULL);
	s->timeout_ms = timeout_ms;
	return 0;
}

static long fz_ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* one datagram of the iovecs */
static int fz_send(struct fz_sock *s, struct iovec *iov, size_t n,
		   char *why, size_t whylen)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct msghdr mh = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = iov, .msg_iovlen = n,
	};
	size_t i, len = 0;
	ssize_t sent;

	for (i = 0; i < n; i++)
		len += iov[i].iov_len;
	sent = sendmsg(s->fd, &mh, 0);
	if (sent == (ssize_t)len)
		return 0;
	snprintf(why, whylen, "send of %zu bytes: %s", len,
		 sent < 0 ? strerror(errno) : "short");
	return -1;
}

/*
 * The message, then the NOOP: in the same datagram when the message is
 * framed (the kernel goes on at its aligned end: one system call less
 * per message), else in a datagram of its own, after it.
 */
static int fz_send_pair(struct fz_sock *s, struct fz_msg *m,
			struct nlmsghdr *noop, char *why, size_t whylen)
{
	static const unsigned char pad[NLMSG_ALIGNTO];
	struct iovec iov[3] = {
		{ .iov_base = m->buf, .iov_len = m->len },
		{ .iov_base = (void *)pad,
		  .iov_len = NLMSG_ALIGN(m->len) - m->len },
		{ .iov_base = noop, .iov_len = noop->nlmsg_len },
	};

	if (m->framed)
		return fz_send(s, iov, 3, why, whylen);
	return fz_send(s, iov, 1, why, whylen) ||
	       fz_send(s, iov + 2, 1, why, whylen);
}

/* NLMSGERR_ATTR_MSG of an extended ack, if the kernel gave one */
static void fz_extack(const struct nlmsghdr *nlh, char *buf, size_t size)
{
	size_t off = NLMSG_HDRLEN + sizeof(struct nlmsgerr);
	const struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || !(nlh->nlmsg_flags &
						     NLM_F_CAPPED))
		return;
	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		a = (const struct nlattr *)((const char *)nlh + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > nlh->nlmsg_len)
			return;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			snprintf(buf, size, "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)a + NLA_HDRLEN);
			return;
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

/* one message that answers the request with seq */
static void fz_take(struct fz_sock *s, const struct nlmsghdr *nlh,
		    struct fz_result *res, fz_data_fn fn, void *arg,
		    char *why, size_t whylen)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	int v;

	/* after a dump's DONE, only the ack it may have asked for */
	if (res->done && (nlh->nlmsg_type != NLMSG_ERROR ||
			  nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) || e->error))
		res->n_after_done++;
	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) ||
		    e->error > 0 || e->error < -4095) {
			res->bad = true;
			snprintf(why, whylen, "malformed NLMSG_ERROR (len %u)",
				 nlh->nlmsg_len);
			return;
		}
		res->n_err++;
		res->err = e->error;
		fz_extack(nlh, res->extack, sizeof(res->extack));
		return;
	case NLMSG_DONE:
		v = 0;
		if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(v)))
			memcpy(&v, NLMSG_DATA(nlh), sizeof(v));
		if (v > 0 || v < -4095) {
			res->bad = true;
			snprintf(why, whylen, "NLMSG_DONE with error %d", v);
		}
		res->done = true;
		res->done_err = v;
		return;
	}
	res->n_data++;
	if (nlh->nlmsg_flags & NLM_F_MULTI)
		res->n_multi++;
	if (nlh->nlmsg_type != s->family)
		res->n_badtype++;
	else if (fn)
		fn(nlh, arg);
}

/* the NOOP's ack: the kernel has answered everything before it */
static bool fz_sync_ok(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);

	return nlh->nlmsg_type == NLMSG_ERROR &&
	       nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && e->error == 0;
}

/* read one datagram and account for its messages; 1 when it is all in */
static int fz_recv(struct fz_sock *s, uint32_t seq, uint32_t sync,
		   bool *synced, struct fz_result *res, fz_data_fn fn,
		   void *arg, char *why, size_t whylen)
{
	static unsigned char buf[FZ_RCVBUF] __attribute__((aligned(4)));
	const struct nlmsghdr *nlh;
	ssize_t n;
	int len;

	n = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0) {
		snprintf(why, whylen, "recv: %s", strerror(errno));
		return -1;
	}
	if ((size_t)n > sizeof(buf)) {
		snprintf(why, whylen, "an answer of %zd bytes", n);
		return -1;
	}
	len = (int)n;
	for (nlh = (void *)buf; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
		if (nlh->nlmsg_seq == sync) {
			if (!fz_sync_ok(nlh)) {
				snprintf(why, whylen, "the NOOP was not acked");
				return -1;
			}
			*synced = true;
		} else if (nlh->nlmsg_seq == seq) {
			fz_take(s, nlh, res, fn, arg, why, whylen);
		} else {
			res->n_stray++;
		}
	}
	if (len) {
		snprintf(why, whylen, "%d bytes of a broken answer", len);
		return -1;
	}
	return *synced && (!res->n_multi || res->done);
}

int fz_exchange(struct fz_sock *s, struct fz_msg *m, struct fz_result *res,
		fz_data_fn fn, void *arg, char *why, size_t whylen)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct nlmsghdr noop = {
		.nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
	};
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	uint32_t seq = ++s->seq, sync = ++s->seq;
	struct timespec deadline;
	bool synced = false;
	long left;
	int ret;

	memset(res, 0, sizeof(*res));
	if (m->len >= offsetof(struct nlmsghdr, nlmsg_seq) + sizeof(seq))
		nlh->nlmsg_seq = seq;
	noop.nlmsg_seq = sync;
	if (fz_send_pair(s, m, &noop, why, whylen))
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += s->timeout_ms / 1000;
	deadline.tv_nsec += (s->timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	for (;;) {
		ret = fz_recv(s, seq, sync, &synced, res, fn, arg, why, whylen);
		if (ret < 0)
			return -1;
		if (ret > 0)
			return res->bad ? -1 : 0;
		left = fz_ms_left(&deadline);
		ret = left > 0 ? poll(&p, 1, (int)left) : 0;
		if (!ret) {
			snprintf(why, whylen, "%s in %d ms",
				 synced ? "no NLMSG_DONE ended the dump" :
				 "no answer", s->timeout_ms);
			return -1;
		}
		if (ret < 0 && errno != EINTR) {
			snprintf(why, whylen, "poll: %s", strerror(errno));
			return -1;
		}
	}
}

const struct nlattr *fz_attr(const struct nlmsghdr *nlh, uint16_t type)
{
	size_t off = FZ_HDRLEN;
	const struct nlattr *a;

	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		a = (const struct nlattr *)((const char *)nlh + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > nlh->nlmsg_len)
			return NULL;
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		off += NLA_ALIGN(a->nla_len);
	}
	return NULL;
}

const char *fz_attr_str(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a = fz_attr(nlh, type);
	const char *s;
	size_t len;

	if (!a || a->nla_len <= NLA_HDRLEN)
		return NULL;
	s = (const char *)a + NLA_HDRLEN;
	len = a->nla_len - NLA_HDRLEN;
	return memchr(s, '\0', len) ? s : NULL;
}

/* the family id in a CTRL_CMD_NEWFAMILY answer */
static void fz_family_id(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a = fz_attr(nlh, CTRL_ATTR_FAMILY_ID);

	if (a && a->nla_len >= NLA_HDRLEN + sizeof(uint16_t))
		memcpy(arg, (const char *)a + NLA_HDRLEN, sizeof(uint16_t));
}

int fz_resolve(struct fz_sock *s, const char *name)
{
	static struct fz_msg m;
	struct fz_result res;
	uint16_t id = 0;
	char why[128];

	fz_msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK,
		    CTRL_CMD_GETFAMILY, 1, 0);
	fz_put_str(&m, CTRL_ATTR_FAMILY_NAME, name);
	fz_msg_end(&m);
	/* the kernel answers data to its own family's id */
	s->family = GENL_ID_CTRL;
	if (fz_exchange(s, &m, &res, fz_family_id, &id, why, sizeof(why))) {
		fprintf(stderr, "nlfuzz: resolving %s: %s\n", name, why);
		return -EIO;
	}
	if (res.err)
		return res.err;
	if (!id)
		return -ENOENT;
	s->family = id;
	return 0;
}
