// SPDX-License-Identifier: GPL-2.0
/*
 * Messages: the attributes each command puts in its request (types,
 * lengths, values, order), the reply parser's validation, and the
 * extended ACK text found in error and done messages.
 *
 * Attributes: 1 bus, 2 mgmtdev, 4 dev name, 5 dev id, 10 mac, 12 max_vqp,
 * 13 mtu, 17 queue index, 20 features, 512 mode.
 */
#include <errno.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "msg.h"
#include "tap.h"
#include "util.h"

_Static_assert(VDPA_ATTR_MAX < VDPA_ATTR_EXT_BASE,
	       "upstream attributes reach the suite's extensions");

/* The request "vdpa LINE" becomes, as its attributes */
static void request(const char *line, bool checks, const char *want)
{
	struct vdpa_req req;
	struct nl_msg *msg;
	char copy[256], *argv[32];
	int argc;

	snprintf(copy, sizeof(copy), "%s", line);
	argc = util_split(copy, argv, 32);
	if (args_parse(&req, argc, argv, checks, stderr)) {
		tap_ok(false, "\"%s\" parses", line);
		return;
	}
	msg = msg_new(UTIL_FAMILY, req.cmd, req.dump);
	if (msg_put_req(msg, &req))
		tap_ok(false, "\"%s\" fits in a message", line);
	else
		tap_str(util_attrs(msg), want, "%s\"%s\" sends %s",
			checks ? "" : "without checks: ", line, want);
	nlmsg_free(msg);
}

struct msg_case {
	const char *line;
	const char *want;	/* the attributes sent */
};

static const struct msg_case checked[] = {
	{ "dev add mgmtdev pci/0000:00:04.0 name v mac 00:11:22:33:44:55 mtu 1500 max_vqp 4 device_features 0x300000020 mode vhost",
	  "1:70636900 2:303030303a30303a30342e3000 4:7600 10:001122334455 13:dc05 12:0400 20:2000000003000000 512:02" },
	{ "dev add name vdpa0 mgmtdev vdpasim_net mode virtio",
	  "2:7664706173696d5f6e657400 4:766470613000 512:01" },
	{ "dev del vdpa0",
	  "4:766470613000" },
	{ "dev set name v mac 00:11:22:33:44:55",
	  "4:7600 10:001122334455" },
	{ "dev show",
	  "" },
	{ "dev show vdpa0",
	  "4:766470613000" },
	{ "mgmtdev show pci/0000:00:04.0",
	  "1:70636900 2:303030303a30303a30342e3000" },
	{ "mgmtdev show vdpasim_net",
	  "2:7664706173696d5f6e657400" },
	{ "dev config show v",
	  "4:7600" },
	{ "dev vstats show v qidx 258",
	  "4:7600 17:02010000" },
};

/* VDPA_NO_LOCAL_CHECKS=1: the raw values reach the message */
static const struct msg_case unchecked[] = {
	{ "dev add name v mgmtdev m mac 00:11:22:33:44 mtu 0 mode 7",
	  "2:6d00 4:7600 10:0011223344 13:0000 512:07" },
	{ "dev add name v mgmtdev m mtu 67 max_vqp 0",
	  "2:6d00 4:7600 13:4300 12:0000" },
};

static void test_requests(const struct msg_case *cases, size_t n,
			  bool checks)
{
	size_t i;

	for (i = 0; i < n; i++)
		request(cases[i].line, checks, cases[i].want);
}

static void test_header(void)
{
	struct nl_msg *msg = msg_new(UTIL_FAMILY, VDPA_CMD_DEV_GET, true);
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh = nlmsg_data(hdr);

	tap_int(hdr->nlmsg_type, UTIL_FAMILY, "requests go to the family");
	tap_int(hdr->nlmsg_flags & NLM_F_DUMP, NLM_F_DUMP,
		"show without a handle is a dump");
	tap_int(gnlh->cmd, VDPA_CMD_DEV_GET, "the command is in the header");
	tap_int(gnlh->version, VDPA_GENL_VERSION, "the family's version");
	nlmsg_free(msg);
	msg = msg_new(UTIL_FAMILY, VDPA_CMD_DEV_GET, false);
	tap_int(nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP, 0,
		"show with a handle is a single get");
	nlmsg_free(msg);
}

static void test_no_room(void)
{
	struct vdpa_req req = {
		.opts = ARGS_NAME | ARGS_MGMTDEV,
		.dev_name = "a-long-device-name-that-cannot-fit",
		.mgmtdev = "vdpasim_net",
	};
	struct nl_msg *msg = nlmsg_alloc_size(32);

	genlmsg_put(msg, 0, 0, UTIL_FAMILY, 0, 0, VDPA_CMD_DEV_NEW, 1);
	tap_int(msg_put_req(msg, &req), -ENOMEM,
		"attributes that do not fit: -ENOMEM");
	nlmsg_free(msg);
}

static int parse_reply(struct nl_msg *msg, struct vdpa_reply *reply)
{
	return msg_parse_reply(reply, nlmsg_hdr(msg));
}

static void test_replies(void)
{
	struct nl_msg *msg = util_reply(VDPA_CMD_DEV_GET);
	struct vdpa_reply r;

	nla_put_string(msg, VDPA_ATTR_DEV_NAME, "vdpa0");
	nla_put_u32(msg, VDPA_ATTR_DEV_ID, 1);
	nla_put_u8(msg, VDPA_ATTR_EXT_DEV_MODE, 2);
	nla_put_string(msg, VDPA_ATTR_EXT_DEV_DRIVER, "vhost_vdpa");
	nla_put_u32(msg, VDPA_ATTR_EXT_MAX + 5, 7);
	tap_int(parse_reply(msg, &r), 0, "a reply parses");
	tap_ok(r.tb[VDPA_ATTR_DEV_NAME] && r.tb[VDPA_ATTR_DEV_ID] &&
	       !r.tb[VDPA_ATTR_DEV_VENDOR_ID],
	       "its attributes are indexed by type");
	tap_ok(r.tb[VDPA_ATTR_EXT_DEV_MODE] &&
	       nla_get_u8(r.tb[VDPA_ATTR_EXT_DEV_MODE]) == 2 &&
	       !strcmp(nla_get_string(r.tb[VDPA_ATTR_EXT_DEV_DRIVER]),
		       "vhost_vdpa"),
	       "the suite's extension attributes are indexed");
	tap_int(r.len, 12 + 8 + 8 + 16 + 8, "all attributes are kept in order");
	nlmsg_free(msg);

	msg = util_reply(VDPA_CMD_DEV_GET);
	nla_put_u16(msg, VDPA_ATTR_DEV_ID, 1);
	tap_int(parse_reply(msg, &r), -EINVAL, "a u32 of 2 bytes is refused");
	nlmsg_free(msg);

	msg = util_reply(VDPA_CMD_DEV_GET);
	nla_put(msg, VDPA_ATTR_DEV_NAME, 3, "abc");
	tap_int(parse_reply(msg, &r), -EINVAL,
		"a string without its NUL is refused");
	nlmsg_free(msg);
}

/* An NLMSG_ERROR for a 5-byte request payload, as the kernel builds it */
static struct nl_msg *error_msg(int err, bool capped, const char *text)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *hdr;
	struct nlmsgerr *e;
	size_t len = sizeof(*e) + (capped ? 0 : NLMSG_ALIGN(5));

	hdr = nlmsg_put(msg, 0, 1, NLMSG_ERROR, len, capped ? NLM_F_CAPPED : 0);
	e = nlmsg_data(hdr);
	memset(e, 0, len);
	e->error = err;
	e->msg.nlmsg_len = NLMSG_HDRLEN + 5;
	e->msg.nlmsg_type = UTIL_FAMILY;
	if (!capped)
		memset(e + 1, 0xee, 5);
	if (text) {
		hdr->nlmsg_flags |= NLM_F_ACK_TLVS;
		nla_put_string(msg, NLMSGERR_ATTR_OFFS + 10, "ignored");
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	}
	return msg;
}

static void extack(struct nl_msg *msg, const char *want, const char *what)
{
	const char *got = msg_extack(nlmsg_hdr(msg));

	tap_str(got ? got : "(none)", want, "extack: %s", what);
	nlmsg_free(msg);
}

static void test_extack(void)
{
	struct nl_msg *msg;
	int err = -ENOBUFS;

	extack(error_msg(-EINVAL, true, "bad mac"), "bad mac",
	       "capped error");
	extack(error_msg(-EINVAL, false, "bad mtu"), "bad mtu",
	       "error with the request echoed (unaligned length)");
	extack(error_msg(-EINVAL, true, NULL), "(none)",
	       "error without TLVs");
	extack(error_msg(0, true, "careful"), "careful", "ack with a warning");

	msg = error_msg(-EINVAL, true, "dropped");
	nlmsg_hdr(msg)->nlmsg_flags &= ~NLM_F_ACK_TLVS;
	extack(msg, "(none)", "TLVs not announced by NLM_F_ACK_TLVS");

	msg = nlmsg_alloc();
	nlmsg_put(msg, 0, 1, NLMSG_DONE, sizeof(err),
		  NLM_F_MULTI | NLM_F_ACK_TLVS);
	memcpy(nlmsg_data(nlmsg_hdr(msg)), &err, sizeof(err));
	nla_put_string(msg, NLMSGERR_ATTR_MSG, "dump failed");
	extack(msg, "dump failed", "failed dump's NLMSG_DONE");

	msg = error_msg(-EINVAL, true, NULL);
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK_TLVS;
	nla_put(msg, NLMSGERR_ATTR_MSG, 4, "abcd");
	extack(msg, "(none)", "a message without its NUL is ignored");
}

int main(void)
{
	tap_ok(VDPA_ATTR_MAX < VDPA_ATTR_EXT_BASE,
	       "VDPA_ATTR_MAX (%d) < VDPA_ATTR_EXT_BASE (%d)", VDPA_ATTR_MAX,
	       VDPA_ATTR_EXT_BASE);
	test_requests(checked, sizeof(checked) / sizeof(checked[0]), true);
	test_requests(unchecked, sizeof(unchecked) / sizeof(unchecked[0]),
		      false);
	test_header();
	test_no_room();
	test_replies();
	test_extack();
	return tap_end();
}
