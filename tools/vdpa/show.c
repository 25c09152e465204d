// SPDX-License-Identifier: GPL-2.0
/*
 * One printer per kind of reply. Field order, spacing (the trailing
 * spaces included) and JSON keys (the "link " ones included) are
 * iproute2's, for scripts written against it.
 */
#include <errno.h>
#include <inttypes.h>
#include <netlink/attr.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>

#include "feat.h"
#include "show.h"

#define SHOW_NAME_MAX	512	/* "BUS/NAME" longer than this is cut */
#define SHOW_MAC_MAX	32	/* bytes of an address shown */

/* An unsigned attribute, read at the width it was sent with */
static uint64_t show_uint_of(const struct nlattr *attr)
{
	int len = nla_len(attr);

	if (len >= 8)
		return nla_get_u64(attr);
	if (len >= 4)
		return nla_get_u32(attr);
	if (len >= 2)
		return nla_get_u16(attr);
	return nla_get_u8(attr);
}

static void show_uint(struct out *o, const struct nlattr *attr,
		      const char *key, const char *fmt)
{
	if (attr)
		out_uint(o, key, fmt, show_uint_of(attr));
}

/* "[BUS/]NAME" of the management device */
static const char *show_mgmtdev_name(const struct vdpa_reply *r, char *buf,
				     size_t size)
{
	const char *name = nla_get_string(r->tb[VDPA_ATTR_MGMTDEV_DEV_NAME]);

	if (!r->tb[VDPA_ATTR_MGMTDEV_BUS_NAME])
		return name;
	snprintf(buf, size, "%s/%s",
		 nla_get_string(r->tb[VDPA_ATTR_MGMTDEV_BUS_NAME]), name);
	return buf;
}

static void show_features(struct out *o, const char *key, uint64_t features,
			  uint32_t dev_id)
{
	const char *name;
	unsigned int bit;

	out_array_open(o, key);
	for (bit = 0; bit < 64; bit++) {
		if (!(features & (1ULL << bit)))
			continue;
		name = feat_name(bit, dev_id);
		if (name)
			out_string(o, NULL, " %s", name);
		else
			out_uint(o, NULL, " bit_%" PRIu64, bit);
	}
	out_array_close(o);
}

static void show_classes(struct out *o, uint64_t classes)
{
	unsigned int bit;

	out_array_open(o, "supported_classes");
	for (bit = 1; bit < 64; bit++)
		if (classes & (1ULL << bit))
			out_string(o, NULL, " %s", feat_class_name(bit));
	out_array_close(o);
}

static int show_mgmtdev(struct out *o, const struct vdpa_reply *r)
{
	struct nlattr *const *tb = r->tb;
	char buf[SHOW_NAME_MAX];
	uint64_t classes = 0;

	if (!tb[VDPA_ATTR_MGMTDEV_DEV_NAME])
		return -EINVAL;
	out_entry_open(o, show_mgmtdev_name(r, buf, sizeof(buf)));
	if (tb[VDPA_ATTR_MGMTDEV_SUPPORTED_CLASSES]) {
		classes = nla_get_u64(tb[VDPA_ATTR_MGMTDEV_SUPPORTED_CLASSES]);
		show_classes(o, classes);
	}
	if (tb[VDPA_ATTR_DEV_MGMTDEV_MAX_VQS]) {
		out_newline(o);
		show_uint(o, tb[VDPA_ATTR_DEV_MGMTDEV_MAX_VQS],
			  "max_supported_vqs", "  max_supported_vqs %" PRIu64);
	}
	if (tb[VDPA_ATTR_DEV_SUPPORTED_FEATURES])
		show_features(o, "dev_features",
			      nla_get_u64(tb[VDPA_ATTR_DEV_SUPPORTED_FEATURES]),
			      classes & (1ULL << VIRTIO_ID_NET) ?
			      VIRTIO_ID_NET : 0);
	out_entry_close(o);
	return 0;
}

static const char *show_mode_name(uint8_t mode)
{
	switch (mode) {
	case VDPA_DEV_MODE_VIRTIO:
		return "virtio";
	case VDPA_DEV_MODE_VHOST:
		return "vhost";
	default:
		return "unknown";
	}
}

/* -d: the suite's mode and the bound driver */
static void show_dev_details(struct out *o, struct nlattr *const *tb)
{
	struct nlattr *driver = tb[VDPA_ATTR_EXT_DEV_DRIVER];
	struct nlattr *mode = tb[VDPA_ATTR_EXT_DEV_MODE];

	if (mode)
		out_string(o, "mode", " mode %s",
			   show_mode_name(nla_get_u8(mode)));
	out_string(o, "driver", " driver %s",
		   driver ? nla_get_string(driver) : "none");
}

static int show_dev(struct out *o, const struct vdpa_reply *r)
{
	struct nlattr *const *tb = r->tb;
	char buf[SHOW_NAME_MAX];

	if (!tb[VDPA_ATTR_MGMTDEV_DEV_NAME] || !tb[VDPA_ATTR_DEV_NAME] ||
	    !tb[VDPA_ATTR_DEV_ID])
		return -EINVAL;
	out_entry_open(o, nla_get_string(tb[VDPA_ATTR_DEV_NAME]));
	out_string(o, "type", "type %s",
		   feat_type_name(nla_get_u32(tb[VDPA_ATTR_DEV_ID])));
	out_string(o, "mgmtdev", " mgmtdev %s",
		   show_mgmtdev_name(r, buf, sizeof(buf)));
	show_uint(o, tb[VDPA_ATTR_DEV_VENDOR_ID], "vendor_id",
		  " vendor_id %" PRIu64);
	show_uint(o, tb[VDPA_ATTR_DEV_MAX_VQS], "max_vqs", " max_vqs %" PRIu64);
	show_uint(o, tb[VDPA_ATTR_DEV_MAX_VQ_SIZE], "max_vq_size",
		  " max_vq_size %" PRIu64);
	if (o->details)
		show_dev_details(o, tb);
	out_entry_close(o);
	return 0;
}

static void show_mac(struct out *o, const struct nlattr *attr)
{
	char buf[3 * SHOW_MAC_MAX] = "";
	const uint8_t *mac = nla_data(attr);
	int i, len = 0;

	for (i = 0; i < nla_len(attr) && i < SHOW_MAC_MAX; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%02x",
				i ? ":" : "", mac[i]);
	out_string(o, "mac", "mac %s ", buf);
}

static void show_net_config(struct out *o, struct nlattr *const *tb)
{
	struct nlattr *negotiated = tb[VDPA_ATTR_DEV_NEGOTIATED_FEATURES];
	uint16_t status;

	if (tb[VDPA_ATTR_DEV_NET_CFG_MACADDR])
		show_mac(o, tb[VDPA_ATTR_DEV_NET_CFG_MACADDR]);
	if (tb[VDPA_ATTR_DEV_NET_STATUS]) {
		status = nla_get_u16(tb[VDPA_ATTR_DEV_NET_STATUS]);
		out_string(o, "link ", "link %s ",
			   status & VIRTIO_NET_S_LINK_UP ? "up" : "down");
		out_bool(o, "link_announce ", "link_announce %s ",
			 status & VIRTIO_NET_S_ANNOUNCE);
	}
	show_uint(o, tb[VDPA_ATTR_DEV_NET_CFG_MAX_VQP], "max_vq_pairs",
		  "max_vq_pairs %" PRIu64 " ");
	show_uint(o, tb[VDPA_ATTR_DEV_NET_CFG_MTU], "mtu", "mtu %" PRIu64 " ");
	if (negotiated)
		show_features(o, "negotiated_features", nla_get_u64(negotiated),
			      VIRTIO_ID_NET);
}

static int show_config(struct out *o, const struct vdpa_reply *r)
{
	struct nlattr *const *tb = r->tb;
	uint32_t dev_id;

	if (!tb[VDPA_ATTR_DEV_NAME] || !tb[VDPA_ATTR_DEV_ID])
		return -EINVAL;
	dev_id = nla_get_u32(tb[VDPA_ATTR_DEV_ID]);
	out_entry_open(o, nla_get_string(tb[VDPA_ATTR_DEV_NAME]));
	if (dev_id == VIRTIO_ID_NET)
		show_net_config(o, tb);
	if (o->details && tb[VDPA_ATTR_DEV_FEATURES])
		show_features(o, "dev_features",
			      nla_get_u64(tb[VDPA_ATTR_DEV_FEATURES]), dev_id);
	out_entry_close(o);
	return 0;
}

/*
 * Even queues receive, odd ones send, the one after them is control; a
 * device without VIRTIO_NET_F_MQ has one pair (upstream's core then sends
 * no max_vqp; the suite's sends 1).
 */
static void show_queue_type(struct out *o, struct nlattr *const *tb)
{
	uint32_t qidx = nla_get_u32(tb[VDPA_ATTR_DEV_QUEUE_INDEX]);
	uint64_t features = 0;
	uint32_t max_vqp = 1;
	const char *type;

	if (tb[VDPA_ATTR_DEV_NET_CFG_MAX_VQP])
		max_vqp = nla_get_u16(tb[VDPA_ATTR_DEV_NET_CFG_MAX_VQP]);
	if (tb[VDPA_ATTR_DEV_NEGOTIATED_FEATURES])
		features = nla_get_u64(tb[VDPA_ATTR_DEV_NEGOTIATED_FEATURES]);
	if ((features & (1ULL << VIRTIO_NET_F_CTRL_VQ)) && qidx == 2 * max_vqp)
		type = "control_vq";
	else
		type = qidx & 1 ? "tx" : "rx";
	out_string(o, "queue_type", "queue_type %s ", type);
}

/* Vendor statistics come as name and value pairs, in order */
static void show_net_vstats(struct out *o, const struct vdpa_reply *r)
{
	const char *name = NULL;
	struct nlattr *attr;
	int rem;

	if (r->tb[VDPA_ATTR_DEV_QUEUE_INDEX])
		show_queue_type(o, r->tb);
	nla_for_each_attr(attr, r->attrs, r->len, rem) {
		if (nla_type(attr) == VDPA_ATTR_DEV_VENDOR_ATTR_NAME) {
			name = nla_get_string(attr);
		} else if (nla_type(attr) == VDPA_ATTR_DEV_VENDOR_ATTR_VALUE &&
			   name) {
			out_pair(o, name, nla_get_u64(attr));
			name = NULL;
		}
	}
}

static int show_vstats(struct out *o, const struct vdpa_reply *r)
{
	struct nlattr *const *tb = r->tb;

	if (!tb[VDPA_ATTR_DEV_NAME] || !tb[VDPA_ATTR_DEV_ID])
		return -EINVAL;
	out_entry_open(o, nla_get_string(tb[VDPA_ATTR_DEV_NAME]));
	if (nla_get_u32(tb[VDPA_ATTR_DEV_ID]) == VIRTIO_ID_NET)
		show_net_vstats(o, r);
	out_entry_close(o);
	return 0;
}

static const struct {
	const char *section;
	int (*print)(struct out *o, const struct vdpa_reply *r);
} show_kinds[] = {
	[ARGS_SHOW_MGMTDEV]	= { "mgmtdev",	show_mgmtdev },
	[ARGS_SHOW_DEV]		= { "dev",	show_dev },
	[ARGS_SHOW_CONFIG]	= { "config",	show_config },
	[ARGS_SHOW_VSTATS]	= { "vstats",	show_vstats },
};

const char *show_section(enum args_show kind)
{
	return show_kinds[kind].section;
}

int show_reply(struct out *o, enum args_show kind,
	       const struct vdpa_reply *reply)
{
	if (kind == ARGS_SHOW_NONE)
		return 0;
	return show_kinds[kind].print(o, reply);
}
