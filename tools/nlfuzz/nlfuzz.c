// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: a seeded, reproducible fuzzer of the generic netlink family
 * "vdpa".
 *
 *   nlfuzz -s SEED -n COUNT [-u] [-v] [-t MS]
 *   nlfuzz -s SEED -n COUNT -g
 *
 * Runs COUNT steps. Most are one hostile message (gen.c); every few
 * steps, at random, a valid operation instead: dev add, dev del or dev
 * set of a MAC address on one of the devices fz0..fz3 of vdpasim_net,
 * each checked afterwards by a get, or a dump checked to its end. So
 * devices come and go under the fuzz. The sequence depends on SEED
 * alone: a failure at step I replays with -n I+1.
 *
 * Every message must be answered within MS milliseconds (10,000), a
 * dump must end with NLMSG_DONE, and what the kernel answers must fit
 * the message (see fz_check_fuzz). With -u the fuzzer becomes uid and
 * gid 65534 before it opens its socket, and every request of an
 * administrative command must then fail with EPERM.
 *
 * At the end (as root) it deletes every device whose name starts with
 * "fz" and checks with a dump that none is left; with -u, that the
 * devices are exactly those there were at the start. It prints one line
 * of counts, or, on the first failure, what failed and how to replay it,
 * and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nlfuzz.h"

/* a valid operation every FZ_VALID_EVERY steps, on average */
#define FZ_VALID_EVERY	80
#define FZ_MAX_DEVS	4096
#define FZ_NAME_MAX	80
#define FZ_ERRNOS	4096
/* -g: the family id the messages are made for (the first dynamic one) */
#define FZ_DRY_FAMILY	(GENL_ID_CTRL + 1)

struct fz_devs {
	int n;
	char name[FZ_MAX_DEVS][FZ_NAME_MAX];
};

struct fz_run {
	struct fz_rng rng;
	struct fz_sock sock;
	struct fz_msg msg;
	uint64_t seed;
	unsigned long count;	/* steps to run */
	unsigned long step;	/* the one running */
	bool user;
	bool verbose;
	struct fz_devs before;	/* -u: the devices at the start */
	/* outcomes of the fuzzed messages */
	unsigned long ok, errors, dumps, silent;
	unsigned long errnos[FZ_ERRNOS];
	/* whole requests of each command, and those that succeeded */
	unsigned long cmd_sent[FZ_CMD_LAST + 2], cmd_ok[FZ_CMD_LAST + 2];
	/* of the valid operations */
	unsigned long added, deleted, valid;
};

/*
 * A valid operation, drawn whole before it runs: what it does never
 * depends on what the kernel answered to the ones before.
 */
enum fz_op { FZ_OP_ADD, FZ_OP_DEL, FZ_OP_SET, FZ_OP_SWEEP, FZ_OP_DUMP };

struct fz_plan {
	enum fz_op op;
	char name[8];		/* add, del, set: one of fz0..fz3 */
	uint8_t mode;		/* add: 0 (the default), virtio or vhost */
	bool with_mac;		/* add: with a MAC address */
	uint8_t mac[6];		/* add, set */
	uint8_t dump;		/* dump: the command */
	bool ack;		/* dump: with NLM_F_ACK */
};

static void __attribute__((noreturn)) fz_usage(void)
{
	fprintf(stderr,
		"usage: nlfuzz -s SEED -n COUNT [-u] [-v] [-t MS]\n"
		"       nlfuzz -s SEED -n COUNT -g\n"
		"  -u  as uid/gid 65534: administrative commands must get EPERM\n"
		"  -v  one line per message\n"
		"  -g  print the steps, hashed, and send nothing\n"
		"  -t  how long to wait for an answer, in ms (10000)\n");
	exit(2);
}

static void __attribute__((noreturn, format(printf, 2, 3)))
fz_fail(struct fz_run *run, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "nlfuzz: FAILED at message %lu of seed %" PRIu64 ": ",
		run->step, run->seed);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	/* a failure after the last step is in the final checks */
	fprintf(stderr, "\nnlfuzz: replay: nlfuzz -s %" PRIu64 " -n %lu%s\n",
		run->seed, run->step < run->count ? run->step + 1 : run->count,
		run->user ? " -u" : "");
	exit(1);
}

static const char *fz_cmd_name(int cmd)
{
	static const char *const names[] = {
		[VDPA_CMD_UNSPEC] = "unspec",
		[VDPA_CMD_MGMTDEV_NEW] = "mgmtdev-new",
		[VDPA_CMD_MGMTDEV_GET] = "mgmtdev-get",
		[VDPA_CMD_DEV_NEW] = "dev-new",
		[VDPA_CMD_DEV_DEL] = "dev-del",
		[VDPA_CMD_DEV_GET] = "dev-get",
		[VDPA_CMD_DEV_CONFIG_GET] = "config-get",
		[VDPA_CMD_DEV_VSTATS_GET] = "vstats-get",
		[VDPA_CMD_DEV_ATTR_SET] = "attr-set",
	};

	if (cmd < 0)
		return "-";
	if (cmd <= FZ_CMD_LAST)
		return names[cmd];
	return "unknown";
}

/* the family's administrative commands (GENL_ADMIN_PERM, as upstream) */
static bool fz_admin(int cmd)
{
	return cmd == VDPA_CMD_DEV_NEW || cmd == VDPA_CMD_DEV_DEL ||
	       cmd == VDPA_CMD_DEV_VSTATS_GET || cmd == VDPA_CMD_DEV_ATTR_SET;
}

/* commands the family has a handler for, and those that can dump */
static bool fz_known_cmd(int cmd)
{
	return cmd >= VDPA_CMD_MGMTDEV_GET && cmd <= FZ_CMD_LAST;
}

static bool fz_can_dump(int cmd)
{
	return cmd == VDPA_CMD_MGMTDEV_GET || cmd == VDPA_CMD_DEV_GET ||
	       cmd == VDPA_CMD_DEV_CONFIG_GET;
}

static bool fz_is_dump(uint16_t flags)
{
	return (flags & NLM_F_DUMP) == NLM_F_DUMP;
}

/*
 * The family validates the headers of its commands from DEV_ATTR_SET
 * on (resv_start_op, as upstream): genlmsghdr.reserved must be 0 and
 * nlmsg_flags hold only REQUEST, ACK, ECHO and DUMP. Anything else is
 * refused with EINVAL, before the permission check.
 */
static bool fz_hdr_refused(const struct fz_msg *m)
{
	uint16_t flags = m->flags;

	if (m->cmd < VDPA_CMD_DEV_ATTR_SET)
		return false;
	if (fz_is_dump(flags))
		flags &= ~NLM_F_DUMP;
	return m->reserved ||
	       (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO));
}

static const char *fz_errname(int err)
{
	static char buf[16];

	switch (err) {
	case 0:
		return "ok";
	case EPERM:
		return "EPERM";
	case ENOENT:
		return "ENOENT";
	case EINVAL:
		return "EINVAL";
	case ENODEV:
		return "ENODEV";
	case EEXIST:
		return "EEXIST";
	case ERANGE:
		return "ERANGE";
	case EOPNOTSUPP:
		return "EOPNOTSUPP";
	case EMSGSIZE:
		return "EMSGSIZE";
	case EAGAIN:
		return "EAGAIN";
	case ENOMEM:
		return "ENOMEM";
	case EBUSY:
		return "EBUSY";
	case ENAMETOOLONG:
		return "ENAMETOOLONG";
	}
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

static void fz_exchange_or_fail(struct fz_run *run, struct fz_result *res,
				fz_data_fn fn, void *arg)
{
	char why[160];

	if (fz_exchange(&run->sock, &run->msg, res, fn, arg, why, sizeof(why)))
		fz_fail(run, "%s (cmd %s, flags 0x%x, %zu bytes%s%s)", why,
			fz_cmd_name(run->msg.cmd), run->msg.flags, run->msg.len,
			run->msg.shape[0] ? ", " : "", run->msg.shape);
}

/* Fuzzed messages */

static bool fz_succeeded(const struct fz_result *res)
{
	return (res->n_err && !res->err) || res->n_data ||
	       (res->done && !res->done_err);
}

/*
 * What the answers to a fuzzed message must be. Messages with a lying
 * nlmsg_len only must not hang or succeed where they cannot; for the
 * others the kernel's rules are known: a request is answered once, with
 * an ack if asked for one and always on error; an unknown command, or a
 * dump of a command that cannot dump, fails; and without CAP_NET_ADMIN
 * an administrative command fails with EPERM.
 */
static void fz_check_fuzz(struct fz_run *run, const struct fz_result *res)
{
	const struct fz_msg *m = &run->msg;
	bool ours = m->type == run->sock.family && m->cmd >= 0 &&
		    (m->flags & NLM_F_REQUEST);
	bool dump = fz_is_dump(m->flags);

	if (res->n_badtype)
		fz_fail(run, "%d answers not of the vdpa family", res->n_badtype);
	if (ours && fz_admin(m->cmd) && run->user && fz_succeeded(res))
		fz_fail(run, "unprivileged %s succeeded", fz_cmd_name(m->cmd));
	if (ours && (!fz_known_cmd(m->cmd) || (dump && !fz_can_dump(m->cmd))) &&
	    fz_succeeded(res))
		fz_fail(run, "%s%s succeeded", fz_cmd_name(m->cmd),
			dump ? " as a dump" : "");
	if (!m->framed)
		return;
	if (res->n_stray)
		fz_fail(run, "%d answers with another sequence number",
			res->n_stray);
	if (res->n_err > 1 || res->n_after_done)
		fz_fail(run, "answered more than once (%d errors/acks, %d after its DONE)",
			res->n_err, res->n_after_done);
	if ((m->flags & NLM_F_ACK) && !res->n_err && !res->done)
		fz_fail(run, "no ack");
	if (res->n_multi && !res->done)
		fz_fail(run, "a dump without NLMSG_DONE");
	if (ours && fz_hdr_refused(m) && (res->n_err != 1 || res->err != -EINVAL))
		fz_fail(run, "%s with reserved bits set: want EINVAL, got %s",
			fz_cmd_name(m->cmd), res->n_err ?
			fz_errname(-res->err) : "no error");
	/*
	 * Unprivileged, a whole request of an administrative command. A
	 * dump of one is refused before the permission check on newer
	 * kernels (EOPNOTSUPP): not in this rule.
	 */
	if (ours && run->user && fz_admin(m->cmd) && !dump &&
	    !fz_hdr_refused(m) && (res->n_err != 1 || res->err != -EPERM))
		fz_fail(run, "unprivileged %s: want EPERM, got %s",
			fz_cmd_name(m->cmd), res->n_err ?
			fz_errname(-res->err) : "no error");
}

/* a framed request is answered when it fails: silence is success */
static void fz_count_cmd(struct fz_run *run, const struct fz_result *res)
{
	const struct fz_msg *m = &run->msg;
	int i = m->cmd > FZ_CMD_LAST ? FZ_CMD_LAST + 1 : m->cmd;

	if (!m->framed || m->cmd < 0 || m->type != run->sock.family ||
	    !(m->flags & NLM_F_REQUEST))
		return;
	run->cmd_sent[i]++;
	if (!(res->n_err && res->err) && !(res->done && res->done_err))
		run->cmd_ok[i]++;
}

static void fz_count(struct fz_run *run, const struct fz_result *res)
{
	int err = 0;

	if (res->done && res->done_err)
		err = -res->done_err;
	else if (res->done)
		run->dumps++;
	else if (res->n_err && res->err)
		err = -res->err;
	else if (res->n_err || res->n_data)
		run->ok++;
	else
		run->silent++;
	if (err) {
		run->errors++;
		run->errnos[err < FZ_ERRNOS ? err : 0]++;
	}
	fz_count_cmd(run, res);
}

/* -v: what the kernel answered, in a word or two */
static const char *fz_outcome(const struct fz_result *res)
{
	static char buf[32];

	if (res->done)
		snprintf(buf, sizeof(buf), "dump %s",
			 fz_errname(-res->done_err));
	else if (res->n_err)
		return fz_errname(-res->err);
	else
		return res->n_data ? "data" : "no answer";
	return buf;
}

static void fz_fuzz_one(struct fz_run *run)
{
	const struct fz_msg *m = &run->msg;
	struct fz_result res;

	fz_exchange_or_fail(run, &res, NULL, NULL);
	if (run->verbose)
		printf("%lu: fuzz %s flags 0x%x type %u len %zu %s: %s%s%s\n",
		       run->step, fz_cmd_name(m->cmd), m->flags, m->type,
		       m->len, m->shape, fz_outcome(&res),
		       res.extack[0] ? ": " : "", res.extack);
	fz_check_fuzz(run, &res);
	fz_count(run, &res);
}

/* Valid operations */

static void fz_request(struct fz_run *run, uint8_t cmd, uint16_t flags)
{
	fz_msg_init(&run->msg, run->sock.family, NLM_F_REQUEST | flags, cmd,
		    VDPA_GENL_VERSION, 0);
}

struct fz_get {
	const char *name;	/* the device asked for */
	int n;			/* replies naming it */
	int mode;		/* -1: no mode attribute */
	bool has_mac;
	uint8_t mac[6];
	char mgmt[FZ_NAME_MAX];
};

static void fz_get_reply(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a;
	struct fz_get *g = arg;
	const char *s;

	s = fz_attr_str(nlh, VDPA_ATTR_DEV_NAME);
	if (!s || strcmp(s, g->name))
		return;
	g->n++;
	s = fz_attr_str(nlh, VDPA_ATTR_MGMTDEV_DEV_NAME);
	snprintf(g->mgmt, sizeof(g->mgmt), "%s", s ? s : "");
	a = fz_attr(nlh, VDPA_ATTR_EXT_DEV_MODE);
	g->mode = a && a->nla_len == NLA_HDRLEN + 1 ?
		  *((const uint8_t *)a + NLA_HDRLEN) : -1;
	a = fz_attr(nlh, VDPA_ATTR_DEV_NET_CFG_MACADDR);
	g->has_mac = a && a->nla_len == NLA_HDRLEN + 6;
	if (g->has_mac)
		memcpy(g->mac, (const uint8_t *)a + NLA_HDRLEN, 6);
}

/* a get (dev or config) of one device: its reply, or the error */
static int fz_get(struct fz_run *run, uint8_t cmd, const char *name,
		  struct fz_get *g)
{
	struct fz_result res;

	memset(g, 0, sizeof(*g));
	g->name = name;
	fz_request(run, cmd, NLM_F_ACK);
	fz_put_str(&run->msg, VDPA_ATTR_DEV_NAME, name);
	fz_msg_end(&run->msg);
	fz_exchange_or_fail(run, &res, fz_get_reply, g);
	if (res.n_err != 1)
		fz_fail(run, "get of %s: %d acks", name, res.n_err);
	if (!res.err && g->n != 1)
		fz_fail(run, "get of %s: %d replies naming it", name, g->n);
	if (res.err && res.n_data)
		fz_fail(run, "get of %s: data and error %s", name,
			fz_errname(-res.err));
	return res.err;
}

/* one request, acked; its error */
static int fz_ask(struct fz_run *run, const char *what)
{
	struct fz_result res;

	fz_msg_end(&run->msg);
	fz_exchange_or_fail(run, &res, NULL, NULL);
	if (res.n_err != 1 || res.n_data)
		fz_fail(run, "%s: %d acks and %d replies", what, res.n_err,
			res.n_data);
	if (run->verbose)
		printf("%lu: %s: %s%s%s\n", run->step, what,
		       fz_errname(-res.err), res.extack[0] ? ": " : "",
		       res.extack);
	if (run->user && res.err != -EPERM)
		fz_fail(run, "unprivileged %s: want EPERM, got %s", what,
			fz_errname(-res.err));
	return res.err;
}

static void fz_want(struct fz_run *run, const char *what, int err, int ok1,
		    int ok2)
{
	if (err != ok1 && err != ok2)
		fz_fail(run, "%s: got %s", what, fz_errname(-err));
}

static void fz_valid_add(struct fz_run *run, const struct fz_plan *p)
{
	const char *name = p->name;
	bool with_mac = p->with_mac;
	const uint8_t *mac = p->mac;
	int mode = p->mode;
	char what[64];
	struct fz_get g;
	int err;

	fz_request(run, VDPA_CMD_DEV_NEW, NLM_F_ACK);
	fz_put_str(&run->msg, VDPA_ATTR_DEV_NAME, name);
	fz_put_str(&run->msg, VDPA_ATTR_MGMTDEV_DEV_NAME, FZ_MGMTDEV);
	if (mode)
		fz_put_u8(&run->msg, VDPA_ATTR_EXT_DEV_MODE, (uint8_t)mode);
	if (with_mac)
		fz_put(&run->msg, VDPA_ATTR_DEV_NET_CFG_MACADDR, mac, 6);
	snprintf(what, sizeof(what), "dev add %s%s%s", name,
		 mode ? (mode == VDPA_DEV_MODE_VHOST ? " vhost" : " virtio") : "",
		 with_mac ? " mac" : "");
	err = fz_ask(run, what);
	if (run->user)
		return;
	fz_want(run, what, err, 0, -EEXIST);
	if (err)
		return;
	run->added++;
	/* it is there, of the right parent, in the mode asked for */
	err = fz_get(run, VDPA_CMD_DEV_GET, name, &g);
	if (err)
		fz_fail(run, "%s succeeded, then its get: %s", what,
			fz_errname(-err));
	if (strcmp(g.mgmt, FZ_MGMTDEV))
		fz_fail(run, "%s: its mgmtdev is '%s'", what, g.mgmt);
	if (mode && g.mode != mode)
		fz_fail(run, "%s: its mode is %d", what, g.mode);
	if (!with_mac)
		return;
	err = fz_get(run, VDPA_CMD_DEV_CONFIG_GET, name, &g);
	if (err || !g.has_mac || memcmp(g.mac, mac, 6))
		fz_fail(run, "%s: config get %s, %s MAC", what,
			fz_errname(-err), g.has_mac ? "another" : "no");
}

static void fz_valid_del(struct fz_run *run, const char *name)
{
	char what[64];
	struct fz_get g;
	int err;

	fz_request(run, VDPA_CMD_DEV_DEL, NLM_F_ACK);
	fz_put_str(&run->msg, VDPA_ATTR_DEV_NAME, name);
	snprintf(what, sizeof(what), "dev del %s", name);
	err = fz_ask(run, what);
	if (run->user)
		return;
	fz_want(run, what, err, 0, -ENODEV);
	if (err)
		return;
	run->deleted++;
	err = fz_get(run, VDPA_CMD_DEV_GET, name, &g);
	if (err != -ENODEV)
		fz_fail(run, "%s succeeded, then its get: %s", what,
			fz_errname(-err));
}

static void fz_valid_set(struct fz_run *run, const struct fz_plan *p)
{
	const char *name = p->name;
	const uint8_t *mac = p->mac;
	char what[64];
	struct fz_get g;
	int err;

	fz_request(run, VDPA_CMD_DEV_ATTR_SET, NLM_F_ACK);
	fz_put_str(&run->msg, VDPA_ATTR_DEV_NAME, name);
	fz_put(&run->msg, VDPA_ATTR_DEV_NET_CFG_MACADDR, mac, 6);
	snprintf(what, sizeof(what), "dev set %s mac", name);
	err = fz_ask(run, what);
	if (run->user)
		return;
	fz_want(run, what, err, 0, -ENODEV);
	if (err)
		return;
	/* a device made by the fuzz may lack VIRTIO_NET_F_MAC: no MAC then */
	err = fz_get(run, VDPA_CMD_DEV_CONFIG_GET, name, &g);
	if (err || (g.has_mac && memcmp(g.mac, mac, 6)))
		fz_fail(run, "%s succeeded, then config get: %s%s", what,
			fz_errname(-err), err ? "" : ", another MAC");
}

struct fz_dump {
	uint8_t cmd;
	int entries;
	bool named;		/* every entry names itself */
	bool mgmtdev_seen;	/* the simulator is among the mgmtdevs */
	struct fz_devs *devs;	/* device names, if wanted */
};

static void fz_dump_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct fz_dump *d = arg;
	const char *s;

	d->entries++;
	s = fz_attr_str(nlh, d->cmd == VDPA_CMD_MGMTDEV_GET ?
			VDPA_ATTR_MGMTDEV_DEV_NAME : VDPA_ATTR_DEV_NAME);
	if (!s) {
		d->named = false;
		return;
	}
	if (d->cmd == VDPA_CMD_MGMTDEV_GET && !strcmp(s, FZ_MGMTDEV))
		d->mgmtdev_seen = true;
	if (d->devs && d->devs->n < FZ_MAX_DEVS)
		snprintf(d->devs->name[d->devs->n++], FZ_NAME_MAX, "%s", s);
}

/* a dump of cmd to its NLMSG_DONE, every entry named */
static void fz_valid_dump(struct fz_run *run, uint8_t cmd, bool ack,
			  struct fz_devs *devs)
{
	struct fz_dump d = { .cmd = cmd, .named = true, .devs = devs };
	struct fz_result res;

	if (devs)
		devs->n = 0;
	fz_request(run, cmd, NLM_F_DUMP | (ack ? NLM_F_ACK : 0));
	fz_msg_end(&run->msg);
	fz_exchange_or_fail(run, &res, fz_dump_reply, &d);
	if (run->verbose)
		printf("%lu: dump %s: %d entries, %s\n", run->step,
		       fz_cmd_name(cmd), d.entries, fz_errname(-res.done_err));
	if (!res.done || res.done_err || res.n_err > 1 || res.err)
		fz_fail(run, "dump %s: %s, error %s", fz_cmd_name(cmd),
			res.done ? "done" : "no NLMSG_DONE",
			fz_errname(-(res.done_err ? res.done_err : res.err)));
	if (!d.named)
		fz_fail(run, "dump %s: an entry without its name",
			fz_cmd_name(cmd));
	if (cmd == VDPA_CMD_MGMTDEV_GET && !d.mgmtdev_seen)
		fz_fail(run, "dump %s: no %s", fz_cmd_name(cmd), FZ_MGMTDEV);
	if (devs && devs->n == FZ_MAX_DEVS)
		fz_fail(run, "dump %s: %d devices or more", fz_cmd_name(cmd),
			FZ_MAX_DEVS);
}

static bool fz_ours(const char *name)
{
	return !strncmp(name, FZ_PREFIX, strlen(FZ_PREFIX));
}

static bool fz_has(const struct fz_devs *devs, const char *name)
{
	int i;

	for (i = 0; i < devs->n; i++)
		if (!strcmp(devs->name[i], name))
			return true;
	return false;
}

/* one of fz0..fz3, the names of the valid operations */
static bool fz_named(const char *name)
{
	return fz_ours(name) && name[2] >= '0' && name[2] < '0' + FZ_NAMES &&
	       !name[3];
}

/*
 * Delete the fz* devices (all, or those the fuzz made with other names,
 * which would pile up: every dump would fill more); how many.
 */
static unsigned long fz_sweep(struct fz_run *run, bool all)
{
	static struct fz_devs devs;
	unsigned long n = 0;
	char what[FZ_NAME_MAX + 16];
	int i, err;

	fz_valid_dump(run, VDPA_CMD_DEV_GET, false, &devs);
	for (i = 0; i < devs.n; i++) {
		if (!fz_ours(devs.name[i]) || (!all && fz_named(devs.name[i])))
			continue;
		fz_request(run, VDPA_CMD_DEV_DEL, NLM_F_ACK);
		fz_put_str(&run->msg, VDPA_ATTR_DEV_NAME, devs.name[i]);
		snprintf(what, sizeof(what), "dev del %s", devs.name[i]);
		err = fz_ask(run, what);
		if (run->user)
			continue;
		if (err)
			fz_fail(run, "%s: %s", what, fz_errname(-err));
		n++;
	}
	return n;
}

/* as root: delete every fz* device, and see that none is left */
static unsigned long fz_cleanup(struct fz_run *run)
{
	static struct fz_devs devs;
	unsigned long n = fz_sweep(run, true);
	int i;

	fz_valid_dump(run, VDPA_CMD_DEV_GET, false, &devs);
	for (i = 0; i < devs.n; i++)
		if (fz_ours(devs.name[i]))
			fz_fail(run, "cleanup: %s is still there", devs.name[i]);
	return n;
}

/* every value is drawn, whatever the operation */
static void fz_plan(struct fz_rng *r, struct fz_plan *p)
{
	static const uint8_t dumps[] = {
		VDPA_CMD_DEV_GET, VDPA_CMD_MGMTDEV_GET, VDPA_CMD_DEV_CONFIG_GET,
	};
	unsigned int v = fz_below(r, 100);

	if (v < 35)
		p->op = FZ_OP_ADD;
	else if (v < 60)
		p->op = FZ_OP_DEL;
	else if (v < 75)
		p->op = FZ_OP_SET;
	else if (v < 80)
		p->op = FZ_OP_SWEEP;
	else
		p->op = FZ_OP_DUMP;
	snprintf(p->name, sizeof(p->name), FZ_PREFIX "%u",
		 fz_below(r, FZ_NAMES));
	p->mode = (uint8_t)fz_below(r, 3);
	p->with_mac = fz_chance(r, 50);
	fz_gen_mac(r, p->mac);
	p->dump = dumps[fz_below(r, 3)];
	p->ack = fz_chance(r, 50);
}

static void fz_valid_one(struct fz_run *run, const struct fz_plan *p)
{
	run->valid++;
	switch (p->op) {
	case FZ_OP_ADD:
		fz_valid_add(run, p);
		break;
	case FZ_OP_DEL:
		fz_valid_del(run, p->name);
		break;
	case FZ_OP_SET:
		fz_valid_set(run, p);
		break;
	case FZ_OP_SWEEP:
		run->deleted += fz_sweep(run, false);
		break;
	case FZ_OP_DUMP:
		fz_valid_dump(run, p->dump, p->ack, NULL);
		break;
	}
}

/*
 * -g: a step as it would be sent: a hash of a fuzzed message's bytes, or
 * the valid operation. Two runs of a seed print the same, and -n N the
 * first N lines of any longer run: what replaying relies on.
 */
static void fz_print_plan(const struct fz_run *run, const struct fz_plan *p)
{
	static const char *const ops[] = {
		[FZ_OP_ADD] = "add", [FZ_OP_DEL] = "del", [FZ_OP_SET] = "set",
		[FZ_OP_SWEEP] = "sweep", [FZ_OP_DUMP] = "dump",
	};

	printf("%lu valid %s %s mode %u%s %s%s\n", run->step, ops[p->op],
	       p->name, p->mode, p->with_mac ? " mac" : "",
	       fz_cmd_name(p->dump), p->ack ? " ack" : "");
}

static void fz_print_msg(const struct fz_run *run)
{
	const struct fz_msg *m = &run->msg;
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < m->len; i++)
		h = (h ^ m->buf[i]) * 0x100000001b3ULL;
	printf("%lu fuzz %016" PRIx64 " len %zu type %u flags 0x%x cmd %s %s\n",
	       run->step, h, m->len, m->type, m->flags, fz_cmd_name(m->cmd),
	       m->shape);
}

/* the steps: fuzzed messages, and every few a valid operation */
static void fz_steps(struct fz_run *run, bool dry)
{
	unsigned long next_valid = fz_below(&run->rng, 2 * FZ_VALID_EVERY);
	struct fz_plan p;

	for (run->step = 0; run->step < run->count; run->step++) {
		if (run->step == next_valid) {
			fz_plan(&run->rng, &p);
			next_valid += 1 + fz_below(&run->rng,
						   2 * FZ_VALID_EVERY);
			if (dry)
				fz_print_plan(run, &p);
			else
				fz_valid_one(run, &p);
			continue;
		}
		fz_gen(&run->rng, &run->msg, run->sock.family);
		if (dry)
			fz_print_msg(run);
		else
			fz_fuzz_one(run);
	}
}

/* The end */

/* -u: the same devices as at the start, none more, none less */
static void fz_unchanged(struct fz_run *run)
{
	static struct fz_devs now;
	int i;

	fz_valid_dump(run, VDPA_CMD_DEV_GET, false, &now);
	for (i = 0; i < now.n; i++)
		if (!fz_has(&run->before, now.name[i]))
			fz_fail(run, "unprivileged: device %s appeared",
				now.name[i]);
	for (i = 0; i < run->before.n; i++)
		if (!fz_has(&now, run->before.name[i]))
			fz_fail(run, "unprivileged: device %s vanished",
				run->before.name[i]);
}

/* "EINVAL 123, EOPNOTSUPP 45, ..." the four most frequent */
static void fz_top_errnos(const struct fz_run *run, char *buf, size_t size)
{
	bool used[FZ_ERRNOS] = { false };
	size_t len = 0;
	int i, k, best;

	buf[0] = '\0';
	for (k = 0; k < 4; k++) {
		best = -1;
		for (i = 0; i < FZ_ERRNOS; i++)
			if (run->errnos[i] && !used[i] &&
			    (best < 0 || run->errnos[i] > run->errnos[best]))
				best = i;
		if (best < 0)
			break;
		used[best] = true;
		len += snprintf(buf + len, size - len, "%s%s %lu",
				k ? ", " : "", fz_errname(best),
				run->errnos[best]);
		if (len >= size)
			break;
	}
}

/* "by command (ok/sent): dev-new 12/345, ..." */
static void fz_print_cmds(const struct fz_run *run)
{
	int i;

	printf("nlfuzz: by command (ok/sent):");
	for (i = 0; i <= FZ_CMD_LAST + 1; i++)
		printf("%s %s %lu/%lu", i ? "," : "", fz_cmd_name(i),
		       run->cmd_ok[i], run->cmd_sent[i]);
	printf("\n");
}

static void fz_drop_privileges(void)
{
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		perror("nlfuzz: dropping privileges");
		exit(2);
	}
	/* and there is no way back */
	if (setuid(0) == 0) {
		fprintf(stderr, "nlfuzz: still root after setuid(65534)\n");
		exit(2);
	}
}

static unsigned long fz_number(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || !*s || *end)
		fz_usage();
	return v;
}

int main(int argc, char **argv)
{
	static struct fz_run run;
	unsigned long cleaned = 0;
	bool have_seed = false, have_count = false, dry = false;
	int timeout_ms = 10000, c, err;
	char top[160];

	while ((c = getopt(argc, argv, "s:n:uvt:g")) != -1) {
		switch (c) {
		case 's':
			run.seed = fz_number(optarg);
			have_seed = true;
			break;
		case 'n':
			run.count = fz_number(optarg);
			have_count = true;
			break;
		case 'u':
			run.user = true;
			break;
		case 'v':
			run.verbose = true;
			break;
		case 't':
			timeout_ms = (int)fz_number(optarg);
			break;
		case 'g':
			dry = true;
			break;
		default:
			fz_usage();
		}
	}
	if (!have_seed || !have_count || optind != argc || timeout_ms <= 0)
		fz_usage();
	if (dry) {
		fz_seed(&run.rng, run.seed);
		run.sock.family = FZ_DRY_FAMILY;
		fz_steps(&run, true);
		return 0;
	}
	if (run.user)
		fz_drop_privileges();
	err = fz_open(&run.sock, timeout_ms);
	if (!err)
		err = fz_resolve(&run.sock, VDPA_GENL_NAME);
	if (err) {
		fprintf(stderr, "nlfuzz: the %s family: %s\n", VDPA_GENL_NAME,
			strerror(-err));
		return 2;
	}
	fz_seed(&run.rng, run.seed);
	if (run.user)
		fz_valid_dump(&run, VDPA_CMD_DEV_GET, false, &run.before);
	fz_steps(&run, false);
	if (run.user)
		fz_unchanged(&run);
	else
		cleaned = fz_cleanup(&run);
	fz_top_errnos(&run, top, sizeof(top));
	printf("nlfuzz: seed %" PRIu64 ": %lu messages: %lu ok, %lu errors (%s), %lu dumps, %lu unanswered, %lu valid operations, %lu/%lu devices added/deleted (%lu at the end)\n",
	       run.seed, run.count, run.ok, run.errors, top, run.dumps,
	       run.silent, run.valid, run.added, run.deleted + cleaned,
	       cleaned);
	fz_print_cmds(&run);
	return 0;
}
