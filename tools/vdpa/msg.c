// SPDX-License-Identifier: GPL-2.0
/* Building requests and parsing replies of the "vdpa" family */
#include <errno.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "msg.h"

struct nl_msg *msg_new(int family, uint8_t cmd, bool dump)
{
	struct nl_msg *msg;

	msg = nlmsg_alloc();
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
			 dump ? NLM_F_DUMP : 0, cmd, VDPA_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* A NUL-terminated copy of the first @len bytes of @s */
static int msg_put_strn(struct nl_msg *msg, int type, const char *s,
			size_t len)
{
	struct nlattr *attr;

	attr = nla_reserve(msg, type, len + 1);
	if (!attr)
		return -ENOMEM;
	memcpy(nla_data(attr), s, len);
	((char *)nla_data(attr))[len] = '\0';
	return 0;
}

static int msg_put_mgmtdev(struct nl_msg *msg, const struct vdpa_req *req)
{
	const char *name = req->mgmtdev;

	if (req->bus_len) {
		if (msg_put_strn(msg, VDPA_ATTR_MGMTDEV_BUS_NAME, name,
				 req->bus_len))
			return -ENOMEM;
		name += req->bus_len + 1;
	}
	return msg_put_strn(msg, VDPA_ATTR_MGMTDEV_DEV_NAME, name,
			    strlen(name));
}

static int msg_put_dev_name(struct nl_msg *msg, const struct vdpa_req *req)
{
	return nla_put_string(msg, VDPA_ATTR_DEV_NAME, req->dev_name);
}

static int msg_put_mac(struct nl_msg *msg, const struct vdpa_req *req)
{
	return nla_put(msg, VDPA_ATTR_DEV_NET_CFG_MACADDR, req->mac_len,
		       req->mac);
}

static int msg_put_mtu(struct nl_msg *msg, const struct vdpa_req *req)
{
	return nla_put_u16(msg, VDPA_ATTR_DEV_NET_CFG_MTU, req->mtu);
}

static int msg_put_max_vqp(struct nl_msg *msg, const struct vdpa_req *req)
{
	return nla_put_u16(msg, VDPA_ATTR_DEV_NET_CFG_MAX_VQP, req->max_vqp);
}

static int msg_put_features(struct nl_msg *msg, const struct vdpa_req *req)
{
	return nla_put_u64(msg, VDPA_ATTR_DEV_FEATURES, req->features);
}

static int msg_put_mode(struct nl_msg *msg, const struct vdpa_req *req)
{
	return nla_put_u8(msg, VDPA_ATTR_EXT_DEV_MODE, req->mode);
}

static int msg_put_qidx(struct nl_msg *msg, const struct vdpa_req *req)
{
	return nla_put_u32(msg, VDPA_ATTR_DEV_QUEUE_INDEX, req->qidx);
}

/* In the order the attributes go into a request */
static const struct {
	unsigned int opts;
	int (*put)(struct nl_msg *msg, const struct vdpa_req *req);
} msg_putters[] = {
	{ ARGS_MGMTDEV | ARGS_MGMTDEV_H,	msg_put_mgmtdev },
	{ ARGS_NAME | ARGS_DEV,			msg_put_dev_name },
	{ ARGS_MAC,				msg_put_mac },
	{ ARGS_MTU,				msg_put_mtu },
	{ ARGS_MAX_VQP,				msg_put_max_vqp },
	{ ARGS_FEATURES,			msg_put_features },
	{ ARGS_MODE,				msg_put_mode },
	{ ARGS_QIDX,				msg_put_qidx },
};

int msg_put_req(struct nl_msg *msg, const struct vdpa_req *req)
{
	size_t i;

	for (i = 0; i < sizeof(msg_putters) / sizeof(msg_putters[0]); i++)
		if ((req->opts & msg_putters[i].opts) &&
		    msg_putters[i].put(msg, req))
			return -ENOMEM;
	return 0;
}

static const struct nla_policy msg_policy[MSG_ATTR_MAX + 1] = {
	[VDPA_ATTR_MGMTDEV_BUS_NAME]		= { .type = NLA_STRING },
	[VDPA_ATTR_MGMTDEV_DEV_NAME]		= { .type = NLA_STRING },
	[VDPA_ATTR_MGMTDEV_SUPPORTED_CLASSES]	= { .type = NLA_U64 },
	[VDPA_ATTR_DEV_NAME]			= { .type = NLA_STRING },
	[VDPA_ATTR_DEV_ID]			= { .type = NLA_U32 },
	[VDPA_ATTR_DEV_VENDOR_ID]		= { .type = NLA_U32 },
	[VDPA_ATTR_DEV_MAX_VQS]			= { .type = NLA_U32 },
	[VDPA_ATTR_DEV_MAX_VQ_SIZE]		= { .type = NLA_U16 },
	[VDPA_ATTR_DEV_MIN_VQ_SIZE]		= { .type = NLA_U16 },
	[VDPA_ATTR_DEV_NET_STATUS]		= { .type = NLA_U16 },
	[VDPA_ATTR_DEV_NET_CFG_MAX_VQP]		= { .type = NLA_U16 },
	[VDPA_ATTR_DEV_NET_CFG_MTU]		= { .type = NLA_U16 },
	[VDPA_ATTR_DEV_NEGOTIATED_FEATURES]	= { .type = NLA_U64 },
	[VDPA_ATTR_DEV_MGMTDEV_MAX_VQS]		= { .type = NLA_U32 },
	[VDPA_ATTR_DEV_SUPPORTED_FEATURES]	= { .type = NLA_U64 },
	[VDPA_ATTR_DEV_QUEUE_INDEX]		= { .type = NLA_U32 },
	[VDPA_ATTR_DEV_VENDOR_ATTR_NAME]	= { .type = NLA_STRING },
	[VDPA_ATTR_DEV_VENDOR_ATTR_VALUE]	= { .type = NLA_U64 },
	[VDPA_ATTR_DEV_FEATURES]		= { .type = NLA_U64 },
	[VDPA_ATTR_EXT_DEV_MODE]		= { .type = NLA_U8 },
	[VDPA_ATTR_EXT_DEV_DRIVER]		= { .type = NLA_STRING },
};

int msg_parse_reply(struct vdpa_reply *reply, struct nlmsghdr *hdr)
{
	struct genlmsghdr *gnlh;
	int err;

	err = genlmsg_parse(hdr, 0, reply->tb, MSG_ATTR_MAX, msg_policy);
	if (err < 0)
		return -EINVAL;
	gnlh = nlmsg_data(hdr);
	reply->attrs = genlmsg_attrdata(gnlh, 0);
	reply->len = genlmsg_attrlen(gnlh, 0);
	return 0;
}

/* Where the TLVs start in an NLMSG_ERROR's or NLMSG_DONE's payload */
static size_t msg_tlv_offset(const struct nlmsghdr *hdr)
{
	const struct nlmsgerr *e = nlmsg_data(hdr);
	size_t off = sizeof(*e);

	if (hdr->nlmsg_type == NLMSG_DONE)
		return NLMSG_ALIGN(sizeof(int));
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= NLMSG_HDRLEN)
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	return off;
}

const char *msg_extack(const struct nlmsghdr *hdr)
{
	static const struct nla_policy policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t len = nlmsg_datalen(hdr);
	size_t off;

	if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (hdr->nlmsg_type == NLMSG_ERROR && len < sizeof(struct nlmsgerr))
		return NULL;
	off = msg_tlv_offset(hdr);
	if (off >= len)
		return NULL;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(hdr) + off),
		      len - off, policy) < 0 || !tb[NLMSGERR_ATTR_MSG])
		return NULL;
	return nla_get_string(tb[NLMSGERR_ATTR_MSG]);
}
