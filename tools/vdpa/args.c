// SPDX-License-Identifier: GPL-2.0
/*
 * The command tree (object, command, arguments), each level with its own
 * help, and a declarative table of arguments: every command names the
 * arguments it requires and those it accepts; one table says how each is
 * parsed and how a message names it. Keywords are whole words only.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/vdpa.h>

#include "args.h"

#define ARGS_LABEL_MAX	32	/* "Option \"device_features\"" fits */
#define ARGS_MTU_MIN	68	/* the kernel's Ethernet minimum */

const char args_usage[] =
	"Usage: vdpa [ OPTIONS ] OBJECT { COMMAND | help }\n"
	"where  OBJECT := { mgmtdev | dev }\n"
	"       OPTIONS := { -j | --json | -p | --pretty | -d | --details |\n"
	"                    -V | --version | -h | --help }\n";

static const char args_usage_mgmtdev[] =
	"Usage: vdpa mgmtdev show [ MGMTDEV ]\n"
	"       vdpa mgmtdev help\n"
	"where  MGMTDEV := [ BUS/ ]NAME\n";

static const char args_usage_dev[] =
	"Usage: vdpa dev show [ DEV ]\n"
	"       vdpa dev add name NAME mgmtdev MGMTDEV [ mac MACADDR ] [ mtu MTU ]\n"
	"                    [ max_vqp MAX_VQ_PAIRS ] [ device_features FEATURES ]\n"
	"                    [ mode { virtio | vhost } ]\n"
	"       vdpa dev del DEV\n"
	"       vdpa dev set name NAME mac MACADDR\n"
	"       vdpa dev config COMMAND\n"
	"       vdpa dev vstats COMMAND\n"
	"       vdpa dev help\n"
	"where  MGMTDEV := [ BUS/ ]NAME\n"
	"       FEATURES := a hexadecimal mask of virtio feature bits\n";

static const char args_usage_config[] =
	"Usage: vdpa dev config show [ DEV ]\n"
	"       vdpa dev config help\n";

static const char args_usage_vstats[] =
	"Usage: vdpa dev vstats show DEV qidx QUEUE_INDEX\n"
	"       vdpa dev vstats help\n";

struct args_ctx {
	FILE *err;
	bool checks;		/* local validation of values */
	const char *label;	/* names the argument in messages */
};

typedef int (*args_value_fn)(struct vdpa_req *req, const char *arg,
			     const struct args_ctx *ctx);

struct args_opt {
	unsigned int bit;
	const char *word;	/* the keyword, or the positional's name */
	bool positional;
	args_value_fn parse;
};

struct args_cmd {
	uint8_t cmd;
	enum args_show show;
	unsigned int handle;	/* the positional argument, or 0 */
	unsigned int required;
	unsigned int optional;
};

struct args_level;

struct args_word {
	const char *word;
	const struct args_level *level;	/* a deeper level, or */
	const struct args_cmd *cmd;	/* a command */
};

struct args_level {
	const char *kind;		/* "Object" or "Command" */
	const char *usage;
	const struct args_cmd *bare;	/* what no word means */
	bool bare_help;			/* else no word asks for help */
	const struct args_word *words;
};

static int args_bad(const struct args_ctx *ctx, const char *arg,
		    const char *expected)
{
	fprintf(ctx->err, "%s: \"%s\" is not %s\n", ctx->label, arg, expected);
	return -EINVAL;
}

/* A whole number in @base (16 takes an optional 0x) within min..max */
static int args_number(const struct args_ctx *ctx, const char *arg, int base,
		       uint64_t min, uint64_t max, uint64_t *val)
{
	unsigned char first = arg[0];
	unsigned long long v;
	bool valid;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, base);
	/* strtoull would take spaces and signs first */
	valid = (base == 16 ? isxdigit(first) : isdigit(first)) && !errno &&
		!*end;
	if (base == 16 && !valid)
		return args_bad(ctx, arg, "a 64-bit hexadecimal number");
	if (!valid || v < min || v > max) {
		fprintf(ctx->err, "%s: \"%s\" is not a number from %" PRIu64
			" to %" PRIu64 "\n", ctx->label, arg, min, max);
		return -EINVAL;
	}
	*val = v;
	return 0;
}

static int args_name(struct vdpa_req *req, const char *arg,
		     const struct args_ctx *ctx)
{
	if (!*arg)
		return args_bad(ctx, arg, "a device name");
	req->dev_name = arg;
	return 0;
}

static int args_mgmtdev(struct vdpa_req *req, const char *arg,
			const struct args_ctx *ctx)
{
	const char *slash = strchr(arg, '/');

	if (!*arg || slash == arg || (slash && !slash[1]))
		return args_bad(ctx, arg, "a management device [BUS/]NAME");
	req->mgmtdev = arg;
	req->bus_len = slash ? (size_t)(slash - arg) : 0;
	return 0;
}

static int args_hex_digit(char c)
{
	return isdigit((unsigned char)c) ? c - '0' :
	       tolower((unsigned char)c) - 'a' + 10;
}

/* "h[h]:h[h]:..." into at most @max bytes; returns the count or -1 */
static int args_mac_bytes(const char *s, uint8_t *mac, size_t max)
{
	size_t n = 0;
	int digits;

	if (!*s)
		return 0;
	for (;;) {
		if (n == max || !isxdigit((unsigned char)*s))
			return -1;
		mac[n] = 0;
		for (digits = 0; digits < 2 && isxdigit((unsigned char)*s);
		     digits++)
			mac[n] = mac[n] * 16 + args_hex_digit(*s++);
		n++;
		if (!*s)
			return n;
		if (*s++ != ':')
			return -1;
	}
}

static int args_mac(struct vdpa_req *req, const char *arg,
		    const struct args_ctx *ctx)
{
	int n = args_mac_bytes(arg, req->mac, ARGS_MAC_MAX);

	if (n < 0 || (ctx->checks && n != ETH_ALEN))
		return args_bad(ctx, arg,
				"a MAC address like 00:11:22:33:44:55");
	req->mac_len = n;
	return 0;
}

static int args_u16(const struct args_ctx *ctx, const char *arg,
		    uint64_t min, uint16_t *val)
{
	uint64_t v = 0;
	int err;

	err = args_number(ctx, arg, 10, min, UINT16_MAX, &v);
	*val = v;
	return err;
}

static int args_mtu(struct vdpa_req *req, const char *arg,
		    const struct args_ctx *ctx)
{
	return args_u16(ctx, arg, ctx->checks ? ARGS_MTU_MIN : 0, &req->mtu);
}

static int args_max_vqp(struct vdpa_req *req, const char *arg,
			const struct args_ctx *ctx)
{
	return args_u16(ctx, arg, ctx->checks ? 1 : 0, &req->max_vqp);
}

static int args_features(struct vdpa_req *req, const char *arg,
			 const struct args_ctx *ctx)
{
	return args_number(ctx, arg, 16, 0, UINT64_MAX, &req->features);
}

static int args_qidx(struct vdpa_req *req, const char *arg,
		     const struct args_ctx *ctx)
{
	uint64_t v = 0;
	int err;

	err = args_number(ctx, arg, 10, 0, UINT32_MAX, &v);
	req->qidx = v;
	return err;
}

/* Without local checks any number from 0 to 255 goes to the kernel */
static int args_mode(struct vdpa_req *req, const char *arg,
		     const struct args_ctx *ctx)
{
	uint64_t v = 0;
	int err;

	if (!strcmp(arg, "virtio")) {
		req->mode = VDPA_DEV_MODE_VIRTIO;
		return 0;
	}
	if (!strcmp(arg, "vhost")) {
		req->mode = VDPA_DEV_MODE_VHOST;
		return 0;
	}
	if (ctx->checks || !isdigit((unsigned char)arg[0]))
		return args_bad(ctx, arg, "a mode (virtio or vhost)");
	err = args_number(ctx, arg, 10, 0, UINT8_MAX, &v);
	req->mode = v;
	return err;
}

static const struct args_opt args_opts[] = {
	{ ARGS_DEV,	  "DEV",	     true,  args_name },
	{ ARGS_MGMTDEV_H, "MGMTDEV",	     true,  args_mgmtdev },
	{ ARGS_NAME,	  "name",	     false, args_name },
	{ ARGS_MGMTDEV,	  "mgmtdev",	     false, args_mgmtdev },
	{ ARGS_MAC,	  "mac",	     false, args_mac },
	{ ARGS_MTU,	  "mtu",	     false, args_mtu },
	{ ARGS_MAX_VQP,	  "max_vqp",	     false, args_max_vqp },
	{ ARGS_FEATURES,  "device_features", false, args_features },
	{ ARGS_MODE,	  "mode",	     false, args_mode },
	{ ARGS_QIDX,	  "qidx",	     false, args_qidx },
};

#define ARGS_NR_OPTS	(sizeof(args_opts) / sizeof(args_opts[0]))

static const struct args_opt *args_opt_by_bit(unsigned int bit)
{
	size_t i;

	for (i = 0; i < ARGS_NR_OPTS; i++)
		if (args_opts[i].bit == bit)
			return &args_opts[i];
	return NULL;
}

/* The keyword @word among the arguments @allowed */
static const struct args_opt *args_opt_by_word(const char *word,
					       unsigned int allowed)
{
	size_t i;

	for (i = 0; i < ARGS_NR_OPTS; i++)
		if (!args_opts[i].positional &&
		    (args_opts[i].bit & allowed) &&
		    !strcmp(args_opts[i].word, word))
			return &args_opts[i];
	return NULL;
}

/* How messages name @opt: Option "mtu", Argument DEV */
static const char *args_label(const struct args_opt *opt, char *buf,
			      size_t size)
{
	snprintf(buf, size, opt->positional ? "Argument %s" : "Option \"%s\"",
		 opt->word);
	return buf;
}

static int args_value(struct vdpa_req *req, const struct args_opt *opt,
		      const char *arg, bool checks, FILE *err)
{
	char label[ARGS_LABEL_MAX];
	struct args_ctx ctx = {
		.err = err,
		.checks = checks,
		.label = args_label(opt, label, sizeof(label)),
	};

	if (req->opts & opt->bit) {
		fprintf(err, "%s is given twice\n", ctx.label);
		return -EINVAL;
	}
	req->opts |= opt->bit;
	return opt->parse(req, arg, &ctx);
}

static int args_missing(const struct vdpa_req *req, unsigned int required,
			FILE *err)
{
	unsigned int missing = required & ~req->opts;
	char label[ARGS_LABEL_MAX];

	if (!missing)
		return 0;
	/* the lowest bit first: a positional DEV before any keyword */
	fprintf(err, "%s is mandatory\n",
		args_label(args_opt_by_bit(missing & -missing), label,
			   sizeof(label)));
	return -EINVAL;
}

static int args_cmd(struct vdpa_req *req, const struct args_cmd *c,
		    int argc, char *const *argv, bool checks, FILE *err)
{
	const struct args_opt *opt;
	int ret;

	req->cmd = c->cmd;
	req->show = c->show;
	if (c->handle && argc) {
		ret = args_value(req, args_opt_by_bit(c->handle), argv[0],
				 checks, err);
		if (ret)
			return ret;
		argc--;
		argv++;
	}
	for (; argc; argc -= 2, argv += 2) {
		opt = args_opt_by_word(argv[0], c->required | c->optional);
		if (!opt) {
			fprintf(err, "Unknown option \"%s\"\n", argv[0]);
			return -EINVAL;
		}
		if (argc < 2) {
			fprintf(err, "Option \"%s\" needs a value\n", opt->word);
			return -EINVAL;
		}
		ret = args_value(req, opt, argv[1], checks, err);
		if (ret)
			return ret;
	}
	req->dump = c->show != ARGS_SHOW_NONE && !(req->opts & c->handle);
	return args_missing(req, c->required, err);
}

/* A command: what it sends, how replies print, the arguments it takes */
#define ARGS_CMD(name, cmd, show, handle, required, optional)		\
	static const struct args_cmd name = {				\
		cmd, show, handle, required, optional			\
	}

ARGS_CMD(args_mgmtdev_show, VDPA_CMD_MGMTDEV_GET, ARGS_SHOW_MGMTDEV,
	 ARGS_MGMTDEV_H, 0, ARGS_MGMTDEV_H);
ARGS_CMD(args_dev_show, VDPA_CMD_DEV_GET, ARGS_SHOW_DEV, ARGS_DEV, 0,
	 ARGS_DEV);
ARGS_CMD(args_dev_add, VDPA_CMD_DEV_NEW, ARGS_SHOW_NONE, 0,
	 ARGS_NAME | ARGS_MGMTDEV,
	 ARGS_MAC | ARGS_MTU | ARGS_MAX_VQP | ARGS_FEATURES | ARGS_MODE);
ARGS_CMD(args_dev_del, VDPA_CMD_DEV_DEL, ARGS_SHOW_NONE, ARGS_DEV, ARGS_DEV,
	 0);
ARGS_CMD(args_dev_set, VDPA_CMD_DEV_ATTR_SET, ARGS_SHOW_NONE, 0,
	 ARGS_NAME | ARGS_MAC, 0);
ARGS_CMD(args_config_show, VDPA_CMD_DEV_CONFIG_GET, ARGS_SHOW_CONFIG,
	 ARGS_DEV, 0, ARGS_DEV);
ARGS_CMD(args_vstats_show, VDPA_CMD_DEV_VSTATS_GET, ARGS_SHOW_VSTATS,
	 ARGS_DEV, ARGS_DEV | ARGS_QIDX, 0);

static const struct args_level args_config = {
	.kind = "Command",
	.usage = args_usage_config,
	.bare = &args_config_show,
	.words = (const struct args_word[]) {
		{ "show", NULL, &args_config_show },
		{ NULL }
	},
};

static const struct args_level args_vstats = {
	.kind = "Command",
	.usage = args_usage_vstats,
	.words = (const struct args_word[]) {
		{ "show", NULL, &args_vstats_show },
		{ NULL }
	},
};

static const struct args_level args_dev = {
	.kind = "Command",
	.usage = args_usage_dev,
	.bare = &args_dev_show,
	.words = (const struct args_word[]) {
		{ "show", NULL, &args_dev_show },
		{ "list", NULL, &args_dev_show },
		{ "add", NULL, &args_dev_add },
		{ "del", NULL, &args_dev_del },
		{ "set", NULL, &args_dev_set },
		{ "config", &args_config, NULL },
		{ "vstats", &args_vstats, NULL },
		{ NULL }
	},
};

static const struct args_level args_mgmtdev_level = {
	.kind = "Command",
	.usage = args_usage_mgmtdev,
	.bare = &args_mgmtdev_show,
	.words = (const struct args_word[]) {
		{ "show", NULL, &args_mgmtdev_show },
		{ "list", NULL, &args_mgmtdev_show },
		{ NULL }
	},
};

static const struct args_level args_top = {
	.kind = "Object",
	.usage = args_usage,
	.bare_help = true,
	.words = (const struct args_word[]) {
		{ "mgmtdev", &args_mgmtdev_level, NULL },
		{ "dev", &args_dev, NULL },
		{ NULL }
	},
};

static int args_level(struct vdpa_req *req, const struct args_level *lvl,
		      int argc, char *const *argv, bool checks, FILE *err)
{
	const struct args_word *w;

	if (!argc && lvl->bare)
		return args_cmd(req, lvl->bare, 0, argv, checks, err);
	if ((!argc && lvl->bare_help) || (argc && !strcmp(argv[0], "help"))) {
		req->usage = lvl->usage;
		return 0;
	}
	if (!argc) {
		fputs(lvl->usage, err);
		return -EINVAL;
	}
	for (w = lvl->words; w->word; w++) {
		if (strcmp(argv[0], w->word))
			continue;
		if (w->level)
			return args_level(req, w->level, argc - 1, argv + 1,
					  checks, err);
		return args_cmd(req, w->cmd, argc - 1, argv + 1, checks, err);
	}
	fprintf(err, "%s \"%s\" not found\n", lvl->kind, argv[0]);
	return -EINVAL;
}

int args_parse(struct vdpa_req *req, int argc, char *const *argv,
	       bool checks, FILE *err)
{
	memset(req, 0, sizeof(*req));
	return args_level(req, &args_top, argc, argv, checks, err);
}

struct args_flag {
	char short_name;
	const char *long_name;
	size_t offset;		/* of its bool in struct vdpa_globals */
};

static const struct args_flag args_flags[] = {
	{ 'j', "json",	  offsetof(struct vdpa_globals, json) },
	{ 'p', "pretty",  offsetof(struct vdpa_globals, pretty) },
	{ 'd', "details", offsetof(struct vdpa_globals, details) },
	{ 'V', "version", offsetof(struct vdpa_globals, version) },
	{ 'h', "help",	  offsetof(struct vdpa_globals, help) },
};

#define ARGS_NR_FLAGS	(sizeof(args_flags) / sizeof(args_flags[0]))

/* Sets the flag named @long_name, or else the one called @short_name */
static int args_flag(struct vdpa_globals *g, const char *long_name,
		     char short_name)
{
	size_t i;

	for (i = 0; i < ARGS_NR_FLAGS; i++) {
		if (long_name ? strcmp(long_name, args_flags[i].long_name) :
				short_name != args_flags[i].short_name)
			continue;
		*(bool *)((char *)g + args_flags[i].offset) = true;
		return 0;
	}
	return -EINVAL;
}

/* "--long" or a cluster of short options such as "-jp" */
static int args_option(struct vdpa_globals *g, const char *arg, FILE *err)
{
	const char *p;

	if (arg[1] == '-') {
		if (!args_flag(g, arg + 2, 0))
			return 0;
		goto err_unknown;
	}
	for (p = arg + 1; *p; p++)
		if (args_flag(g, NULL, *p))
			goto err_unknown;
	return 0;

err_unknown:
	fprintf(err, "Unknown option \"%s\"\n", arg);
	return -EINVAL;
}

int args_globals(struct vdpa_globals *g, int argc, char *const *argv,
		 char **rest, FILE *err)
{
	bool options = true;
	int i, n = 0;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < argc; i++) {
		if (options && !strcmp(argv[i], "--")) {
			options = false;
		} else if (!options || argv[i][0] != '-' || !argv[i][1]) {
			rest[n++] = argv[i];
		} else if (args_option(g, argv[i], err)) {
			return -EINVAL;
		}
	}
	return n;
}
