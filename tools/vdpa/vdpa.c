// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa: manages vDPA management devices and devices over the "vdpa"
 * generic netlink family, with iproute2's syntax and output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "msg.h"
#include "nlsock.h"
#include "show.h"

#ifndef VDPA_VERSION
#define VDPA_VERSION "unknown"
#endif

/* Set to 1, lets tests send values the kernel itself must refuse */
#define VDPA_ENV_NO_CHECKS "VDPA_NO_LOCAL_CHECKS"

struct vdpa_show_ctx {
	struct out *out;
	enum args_show kind;
};

static int vdpa_show_reply(const struct vdpa_reply *reply, void *arg)
{
	struct vdpa_show_ctx *ctx = arg;

	return show_reply(ctx->out, ctx->kind, reply);
}

static int vdpa_has_mode(const struct vdpa_reply *reply, void *arg)
{
	bool *has_mode = arg;

	*has_mode = reply->tb[VDPA_ATTR_EXT_DEV_MODE] != NULL;
	return 0;
}

/* Builds and sends @req, handing each reply to @fn */
static int vdpa_send(struct nlsock *ns, const struct vdpa_req *req,
		     nlsock_reply_fn fn, void *arg)
{
	struct nl_msg *msg;

	msg = msg_new(ns->family, req->cmd, req->dump);
	if (!msg || msg_put_req(msg, req)) {
		fprintf(stderr, "vdpa: out of memory\n");
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return nlsock_request(ns, msg, fn, arg);
}

/*
 * A kernel whose vdpa core is not the suite's ignores the mode attribute
 * it does not know; the device then exists, but not in the mode asked.
 */
static int vdpa_check_mode(struct nlsock *ns, const char *name)
{
	struct vdpa_req get = {
		.cmd = VDPA_CMD_DEV_GET,
		.opts = ARGS_NAME,
		.dev_name = name,
	};
	bool has_mode = false;
	int err;

	err = vdpa_send(ns, &get, vdpa_has_mode, &has_mode);
	if (err)
		return err;
	if (!has_mode) {
		fprintf(stderr, "Warning: the kernel ignored \"mode\" (its vdpa core is not the vDPA suite's)\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int vdpa_run(struct nlsock *ns, const struct vdpa_globals *g,
		    const struct vdpa_req *req)
{
	struct out out;
	struct vdpa_show_ctx ctx = { .out = &out, .kind = req->show };
	int err;

	out_init(&out, stdout, g->json, g->pretty, g->details);
	if (req->show == ARGS_SHOW_NONE) {
		err = vdpa_send(ns, req, NULL, NULL);
		if (!err && (req->opts & ARGS_MODE))
			err = vdpa_check_mode(ns, req->dev_name);
		return err;
	}
	out_section_open(&out, show_section(req->show));
	err = vdpa_send(ns, req, vdpa_show_reply, &ctx);
	out_section_close(&out);
	return err;
}

static bool vdpa_local_checks(void)
{
	const char *env = getenv(VDPA_ENV_NO_CHECKS);

	return !env || strcmp(env, "1");
}

/* Everything after the options: parse, then talk to the kernel */
static int vdpa_command(const struct vdpa_globals *g, int argc, char **argv)
{
	struct vdpa_req req;
	struct nlsock ns;
	int err;

	err = args_parse(&req, argc, argv, vdpa_local_checks(), stderr);
	if (err)
		return err;
	if (req.usage) {
		fputs(req.usage, stdout);
		return 0;
	}
	err = nlsock_open(&ns);
	if (err)
		return err;
	err = vdpa_run(&ns, g, &req);
	nlsock_close(&ns);
	return err;
}

int main(int argc, char **argv)
{
	struct vdpa_globals g;
	char **rest;
	int n, err;

	rest = calloc(argc, sizeof(*rest));
	if (!rest) {
		fprintf(stderr, "vdpa: out of memory\n");
		return EXIT_FAILURE;
	}
	n = args_globals(&g, argc - 1, argv + 1, rest, stderr);
	if (n < 0)
		err = n;
	else if (g.version)
		err = printf("vdpa utility, vdpa-suite-%s\n", VDPA_VERSION) < 0;
	else if (g.help)
		err = fputs(args_usage, stdout) < 0;
	else
		err = vdpa_command(&g, n, rest);
	free(rest);
	if (fflush(stdout))
		err = -EIO;
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}
