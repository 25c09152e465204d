// SPDX-License-Identifier: GPL-2.0
/*
 * Command line parsing: every command, its help, and the refusals, each
 * with its exact message. A request is checked through a one-line
 * description of everything it carries.
 *
 * Commands: 2 MGMTDEV_GET, 3 DEV_NEW, 4 DEV_DEL, 5 DEV_GET, 6 CONFIG_GET,
 * 7 VSTATS_GET, 8 ATTR_SET. Shows: 1 mgmtdev, 2 dev, 3 config, 4 vstats.
 */
#include <errno.h>
#include <string.h>

#include "args.h"
#include "tap.h"
#include "util.h"

struct parsed {
	int rc;
	struct vdpa_req req;
	char err[512];
	char line[512];		/* the words the request points into */
	char *argv[32];
};

static struct parsed *parse(const char *line, bool checks)
{
	static struct parsed p;
	struct tap_buf b;
	int argc;

	memset(&p, 0, sizeof(p));
	snprintf(p.line, sizeof(p.line), "%s", line);
	argc = util_split(p.line, p.argv, 32);
	p.rc = args_parse(&p.req, argc, p.argv, checks, tap_buf_open(&b));
	snprintf(p.err, sizeof(p.err), "%s", tap_buf_str(&b));
	tap_buf_close(&b);
	return &p;
}

static int put(char *s, size_t size, int n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int put(char *s, size_t size, int n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	n += vsnprintf(s + n, size - n, fmt, ap);
	va_end(ap);
	return n;
}

static const char *describe(const struct vdpa_req *r)
{
	static char s[512];
	unsigned int o = r->opts;
	size_t i;
	int n;

	n = snprintf(s, sizeof(s), "cmd=%u show=%d dump=%d opts=%#x",
		     r->cmd, r->show, r->dump, o);
	if (o & (ARGS_DEV | ARGS_NAME))
		n = put(s, sizeof(s), n, " dev=%s", r->dev_name);
	if (o & (ARGS_MGMTDEV | ARGS_MGMTDEV_H))
		n = put(s, sizeof(s), n, " mgmtdev=%s bus_len=%zu",
			r->mgmtdev, r->bus_len);
	if (o & ARGS_MAC)
		n = put(s, sizeof(s), n, " mac=");
	for (i = 0; (o & ARGS_MAC) && i < r->mac_len; i++)
		n = put(s, sizeof(s), n, "%s%02x", i ? ":" : "", r->mac[i]);
	if (o & ARGS_MTU)
		n = put(s, sizeof(s), n, " mtu=%u", r->mtu);
	if (o & ARGS_MAX_VQP)
		n = put(s, sizeof(s), n, " max_vqp=%u", r->max_vqp);
	if (o & ARGS_FEATURES)
		n = put(s, sizeof(s), n, " features=%#llx",
			(unsigned long long)r->features);
	if (o & ARGS_MODE)
		n = put(s, sizeof(s), n, " mode=%u", r->mode);
	if (o & ARGS_QIDX)
		put(s, sizeof(s), n, " qidx=%u", r->qidx);
	return s;
}

static void accepts(const char *line, bool checks, const char *want)
{
	struct parsed *p = parse(line, checks);

	tap_str(p->rc ? p->err : describe(&p->req), want, "%s\"%s\" parses",
		checks ? "" : "without checks: ", line);
}

static void refuses(const char *line, bool checks, const char *want)
{
	struct parsed *p = parse(line, checks);

	tap_str(p->rc == -EINVAL ? p->err : "(accepted)\n", want,
		"%s\"%s\" is refused", checks ? "" : "without checks: ", line);
}

struct args_case {
	const char *line;
	const char *want;	/* the request's description, or the message */
};

/* Every command, and values at the edges of their ranges */
static const struct args_case accepted[] = {
	{ "mgmtdev show",
	  "cmd=2 show=1 dump=1 opts=0" },
	{ "mgmtdev",
	  "cmd=2 show=1 dump=1 opts=0" },
	{ "mgmtdev list vdpasim_net",
	  "cmd=2 show=1 dump=0 opts=0x2 mgmtdev=vdpasim_net bus_len=0" },
	{ "mgmtdev show pci/0000:00:04.0",
	  "cmd=2 show=1 dump=0 opts=0x2 mgmtdev=pci/0000:00:04.0 bus_len=3" },
	{ "dev",
	  "cmd=5 show=2 dump=1 opts=0" },
	{ "dev show",
	  "cmd=5 show=2 dump=1 opts=0" },
	{ "dev list vdpa0",
	  "cmd=5 show=2 dump=0 opts=0x1 dev=vdpa0" },
	{ "dev add name vdpa0 mgmtdev vdpasim_net",
	  "cmd=3 show=0 dump=0 opts=0xc dev=vdpa0 mgmtdev=vdpasim_net bus_len=0" },
	{ "dev add mgmtdev pci/0000:00:04.0 name v mac 00:11:22:33:44:55 mtu 1500 max_vqp 4 device_features 0x300000020 mode vhost",
	  "cmd=3 show=0 dump=0 opts=0x1fc dev=v mgmtdev=pci/0000:00:04.0 bus_len=3 mac=00:11:22:33:44:55 mtu=1500 max_vqp=4 features=0x300000020 mode=2" },
	{ "dev add name v mgmtdev m device_features 300000020 mode virtio",
	  "cmd=3 show=0 dump=0 opts=0x18c dev=v mgmtdev=m bus_len=0 features=0x300000020 mode=1" },
	{ "dev del vdpa0",
	  "cmd=4 show=0 dump=0 opts=0x1 dev=vdpa0" },
	{ "dev set name vdpa0 mac AA:bb:cc:dd:ee:0f",
	  "cmd=8 show=0 dump=0 opts=0x14 dev=vdpa0 mac=aa:bb:cc:dd:ee:0f" },
	{ "dev config",
	  "cmd=6 show=3 dump=1 opts=0" },
	{ "dev config show",
	  "cmd=6 show=3 dump=1 opts=0" },
	{ "dev config show vdpa0",
	  "cmd=6 show=3 dump=0 opts=0x1 dev=vdpa0" },
	{ "dev vstats show vdpa1 qidx 3",
	  "cmd=7 show=4 dump=0 opts=0x201 dev=vdpa1 qidx=3" },
	{ "dev set name v mac 0:1:2:a:B:ff",
	  "cmd=8 show=0 dump=0 opts=0x14 dev=v mac=00:01:02:0a:0b:ff" },
	{ "dev add name v mgmtdev m mtu 68",
	  "cmd=3 show=0 dump=0 opts=0x2c dev=v mgmtdev=m bus_len=0 mtu=68" },
	{ "dev add name v mgmtdev m mtu 65535 max_vqp 65535",
	  "cmd=3 show=0 dump=0 opts=0x6c dev=v mgmtdev=m bus_len=0 mtu=65535 max_vqp=65535" },
	{ "dev add name v mgmtdev m device_features 0xFFFFFFFFFFFFFFFF",
	  "cmd=3 show=0 dump=0 opts=0x8c dev=v mgmtdev=m bus_len=0 features=0xffffffffffffffff" },
	{ "dev vstats show v qidx 4294967295",
	  "cmd=7 show=4 dump=0 opts=0x201 dev=v qidx=4294967295" },
	{ "dev add name v mgmtdev a/b/c",
	  "cmd=3 show=0 dump=0 opts=0xc dev=v mgmtdev=a/b/c bus_len=1" },
};

/* VDPA_NO_LOCAL_CHECKS=1: what the kernel must refuse by itself */
static const struct args_case accepted_unchecked[] = {
	{ "dev add name v mgmtdev m mac 00:11:22:33:44 mtu 0 mode 7",
	  "cmd=3 show=0 dump=0 opts=0x13c dev=v mgmtdev=m bus_len=0 mac=00:11:22:33:44 mtu=0 mode=7" },
	{ "dev add name v mgmtdev m mac 1:2:3:4:5:6:7 max_vqp 0 mtu 67",
	  "cmd=3 show=0 dump=0 opts=0x7c dev=v mgmtdev=m bus_len=0 mac=01:02:03:04:05:06:07 mtu=67 max_vqp=0" },
	{ "dev add name v mgmtdev m mac '' mode 255",
	  "cmd=3 show=0 dump=0 opts=0x11c dev=v mgmtdev=m bus_len=0 mac= mode=255" },
	{ "dev add name v mgmtdev m mode vhost",
	  "cmd=3 show=0 dump=0 opts=0x10c dev=v mgmtdev=m bus_len=0 mode=2" },
};

static const struct args_case refused_unchecked[] = {
	{ "dev add name v mgmtdev m mode 256",
	  "Option \"mode\": \"256\" is not a number from 0 to 255\n" },
	{ "dev add name v mgmtdev m mode vdpa",
	  "Option \"mode\": \"vdpa\" is not a mode (virtio or vhost)\n" },
	{ "dev add name v mgmtdev m mac 00:zz",
	  "Option \"mac\": \"00:zz\" is not a MAC address like 00:11:22:33:44:55\n" },
	{ "dev add name v mgmtdev m mtu 65536",
	  "Option \"mtu\": \"65536\" is not a number from 0 to 65535\n" },
	{ "dev add name v mgmtdev m mac 0:1:2:3:4:5:6:7:8:9:a:b:c:d:e:f:0:1:2:3:4:5:6:7:8:9:a:b:c:d:e:f:0",
	  "Option \"mac\": \"0:1:2:3:4:5:6:7:8:9:a:b:c:d:e:f:0:1:2:3:4:5:6:7:8:9:a:b:c:d:e:f:0\" is not a MAC address like 00:11:22:33:44:55\n" },
};

static const struct args_case refused[] = {
	{ "dev add mgmtdev vdpasim_net", "Option \"name\" is mandatory\n" },
	{ "dev add name v", "Option \"mgmtdev\" is mandatory\n" },
	{ "dev add", "Option \"name\" is mandatory\n" },
	{ "dev set name v", "Option \"mac\" is mandatory\n" },
	{ "dev set mac 00:11:22:33:44:55", "Option \"name\" is mandatory\n" },
	{ "dev del", "Argument DEV is mandatory\n" },
	{ "dev vstats show", "Argument DEV is mandatory\n" },
	{ "dev vstats show v", "Option \"qidx\" is mandatory\n" },
	{ "dev vstats", "Usage: vdpa dev vstats show DEV qidx QUEUE_INDEX\n"
		       "       vdpa dev vstats help\n" },
	{ "foo", "Object \"foo\" not found\n" },
	{ "de", "Object \"de\" not found\n" },
	{ "dev foo", "Command \"foo\" not found\n" },
	{ "dev sh", "Command \"sh\" not found\n" },
	{ "mgmtdev sho", "Command \"sho\" not found\n" },
	{ "dev config list", "Command \"list\" not found\n" },
	{ "dev vstats get v qidx 1", "Command \"get\" not found\n" },
	{ "dev add nam v mgmtdev m", "Unknown option \"nam\"\n" },
	{ "dev show vdpa0 extra", "Unknown option \"extra\"\n" },
	{ "mgmtdev show a b", "Unknown option \"b\"\n" },
	{ "dev del v mac 00:11:22:33:44:55", "Unknown option \"mac\"\n" },
	{ "dev set name v mtu 1500", "Unknown option \"mtu\"\n" },
	{ "dev add name v mgmtdev m qidx 1", "Unknown option \"qidx\"\n" },
	{ "dev add name", "Option \"name\" needs a value\n" },
	{ "dev add name a name b mgmtdev m", "Option \"name\" is given twice\n" },
	{ "dev add name '' mgmtdev m",
	  "Option \"name\": \"\" is not a device name\n" },
	{ "mgmtdev show /x",
	  "Argument MGMTDEV: \"/x\" is not a management device [BUS/]NAME\n" },
	{ "dev add name v mgmtdev pci/",
	  "Option \"mgmtdev\": \"pci/\" is not a management device [BUS/]NAME\n" },
	{ "dev add name v mgmtdev m mac 00:11:22:33:44",
	  "Option \"mac\": \"00:11:22:33:44\" is not a MAC address like 00:11:22:33:44:55\n" },
	{ "dev add name v mgmtdev m mac 00:11:22:33:44:55:66",
	  "Option \"mac\": \"00:11:22:33:44:55:66\" is not a MAC address like 00:11:22:33:44:55\n" },
	{ "dev add name v mgmtdev m mac 001:11:22:33:44:55",
	  "Option \"mac\": \"001:11:22:33:44:55\" is not a MAC address like 00:11:22:33:44:55\n" },
	{ "dev add name v mgmtdev m mac 00-11-22-33-44-55",
	  "Option \"mac\": \"00-11-22-33-44-55\" is not a MAC address like 00:11:22:33:44:55\n" },
	{ "dev add name v mgmtdev m mac 00:11:22:33:44:",
	  "Option \"mac\": \"00:11:22:33:44:\" is not a MAC address like 00:11:22:33:44:55\n" },
	{ "dev add name v mgmtdev m mtu 67",
	  "Option \"mtu\": \"67\" is not a number from 68 to 65535\n" },
	{ "dev add name v mgmtdev m mtu 0",
	  "Option \"mtu\": \"0\" is not a number from 68 to 65535\n" },
	{ "dev add name v mgmtdev m mtu 65536",
	  "Option \"mtu\": \"65536\" is not a number from 68 to 65535\n" },
	{ "dev add name v mgmtdev m mtu 15x0",
	  "Option \"mtu\": \"15x0\" is not a number from 68 to 65535\n" },
	{ "dev add name v mgmtdev m mtu -1500",
	  "Option \"mtu\": \"-1500\" is not a number from 68 to 65535\n" },
	{ "dev add name v mgmtdev m mtu +1500",
	  "Option \"mtu\": \"+1500\" is not a number from 68 to 65535\n" },
	{ "dev add name v mgmtdev m mtu 0x5dc",
	  "Option \"mtu\": \"0x5dc\" is not a number from 68 to 65535\n" },
	{ "dev add name v mgmtdev m max_vqp 0",
	  "Option \"max_vqp\": \"0\" is not a number from 1 to 65535\n" },
	{ "dev add name v mgmtdev m max_vqp 99999999999999999999",
	  "Option \"max_vqp\": \"99999999999999999999\" is not a number from 1 to 65535\n" },
	{ "dev add name v mgmtdev m device_features 0x",
	  "Option \"device_features\": \"0x\" is not a 64-bit hexadecimal number\n" },
	{ "dev add name v mgmtdev m device_features 0x1ffffffffffffffff",
	  "Option \"device_features\": \"0x1ffffffffffffffff\" is not a 64-bit hexadecimal number\n" },
	{ "dev add name v mgmtdev m device_features g",
	  "Option \"device_features\": \"g\" is not a 64-bit hexadecimal number\n" },
	{ "dev add name v mgmtdev m mode 7",
	  "Option \"mode\": \"7\" is not a mode (virtio or vhost)\n" },
	{ "dev add name v mgmtdev m mode VHOST",
	  "Option \"mode\": \"VHOST\" is not a mode (virtio or vhost)\n" },
	{ "dev vstats show v qidx 4294967296",
	  "Option \"qidx\": \"4294967296\" is not a number from 0 to 4294967295\n" },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static void test_table(const struct args_case *cases, size_t n, bool checks,
		       void (*check)(const char *, bool, const char *))
{
	size_t i;

	for (i = 0; i < n; i++)
		check(cases[i].line, checks, cases[i].want);
}

static void help(const char *line, const char *first)
{
	struct parsed *p = parse(line, true);
	const char *u = p->rc ? p->err : p->req.usage;

	tap_ok(u && !strncmp(u, first, strlen(first)) && !p->req.cmd,
	       "\"%s\" asks for its own usage", line);
}

static void test_help(void)
{
	help("", "Usage: vdpa [ OPTIONS ] OBJECT { COMMAND | help }\n");
	help("help", "Usage: vdpa [ OPTIONS ] OBJECT { COMMAND | help }\n");
	help("mgmtdev help", "Usage: vdpa mgmtdev show [ MGMTDEV ]\n");
	help("dev help", "Usage: vdpa dev show [ DEV ]\n");
	help("dev config help", "Usage: vdpa dev config show [ DEV ]\n");
	help("dev vstats help", "Usage: vdpa dev vstats show DEV qidx");
	tap_ok(args_usage == parse("help", true)->req.usage,
	       "-h and \"help\" print the same usage");
}

static const char *globals(const char *line, const char *want_err)
{
	static char s[256];
	struct vdpa_globals g;
	struct tap_buf b;
	char copy[256], *argv[16], *rest[16];
	int argc, n, i, len;

	snprintf(copy, sizeof(copy), "%s", line);
	argc = util_split(copy, argv, 16);
	n = args_globals(&g, argc, argv, rest, tap_buf_open(&b));
	if (n < 0) {
		tap_str(tap_buf_str(&b), want_err, "options \"%s\": message",
			line);
		tap_buf_close(&b);
		return "refused";
	}
	tap_buf_close(&b);
	len = snprintf(s, sizeof(s), "j%d p%d d%d V%d h%d:", g.json, g.pretty,
		       g.details, g.version, g.help);
	for (i = 0; i < n; i++)
		len += snprintf(s + len, sizeof(s) - len, " %s", rest[i]);
	return s;
}

static const struct {
	const char *line;
	const char *err;	/* the message if refused */
	const char *want;	/* flags and the words left, or "refused" */
	const char *what;
} global_cases[] = {
	{ "dev show", "", "j0 p0 d0 V0 h0: dev show", "no options" },
	{ "-j -p dev show", "", "j1 p1 d0 V0 h0: dev show", "-j -p" },
	{ "-jpd dev", "", "j1 p1 d1 V0 h0: dev", "-jpd, combined" },
	{ "dev show -j vdpa0", "", "j1 p0 d0 V0 h0: dev show vdpa0",
	  "options after the object, as GNU getopt takes them" },
	{ "--json --pretty --details --version --help", "",
	  "j1 p1 d1 V1 h1:", "long options" },
	{ "-V", "", "j0 p0 d0 V1 h0:", "-V" },
	{ "-j -- dev show -p", "", "j1 p0 d0 V0 h0: dev show -p",
	  "-- ends the options" },
	{ "dev - x", "", "j0 p0 d0 V0 h0: dev - x", "a lone - is a word" },
	{ "-x dev", "Unknown option \"-x\"\n", "refused", "-x is refused" },
	{ "-jx dev", "Unknown option \"-jx\"\n", "refused",
	  "-jx is refused" },
	{ "--js dev", "Unknown option \"--js\"\n", "refused",
	  "--js is refused: no abbreviations" },
};

static void test_globals(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(global_cases); i++)
		tap_str(globals(global_cases[i].line, global_cases[i].err),
			global_cases[i].want, "%s", global_cases[i].what);
}

int main(void)
{
	test_table(accepted, ARRAY_SIZE(accepted), true, accepts);
	test_table(accepted_unchecked, ARRAY_SIZE(accepted_unchecked), false,
		   accepts);
	test_table(refused, ARRAY_SIZE(refused), true, refuses);
	test_table(refused_unchecked, ARRAY_SIZE(refused_unchecked), false,
		   refuses);
	test_help();
	test_globals();
	return tap_end();
}
