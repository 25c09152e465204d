// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "vdpa": management devices, device lifecycle,
 * config and statistics queries, numbered as upstream's uAPI.
 */
#include <linux/module.h>
#include <linux/etherdevice.h>
#include <linux/kmod.h>
#include <net/genetlink.h>
#include <uapi/linux/virtio_ids.h>
#include <uapi/linux/virtio_net.h>
#include <uapi/linux/virtio_blk.h>
#include <uapi/linux/virtio_config.h>

#include "vdpa_core.h"

/* the smallest MTU virtio-net allows (virtio 1.1, 5.1.4.1) */
#define VDPA_MIN_MTU	68

static struct genl_family vdpa_nl_family;

static const struct nla_policy vdpa_nl_policy[VDPA_ATTR_EXT_MAX] = {
	[VDPA_ATTR_MGMTDEV_BUS_NAME] = { .type = NLA_NUL_STRING },
	[VDPA_ATTR_MGMTDEV_DEV_NAME] = { .type = NLA_NUL_STRING },
	[VDPA_ATTR_DEV_NAME] = { .type = NLA_NUL_STRING },
	/* length checked by the handler, to name the attribute in errors */
	[VDPA_ATTR_DEV_NET_CFG_MACADDR] = { .type = NLA_BINARY },
	[VDPA_ATTR_DEV_NET_CFG_MAX_VQP] = { .type = NLA_U16 },
	[VDPA_ATTR_DEV_NET_CFG_MTU] = { .type = NLA_U16 },
	[VDPA_ATTR_DEV_QUEUE_INDEX] = { .type = NLA_U32 },
	[VDPA_ATTR_DEV_FEATURES] = { .type = NLA_U64 },
	[VDPA_ATTR_EXT_DEV_MODE] = { .type = NLA_U8 },
};

static void *vdpa_nl_put_header(struct sk_buff *msg, u32 portid, u32 seq,
				int flags, u8 cmd)
{
	return genlmsg_put(msg, portid, seq, &vdpa_nl_family, flags, cmd);
}

/* Send msg as the reply, or free it and return err. */
static int vdpa_nl_reply(struct sk_buff *msg, struct genl_info *info, int err)
{
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int vdpa_put_mgmtdev_handle(struct sk_buff *msg,
				   const struct vdpa_mgmt_dev *mdev)
{
	const struct device *dev = mdev->device;

	if (dev->bus &&
	    nla_put_string(msg, VDPA_ATTR_MGMTDEV_BUS_NAME, dev->bus->name))
		return -EMSGSIZE;
	return nla_put_string(msg, VDPA_ATTR_MGMTDEV_DEV_NAME, dev_name(dev));
}

static u64 vdpa_mgmtdev_classes(const struct vdpa_mgmt_dev *mdev)
{
	const struct virtio_device_id *id;
	u64 classes = 0;

	for (id = mdev->id_table; id->device; id++)
		if (id->device < 64)
			classes |= BIT_ULL(id->device);
	return classes;
}

static int vdpa_mgmtdev_fill(struct sk_buff *msg,
			     const struct vdpa_mgmt_dev *mdev,
			     u32 portid, u32 seq, int flags)
{
	void *hdr = vdpa_nl_put_header(msg, portid, seq, flags,
				       VDPA_CMD_MGMTDEV_NEW);

	if (!hdr)
		return -EMSGSIZE;
	if (vdpa_put_mgmtdev_handle(msg, mdev) ||
	    nla_put_u64_64bit(msg, VDPA_ATTR_MGMTDEV_SUPPORTED_CLASSES,
			      vdpa_mgmtdev_classes(mdev), VDPA_ATTR_UNSPEC) ||
	    nla_put_u32(msg, VDPA_ATTR_DEV_MGMTDEV_MAX_VQS,
			mdev->max_supported_vqs) ||
	    nla_put_u64_64bit(msg, VDPA_ATTR_DEV_SUPPORTED_FEATURES,
			      mdev->supported_features, VDPA_ATTR_UNSPEC)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

/* The optional bus name and the device name of a management device. */
static int vdpa_nl_mgmtdev_handle(struct genl_info *info, const char **bus,
				  const char **name)
{
	if (!info->attrs[VDPA_ATTR_MGMTDEV_DEV_NAME]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing management device name (VDPA_ATTR_MGMTDEV_DEV_NAME)");
		return -EINVAL;
	}
	*name = nla_data(info->attrs[VDPA_ATTR_MGMTDEV_DEV_NAME]);
	*bus = info->attrs[VDPA_ATTR_MGMTDEV_BUS_NAME] ?
	       nla_data(info->attrs[VDPA_ATTR_MGMTDEV_BUS_NAME]) : NULL;
	return 0;
}

static int vdpa_nl_cmd_mgmtdev_get_doit(struct sk_buff *skb,
					struct genl_info *info)
{
	struct vdpa_mgmt_dev *mdev;
	const char *bus, *name;
	struct sk_buff *msg;
	int err;

	err = vdpa_nl_mgmtdev_handle(info, &bus, &name);
	if (err)
		return err;
	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	down_read(&vdpa_dev_lock);
	mdev = _vdpa_mgmtdev_find(bus, name);
	if (!mdev) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VDPA_ATTR_MGMTDEV_DEV_NAME],
				    "management device not found");
		err = -ENODEV;
	} else {
		err = vdpa_mgmtdev_fill(msg, mdev, info->snd_portid,
					info->snd_seq, 0);
	}
	up_read(&vdpa_dev_lock);
	return vdpa_nl_reply(msg, info, err);
}

static int vdpa_nl_cmd_mgmtdev_get_dumpit(struct sk_buff *msg,
					  struct netlink_callback *cb)
{
	struct vdpa_mgmt_dev *mdev;
	long start = cb->args[0], idx = 0;
	int err = 0;

	down_read(&vdpa_dev_lock);
	list_for_each_entry(mdev, &vdpa_mgmtdev_list, list) {
		if (idx >= start) {
			err = vdpa_mgmtdev_fill(msg, mdev,
						NETLINK_CB(cb->skb).portid,
						cb->nlh->nlmsg_seq, NLM_F_MULTI);
			if (err)
				break;
		}
		idx++;
	}
	up_read(&vdpa_dev_lock);
	cb->args[0] = idx;
	/* a full message ends this part of the dump; the rest follows */
	if (err && err != -EMSGSIZE)
		return err;
	return msg->len;
}

/* MAC, MTU and queue pairs given at creation, checked and collected. */
static int vdpa_nl_parse_net(struct genl_info *info,
			     struct vdpa_dev_set_config *config)
{
	struct nlattr **attrs = info->attrs;
	struct nlattr *a;

	a = attrs[VDPA_ATTR_DEV_NET_CFG_MACADDR];
	if (a) {
		if (nla_len(a) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "mac: a MAC address is 6 bytes (VDPA_ATTR_DEV_NET_CFG_MACADDR)");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(a))) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "mac: not a valid unicast MAC address (VDPA_ATTR_DEV_NET_CFG_MACADDR)");
			return -EINVAL;
		}
		memcpy(config->net.mac, nla_data(a), ETH_ALEN);
		config->mask |= BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MACADDR);
	}
	a = attrs[VDPA_ATTR_DEV_NET_CFG_MTU];
	if (a) {
		config->net.mtu = nla_get_u16(a);
		if (config->net.mtu < VDPA_MIN_MTU) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "mtu: below the virtio-net minimum of 68 (VDPA_ATTR_DEV_NET_CFG_MTU)");
			return -ERANGE;
		}
		config->mask |= BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MTU);
	}
	a = attrs[VDPA_ATTR_DEV_NET_CFG_MAX_VQP];
	if (a) {
		config->net.max_vq_pairs = nla_get_u16(a);
		if (!config->net.max_vq_pairs) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "max_vqp: at least one queue pair is needed (VDPA_ATTR_DEV_NET_CFG_MAX_VQP)");
			return -EINVAL;
		}
		config->mask |= BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MAX_VQP);
	}
	return 0;
}

static int vdpa_nl_parse_features(struct genl_info *info,
				  struct vdpa_dev_set_config *config)
{
	struct nlattr *a = info->attrs[VDPA_ATTR_DEV_FEATURES];

	if (!a)
		return 0;
	config->device_features = nla_get_u64(a);
	if (!(config->device_features & BIT_ULL(VIRTIO_F_VERSION_1))) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "device_features: VIRTIO_F_VERSION_1 (bit 32) is required (VDPA_ATTR_DEV_FEATURES)");
		return -EINVAL;
	}
	config->mask |= BIT_ULL(VDPA_ATTR_DEV_FEATURES);
	return 0;
}

static int vdpa_nl_parse_mode(struct genl_info *info, u8 *mode)
{
	struct nlattr *a = info->attrs[VDPA_ATTR_EXT_DEV_MODE];

	*mode = vdpa_default_mode();
	if (!a)
		return 0;
	*mode = nla_get_u8(a);
	if (*mode != VDPA_DEV_MODE_VIRTIO && *mode != VDPA_DEV_MODE_VHOST) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "mode: unknown mode, use 1 (virtio) or 2 (vhost) (VDPA_ATTR_EXT_DEV_MODE)");
		return -EINVAL;
	}
	return 0;
}

/* Checks that need the management device: what it accepts and offers. */
static int vdpa_nl_check_config(struct genl_info *info,
				const struct vdpa_mgmt_dev *mdev,
				const struct vdpa_dev_set_config *config)
{
	u64 extra = config->mask & ~mdev->config_attr_mask;
	u64 unsupported;

	if (extra) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the management device does not support some of the given attributes");
		return -EOPNOTSUPP;
	}
	unsupported = config->device_features & ~mdev->supported_features;
	if ((config->mask & BIT_ULL(VDPA_ATTR_DEV_FEATURES)) && unsupported) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VDPA_ATTR_DEV_FEATURES],
				    "device_features: has bits the management device does not support (VDPA_ATTR_DEV_FEATURES)");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Find the management device, loading its module if it is not there. */
static struct vdpa_mgmt_dev *vdpa_nl_get_mgmtdev(const char *bus,
						 const char *name)
{
	struct vdpa_mgmt_dev *mdev;

	down_write(&vdpa_dev_lock);
	mdev = _vdpa_mgmtdev_find(bus, name);
	if (mdev)
		return mdev;
	up_write(&vdpa_dev_lock);
	/* modules alias themselves as vdpa-mgmtdev-<name> or -<bus> */
	request_module("vdpa-mgmtdev-%s", bus ? bus : name);
	down_write(&vdpa_dev_lock);
	mdev = _vdpa_mgmtdev_find(bus, name);
	if (!mdev)
		up_write(&vdpa_dev_lock);
	return mdev;
}

static int vdpa_nl_dev_name(struct genl_info *info, const char **name)
{
	struct nlattr *a = info->attrs[VDPA_ATTR_DEV_NAME];

	if (!a) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing device name (VDPA_ATTR_DEV_NAME)");
		return -EINVAL;
	}
	*name = nla_data(a);
	if (!**name || strchr(*name, '/') || strlen(*name) >= 64) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "name: must be 1 to 63 characters without '/' (VDPA_ATTR_DEV_NAME)");
		return -EINVAL;
	}
	return 0;
}

static int vdpa_nl_parse_new(struct genl_info *info, const char **name,
			     u8 *mode, struct vdpa_dev_set_config *config)
{
	int err;

	err = vdpa_nl_dev_name(info, name);
	if (!err)
		err = vdpa_nl_parse_net(info, config);
	if (!err)
		err = vdpa_nl_parse_features(info, config);
	if (!err)
		err = vdpa_nl_parse_mode(info, mode);
	return err;
}

static int vdpa_nl_cmd_dev_add_doit(struct sk_buff *skb,
					struct genl_info *info)
{
	struct vdpa_dev_set_config config = {};
	struct vdpa_mgmt_dev *mdev;
	struct vdpa_device *dup;
	const char *bus, *mgmt, *name;
	u8 mode;
	int err;

	err = vdpa_nl_parse_new(info, &name, &mode, &config);
	if (!err)
		err = vdpa_nl_mgmtdev_handle(info, &bus, &mgmt);
	if (err)
		return err;

	mdev = vdpa_nl_get_mgmtdev(bus, mgmt);
	if (!mdev) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[VDPA_ATTR_MGMTDEV_DEV_NAME],
				    "mgmtdev: no such management device (VDPA_ATTR_MGMTDEV_DEV_NAME)");
		return -ENODEV;
	}
	/* vdpa_dev_lock is held for writing from here */
	dup = vdpa_find_device(name);
	if (dup) {
		put_device(&dup->dev);
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VDPA_ATTR_DEV_NAME],
				    "name: a vdpa device with this name exists (VDPA_ATTR_DEV_NAME)");
		err = -EEXIST;
		goto out;
	}
	err = vdpa_nl_check_config(info, mdev, &config);
	if (!err)
		err = _vdpa_mgmtdev_dev_add(mdev, name, mode, &config,
					    info->extack);
out:
	up_write(&vdpa_dev_lock);
	if (!err)
		vdpa_request_driver(name);
	return err;
}

/* The device named in the request; a reference is held on success. */
static struct vdpa_device *vdpa_nl_find_dev(struct genl_info *info)
{
	struct vdpa_device *vdev;
	const char *name;
	int err;

	err = vdpa_nl_dev_name(info, &name);
	if (err)
		return ERR_PTR(err);
	vdev = vdpa_find_device(name);
	if (!vdev) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VDPA_ATTR_DEV_NAME],
				    "name: no such vdpa device (VDPA_ATTR_DEV_NAME)");
		return ERR_PTR(-ENODEV);
	}
	return vdev;
}

static int vdpa_nl_cmd_dev_del_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct vdpa_device *vdev;
	int err = 0;

	down_write(&vdpa_dev_lock);
	vdev = vdpa_nl_find_dev(info);
	if (IS_ERR(vdev)) {
		err = PTR_ERR(vdev);
		goto out;
	}
	if (!vdev->mdev) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the device was not created through a management device and cannot be deleted");
		err = -EOPNOTSUPP;
	} else {
		vdev->mdev->ops->dev_del(vdev->mdev, vdev);
	}
	put_device(&vdev->dev);
out:
	up_write(&vdpa_dev_lock);
	return err;
}

static int vdpa_dev_fill_ext(struct sk_buff *msg, struct vdpa_device *vdev)
{
	const struct device_driver *drv;
	int err;

	err = nla_put_u8(msg, VDPA_ATTR_EXT_DEV_MODE, vdpa_get_mode(vdev));
	if (err)
		return err;
	/* the driver stays bound: the caller holds the device lock */
	device_lock_assert(&vdev->dev);
	drv = vdev->dev.driver;
	if (drv)
		err = nla_put_string(msg, VDPA_ATTR_EXT_DEV_DRIVER, drv->name);
	return err;
}

static int vdpa_dev_fill_attrs(struct sk_buff *msg, struct vdpa_device *vdev)
{
	const struct vdpa_config_ops *ops = vdev->config;
	u16 min_size = ops->get_vq_num_min ? ops->get_vq_num_min(vdev) : 1;

	if (nla_put_string(msg, VDPA_ATTR_DEV_NAME, dev_name(&vdev->dev)) ||
	    (vdev->mdev && vdpa_put_mgmtdev_handle(msg, vdev->mdev)) ||
	    nla_put_u32(msg, VDPA_ATTR_DEV_ID, ops->get_device_id(vdev)) ||
	    nla_put_u32(msg, VDPA_ATTR_DEV_VENDOR_ID,
			ops->get_vendor_id ? ops->get_vendor_id(vdev) : 0) ||
	    nla_put_u32(msg, VDPA_ATTR_DEV_MAX_VQS, vdev->nvqs) ||
	    nla_put_u16(msg, VDPA_ATTR_DEV_MAX_VQ_SIZE,
			ops->get_vq_num_max ? ops->get_vq_num_max(vdev) : 0) ||
	    nla_put_u16(msg, VDPA_ATTR_DEV_MIN_VQ_SIZE, min_size))
		return -EMSGSIZE;
	return vdpa_dev_fill_ext(msg, vdev);
}

/* One reply message: the header for cmd, then what attrs() puts. */
static int vdpa_nl_fill(struct sk_buff *msg, struct vdpa_device *vdev,
			u32 portid, u32 seq, int flags, u8 cmd,
			int (*attrs)(struct sk_buff *, struct vdpa_device *))
{
	void *hdr = vdpa_nl_put_header(msg, portid, seq, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (attrs(msg, vdev)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

static int vdpa_dev_fill(struct sk_buff *msg, struct vdpa_device *vdev,
			 u32 portid, u32 seq, int flags)
{
	return vdpa_nl_fill(msg, vdev, portid, seq, flags, VDPA_CMD_DEV_NEW,
			    vdpa_dev_fill_attrs);
}

static int vdpa_net_config_fill(struct sk_buff *msg, struct vdpa_device *vdev,
				u64 features)
{
	struct virtio_net_config cfg = {};

	vdpa_get_config(vdev, 0, &cfg, sizeof(cfg));
	if ((features & BIT_ULL(VIRTIO_NET_F_MAC)) &&
	    nla_put(msg, VDPA_ATTR_DEV_NET_CFG_MACADDR, ETH_ALEN, cfg.mac))
		return -EMSGSIZE;
	if ((features & BIT_ULL(VIRTIO_NET_F_STATUS)) &&
	    nla_put_u16(msg, VDPA_ATTR_DEV_NET_STATUS,
			le16_to_cpu((__force __le16)cfg.status)))
		return -EMSGSIZE;
	if ((features & (BIT_ULL(VIRTIO_NET_F_MQ) | BIT_ULL(VIRTIO_NET_F_RSS))) &&
	    nla_put_u16(msg, VDPA_ATTR_DEV_NET_CFG_MAX_VQP,
			le16_to_cpu((__force __le16)cfg.max_virtqueue_pairs)))
		return -EMSGSIZE;
	if ((features & BIT_ULL(VIRTIO_NET_F_MTU)) &&
	    nla_put_u16(msg, VDPA_ATTR_DEV_NET_CFG_MTU,
			le16_to_cpu((__force __le16)cfg.mtu)))
		return -EMSGSIZE;
	return 0;
}

/* a little-endian config field of the modern virtio-blk layout */
#define VDPA_BLK_CFG(cfg, f, bits)	le##bits##_to_cpu((__force __le##bits)(cfg).f)

/*
 * A block device's config space, as upstream reports it: the capacity
 * always, read-only and flush as flags always, the rest only with the
 * device feature that makes the field valid.
 */
static int vdpa_blk_config_fill(struct sk_buff *msg, struct vdpa_device *vdev,
				u64 features)
{
	struct virtio_blk_config cfg = {};

	vdpa_get_config(vdev, 0, &cfg, sizeof(cfg));
	if (nla_put_u64_64bit(msg, VDPA_ATTR_DEV_BLK_CFG_CAPACITY,
			      VDPA_BLK_CFG(cfg, capacity, 64), VDPA_ATTR_PAD))
		return -EMSGSIZE;
	if ((features & BIT_ULL(VIRTIO_BLK_F_SIZE_MAX)) &&
	    nla_put_u32(msg, VDPA_ATTR_DEV_BLK_CFG_SIZE_MAX,
			VDPA_BLK_CFG(cfg, size_max, 32)))
		return -EMSGSIZE;
	if ((features & BIT_ULL(VIRTIO_BLK_F_BLK_SIZE)) &&
	    nla_put_u32(msg, VDPA_ATTR_DEV_BLK_CFG_BLK_SIZE,
			VDPA_BLK_CFG(cfg, blk_size, 32)))
		return -EMSGSIZE;
	if ((features & BIT_ULL(VIRTIO_BLK_F_SEG_MAX)) &&
	    nla_put_u32(msg, VDPA_ATTR_DEV_BLK_CFG_SEG_MAX,
			VDPA_BLK_CFG(cfg, seg_max, 32)))
		return -EMSGSIZE;
	if ((features & BIT_ULL(VIRTIO_BLK_F_MQ)) &&
	    nla_put_u16(msg, VDPA_ATTR_DEV_BLK_CFG_NUM_QUEUES,
			VDPA_BLK_CFG(cfg, num_queues, 16)))
		return -EMSGSIZE;
	if ((features & BIT_ULL(VIRTIO_BLK_F_TOPOLOGY)) &&
	    (nla_put_u8(msg, VDPA_ATTR_DEV_BLK_CFG_PHY_BLK_EXP,
			cfg.physical_block_exp) ||
	     nla_put_u8(msg, VDPA_ATTR_DEV_BLK_CFG_ALIGN_OFFSET,
			cfg.alignment_offset) ||
	     nla_put_u16(msg, VDPA_ATTR_DEV_BLK_CFG_MIN_IO_SIZE,
			 VDPA_BLK_CFG(cfg, min_io_size, 16)) ||
	     nla_put_u32(msg, VDPA_ATTR_DEV_BLK_CFG_OPT_IO_SIZE,
			 VDPA_BLK_CFG(cfg, opt_io_size, 32))))
		return -EMSGSIZE;
	if ((features & BIT_ULL(VIRTIO_BLK_F_DISCARD)) &&
	    (nla_put_u32(msg, VDPA_ATTR_DEV_BLK_CFG_MAX_DISCARD_SEC,
			 VDPA_BLK_CFG(cfg, max_discard_sectors, 32)) ||
	     nla_put_u32(msg, VDPA_ATTR_DEV_BLK_CFG_MAX_DISCARD_SEG,
			 VDPA_BLK_CFG(cfg, max_discard_seg, 32)) ||
	     nla_put_u32(msg, VDPA_ATTR_DEV_BLK_CFG_DISCARD_SEC_ALIGN,
			 VDPA_BLK_CFG(cfg, discard_sector_alignment, 32))))
		return -EMSGSIZE;
	if ((features & BIT_ULL(VIRTIO_BLK_F_WRITE_ZEROES)) &&
	    (nla_put_u32(msg, VDPA_ATTR_DEV_BLK_CFG_MAX_WRITE_ZEROES_SEC,
			 VDPA_BLK_CFG(cfg, max_write_zeroes_sectors, 32)) ||
	     nla_put_u32(msg, VDPA_ATTR_DEV_BLK_CFG_MAX_WRITE_ZEROES_SEG,
			 VDPA_BLK_CFG(cfg, max_write_zeroes_seg, 32))))
		return -EMSGSIZE;
	if (nla_put_u8(msg, VDPA_ATTR_DEV_BLK_READ_ONLY,
		       !!(features & BIT_ULL(VIRTIO_BLK_F_RO))) ||
	    nla_put_u8(msg, VDPA_ATTR_DEV_BLK_FLUSH,
		       !!(features & BIT_ULL(VIRTIO_BLK_F_FLUSH))))
		return -EMSGSIZE;
	return 0;
}

static int vdpa_dev_config_fill_attrs(struct sk_buff *msg,
				      struct vdpa_device *vdev)
{
	const struct vdpa_config_ops *ops = vdev->config;
	u64 features = ops->get_device_features(vdev);
	u8 status;
	int err;

	if (nla_put_string(msg, VDPA_ATTR_DEV_NAME, dev_name(&vdev->dev)) ||
	    nla_put_u32(msg, VDPA_ATTR_DEV_ID, ops->get_device_id(vdev)) ||
	    nla_put_u64_64bit(msg, VDPA_ATTR_DEV_FEATURES, features,
			      VDPA_ATTR_PAD))
		return -EMSGSIZE;
	down_read(&vdev->cf_lock);
	status = ops->get_status(vdev);
	err = (status & VIRTIO_CONFIG_S_FEATURES_OK) ?
	      nla_put_u64_64bit(msg, VDPA_ATTR_DEV_NEGOTIATED_FEATURES,
				ops->get_driver_features(vdev), VDPA_ATTR_PAD) : 0;
	up_read(&vdev->cf_lock);
	if (err)
		return err;
	switch (ops->get_device_id(vdev)) {
	case VIRTIO_ID_NET:
		return vdpa_net_config_fill(msg, vdev, features);
	case VIRTIO_ID_BLOCK:
		return vdpa_blk_config_fill(msg, vdev, features);
	}
	return 0;
}

static int vdpa_dev_config_fill(struct sk_buff *msg, struct vdpa_device *vdev,
				u32 portid, u32 seq, int flags)
{
	return vdpa_nl_fill(msg, vdev, portid, seq, flags,
			    VDPA_CMD_DEV_CONFIG_GET, vdpa_dev_config_fill_attrs);
}

typedef int (*vdpa_fill_fn)(struct sk_buff *msg, struct vdpa_device *vdev,
			    u32 portid, u32 seq, int flags);

/*
 * A query of one device holds that device's lock (the driver core's), not
 * vdpa_dev_lock: a parent whose reads hang (a function that stopped
 * answering, a config generation that keeps moving) then holds up its
 * own device only, never another's add, delete or query. The device
 * lock keeps the device registered, and so its parent loaded, while the
 * parent's operations run (unregistering takes it to unbind the driver);
 * a device unregistered since it was found is left out. Returns with
 * the lock held when the device is still registered.
 */
static bool vdpa_nl_dev_lock(struct vdpa_device *vdev)
{
	device_lock(&vdev->dev);
	if (vdpa_dev_registered(vdev))
		return true;
	device_unlock(&vdev->dev);
	return false;
}

/* The request's device, found, locked and still registered, or an error. */
static struct vdpa_device *vdpa_nl_find_locked(struct genl_info *info)
{
	struct vdpa_device *vdev = vdpa_nl_find_dev(info);

	if (IS_ERR(vdev) || vdpa_nl_dev_lock(vdev))
		return vdev;
	put_device(&vdev->dev);
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VDPA_ATTR_DEV_NAME],
			    "name: no such vdpa device (VDPA_ATTR_DEV_NAME)");
	return ERR_PTR(-ENODEV);
}

/* Undo vdpa_nl_find_locked(). */
static void vdpa_nl_put_locked(struct vdpa_device *vdev)
{
	device_unlock(&vdev->dev);
	put_device(&vdev->dev);
}

/* doit of the per-device queries: look the device up, fill, reply. */
static int vdpa_nl_dev_query(struct genl_info *info, vdpa_fill_fn fill)
{
	struct vdpa_device *vdev;
	struct sk_buff *msg;
	int err;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	vdev = vdpa_nl_find_locked(info);
	if (IS_ERR(vdev))
		return vdpa_nl_reply(msg, info, PTR_ERR(vdev));
	err = fill(msg, vdev, info->snd_portid, info->snd_seq, 0);
	vdpa_nl_put_locked(vdev);
	return vdpa_nl_reply(msg, info, err);
}

struct vdpa_dump_ctx {
	struct sk_buff *msg;
	struct netlink_callback *cb;
	vdpa_fill_fn fill;
	long start;
	long idx;
};

static int vdpa_dump_one(struct device *dev, void *data)
{
	struct vdpa_dump_ctx *ctx = data;
	int err;

	if (ctx->idx < ctx->start) {
		ctx->idx++;
		return 0;
	}
	/* one going away is skipped, as if the dump had come a moment later */
	if (vdpa_nl_dev_lock(dev_to_vdpa(dev))) {
		err = ctx->fill(ctx->msg, dev_to_vdpa(dev),
				NETLINK_CB(ctx->cb->skb).portid,
				ctx->cb->nlh->nlmsg_seq, NLM_F_MULTI);
		device_unlock(dev);
		if (err)
			return err;
	}
	ctx->idx++;
	return 0;
}

/* dumpit of the per-device queries, resumable through cb->args[0]. */
static int vdpa_nl_dev_dump(struct sk_buff *msg, struct netlink_callback *cb,
			    vdpa_fill_fn fill)
{
	struct vdpa_dump_ctx ctx = {
		.msg = msg, .cb = cb, .fill = fill, .start = cb->args[0],
	};
	int err;

	err = bus_for_each_dev(&vdpa_bus, NULL, &ctx, vdpa_dump_one);
	cb->args[0] = ctx.idx;
	if (err && err != -EMSGSIZE)
		return err;
	return msg->len;
}

static int vdpa_nl_cmd_dev_get_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	return vdpa_nl_dev_query(info, vdpa_dev_fill);
}

static int vdpa_nl_cmd_dev_get_dumpit(struct sk_buff *msg,
				      struct netlink_callback *cb)
{
	return vdpa_nl_dev_dump(msg, cb, vdpa_dev_fill);
}

static int vdpa_nl_cmd_dev_config_get_doit(struct sk_buff *skb,
					   struct genl_info *info)
{
	return vdpa_nl_dev_query(info, vdpa_dev_config_fill);
}

static int vdpa_nl_cmd_dev_config_get_dumpit(struct sk_buff *msg,
					     struct netlink_callback *cb)
{
	return vdpa_nl_dev_dump(msg, cb, vdpa_dev_config_fill);
}

/*
 * What a client needs to name the queue (rx, tx or control): the
 * negotiated features and, for a net device, the number of queue pairs,
 * then the queue index. In this order, as upstream: iproute2 names the
 * queue when it meets the index, from what came before it (an index
 * first made it call a one-pair device's control queue "rx").
 *
 * Upstream sends the number of pairs only with VIRTIO_NET_F_MQ
 * negotiated; without it, iproute2 (6.1 and 6.15) counts no pair and
 * names a one-pair device's queues "control_vq tx rx". Without MQ the
 * device has one pair (virtio 1.2, 5.1.2), and saying so makes every
 * iproute2 name them "rx tx control_vq", whatever the parent offers.
 */
static int vdpa_vstats_queue_attrs(struct sk_buff *msg,
				   struct vdpa_device *vdev,
				   struct genl_info *info, u32 qidx)
{
	const struct vdpa_config_ops *ops = vdev->config;
	struct virtio_net_config cfg = {};
	bool net;
	u64 features;
	u16 vqp = 1;

	down_read(&vdev->cf_lock);
	features = ops->get_driver_features(vdev);
	if (!(ops->get_status(vdev) & VIRTIO_CONFIG_S_FEATURES_OK)) {
		up_read(&vdev->cf_lock);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "feature negotiation is not complete: no queue statistics yet");
		return -EAGAIN;
	}
	up_read(&vdev->cf_lock);
	net = ops->get_device_id(vdev) == VIRTIO_ID_NET;
	if (net && (features & BIT_ULL(VIRTIO_NET_F_MQ))) {
		vdpa_get_config(vdev, 0, &cfg, sizeof(cfg));
		vqp = le16_to_cpu((__force __le16)cfg.max_virtqueue_pairs);
	}
	if (nla_put_u64_64bit(msg, VDPA_ATTR_DEV_NEGOTIATED_FEATURES, features,
			      VDPA_ATTR_PAD) ||
	    (net && nla_put_u16(msg, VDPA_ATTR_DEV_NET_CFG_MAX_VQP, vqp)) ||
	    nla_put_u32(msg, VDPA_ATTR_DEV_QUEUE_INDEX, qidx))
		return -EMSGSIZE;
	return 0;
}

static int vdpa_dev_vstats_fill(struct sk_buff *msg, struct vdpa_device *vdev,
				struct genl_info *info, u32 qidx)
{
	void *hdr = vdpa_nl_put_header(msg, info->snd_portid, info->snd_seq,
				       0, VDPA_CMD_DEV_VSTATS_GET);
	int err;

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(msg, VDPA_ATTR_DEV_NAME, dev_name(&vdev->dev)) ||
	    nla_put_u32(msg, VDPA_ATTR_DEV_ID,
			vdev->config->get_device_id(vdev))) {
		err = -EMSGSIZE;
		goto err_cancel;
	}
	err = vdpa_vstats_queue_attrs(msg, vdev, info, qidx);
	if (!err)
		err = vdev->config->get_vendor_vq_stats(vdev, qidx, msg,
							info->extack);
	if (err)
		goto err_cancel;
	genlmsg_end(msg, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(msg, hdr);
	return err;
}

static int vdpa_nl_vstats_check(struct genl_info *info,
				struct vdpa_device *vdev, u32 *qidx)
{
	struct nlattr *a = info->attrs[VDPA_ATTR_DEV_QUEUE_INDEX];

	if (!a) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "missing queue index (VDPA_ATTR_DEV_QUEUE_INDEX)");
		return -EINVAL;
	}
	*qidx = nla_get_u32(a);
	if (!vdev->config->get_vendor_vq_stats) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the device has no vendor statistics");
		return -EOPNOTSUPP;
	}
	if (*qidx >= vdev->nvqs) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "qidx: no such queue (VDPA_ATTR_DEV_QUEUE_INDEX)");
		return -ERANGE;
	}
	return 0;
}

static int vdpa_nl_cmd_dev_vstats_get_doit(struct sk_buff *skb,
					   struct genl_info *info)
{
	struct vdpa_device *vdev;
	struct sk_buff *msg;
	u32 qidx;
	int err;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	vdev = vdpa_nl_find_locked(info);
	if (IS_ERR(vdev))
		return vdpa_nl_reply(msg, info, PTR_ERR(vdev));
	err = vdpa_nl_vstats_check(info, vdev, &qidx);
	if (!err)
		err = vdpa_dev_vstats_fill(msg, vdev, info, qidx);
	vdpa_nl_put_locked(vdev);
	return vdpa_nl_reply(msg, info, err);
}

static int vdpa_nl_cmd_dev_attr_set_doit(struct sk_buff *skb,
					 struct genl_info *info)
{
	struct vdpa_dev_set_config config = {};
	struct vdpa_device *vdev;
	struct vdpa_mgmt_dev *mdev;
	int err;

	err = vdpa_nl_parse_net(info, &config);
	if (err)
		return err;
	if (config.mask != BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MACADDR)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "only the MAC address can be set (VDPA_ATTR_DEV_NET_CFG_MACADDR)");
		return -EOPNOTSUPP;
	}
	down_write(&vdpa_dev_lock);
	vdev = vdpa_nl_find_dev(info);
	if (IS_ERR(vdev)) {
		err = PTR_ERR(vdev);
		goto out;
	}
	mdev = vdev->mdev;
	if (!mdev || !mdev->ops->dev_set_attr) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the device's parent cannot change attributes");
		err = -EOPNOTSUPP;
	} else {
		err = _vdpa_mgmtdev_dev_set_attr(vdev, &config, info->extack);
	}
	put_device(&vdev->dev);
out:
	up_write(&vdpa_dev_lock);
	return err;
}

static const struct genl_small_ops vdpa_nl_ops[] = {
	{
		.cmd = VDPA_CMD_MGMTDEV_GET,
		.doit = vdpa_nl_cmd_mgmtdev_get_doit,
		.dumpit = vdpa_nl_cmd_mgmtdev_get_dumpit,
	},
	{
		.cmd = VDPA_CMD_DEV_NEW,
		.doit = vdpa_nl_cmd_dev_add_doit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = VDPA_CMD_DEV_DEL,
		.doit = vdpa_nl_cmd_dev_del_doit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = VDPA_CMD_DEV_GET,
		.doit = vdpa_nl_cmd_dev_get_doit,
		.dumpit = vdpa_nl_cmd_dev_get_dumpit,
	},
	{
		.cmd = VDPA_CMD_DEV_CONFIG_GET,
		.doit = vdpa_nl_cmd_dev_config_get_doit,
		.dumpit = vdpa_nl_cmd_dev_config_get_dumpit,
	},
	{
		.cmd = VDPA_CMD_DEV_VSTATS_GET,
		.doit = vdpa_nl_cmd_dev_vstats_get_doit,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = VDPA_CMD_DEV_ATTR_SET,
		.doit = vdpa_nl_cmd_dev_attr_set_doit,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family vdpa_nl_family __ro_after_init = {
	.name = VDPA_GENL_NAME,
	.version = VDPA_GENL_VERSION,
	.maxattr = VDPA_ATTR_EXT_MAX - 1,
	.policy = vdpa_nl_policy,
	.netnsok = false,
	/* handlers take vdpa_dev_lock, and may load parent modules */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = vdpa_nl_ops,
	.n_small_ops = ARRAY_SIZE(vdpa_nl_ops),
	/* as upstream: strict validation for commands after VSTATS_GET */
	.resv_start_op = VDPA_CMD_DEV_VSTATS_GET + 1,
};

int vdpa_netlink_init(void)
{
	return genl_register_family(&vdpa_nl_family);
}

void vdpa_netlink_exit(void)
{
	genl_unregister_family(&vdpa_nl_family);
}

MODULE_ALIAS_GENL_FAMILY(VDPA_GENL_NAME);
