// SPDX-License-Identifier: GPL-2.0
/*
 * A test-only vDPA parent: management device "vdpa_test", creating
 * virtio-net devices with a config space and no datapath. It exercises
 * the core's management plane; it is never installed by DKMS.
 */
#include <linux/module.h>
#include <linux/etherdevice.h>
#include <linux/wait.h>
#include <linux/vdpa_ext.h>
#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_ids.h>
#include <uapi/linux/virtio_net.h>

#define VDPA_TEST_MAX_VQP	4
#define VDPA_TEST_MAX_MTU	9000
#define VDPA_TEST_VQ_NUM	256

#define VDPA_TEST_FEATURES	(BIT_ULL(VIRTIO_F_VERSION_1) |		\
				 BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) |	\
				 BIT_ULL(VIRTIO_NET_F_MAC) |		\
				 BIT_ULL(VIRTIO_NET_F_MTU) |		\
				 BIT_ULL(VIRTIO_NET_F_STATUS) |		\
				 BIT_ULL(VIRTIO_NET_F_MQ) |		\
				 BIT_ULL(VIRTIO_NET_F_CTRL_VQ) |	\
				 BIT_ULL(VIRTIO_NET_F_CTRL_MAC_ADDR))

struct vdpa_test_dev {
	struct vdpa_device vdpa;
	struct virtio_net_config cfg;
	u64 features;		/* offered */
	u64 driver_features;	/* accepted */
	u8 status;
	u32 generation;
};

static struct vdpa_test_dev *to_test(struct vdpa_device *vdpa)
{
	return container_of(vdpa, struct vdpa_test_dev, vdpa);
}

static int vdpa_test_set_vq_address(struct vdpa_device *vdpa, u16 idx,
				    u64 desc, u64 driver, u64 device)
{
	return 0;
}

static void vdpa_test_set_vq_num(struct vdpa_device *vdpa, u16 idx, u32 num)
{
}

static void vdpa_test_kick_vq(struct vdpa_device *vdpa, u16 idx)
{
}

static void vdpa_test_set_vq_cb(struct vdpa_device *vdpa, u16 idx,
				struct vdpa_callback *cb)
{
}

static void vdpa_test_set_vq_ready(struct vdpa_device *vdpa, u16 idx,
				   bool ready)
{
}

static bool vdpa_test_get_vq_ready(struct vdpa_device *vdpa, u16 idx)
{
	return false;
}

static int vdpa_test_vq_state(struct vdpa_device *vdpa, u16 idx,
			      struct vdpa_vq_state *state)
{
	state->split.avail_index = 0;
	return 0;
}

static int vdpa_test_vendor_stats(struct vdpa_device *vdpa, u16 idx,
				  struct sk_buff *msg,
				  struct netlink_ext_ack *extack)
{
	if (nla_put_string(msg, VDPA_ATTR_DEV_VENDOR_ATTR_NAME, "received_desc") ||
	    nla_put_u64_64bit(msg, VDPA_ATTR_DEV_VENDOR_ATTR_VALUE, 0,
			      VDPA_ATTR_PAD))
		return -EMSGSIZE;
	return 0;
}

static u32 vdpa_test_get_vq_align(struct vdpa_device *vdpa)
{
	return PAGE_SIZE;
}

static u64 vdpa_test_get_device_features(struct vdpa_device *vdpa)
{
	return to_test(vdpa)->features;
}

static int vdpa_test_set_driver_features(struct vdpa_device *vdpa, u64 f)
{
	to_test(vdpa)->driver_features = f & to_test(vdpa)->features;
	return 0;
}

static u64 vdpa_test_get_driver_features(struct vdpa_device *vdpa)
{
	return to_test(vdpa)->driver_features;
}

static void vdpa_test_set_config_cb(struct vdpa_device *vdpa,
				    struct vdpa_callback *cb)
{
}

static u16 vdpa_test_get_vq_num_max(struct vdpa_device *vdpa)
{
	return VDPA_TEST_VQ_NUM;
}

/*
 * No queue is usable: a virtio driver bound in virtio mode fails its probe
 * cleanly instead of waiting for a datapath this parent does not have.
 */
static u16 vdpa_test_get_vq_size(struct vdpa_device *vdpa, u16 idx)
{
	return 0;
}

static u32 vdpa_test_get_device_id(struct vdpa_device *vdpa)
{
	return VIRTIO_ID_NET;
}

static u32 vdpa_test_get_vendor_id(struct vdpa_device *vdpa)
{
	return 0;
}

static u8 vdpa_test_get_status(struct vdpa_device *vdpa)
{
	return to_test(vdpa)->status;
}

static void vdpa_test_set_status(struct vdpa_device *vdpa, u8 status)
{
	to_test(vdpa)->status = status;
}

static int vdpa_test_reset(struct vdpa_device *vdpa)
{
	struct vdpa_test_dev *t = to_test(vdpa);

	t->status = 0;
	t->driver_features = 0;
	t->generation++;
	return 0;
}

static size_t vdpa_test_get_config_size(struct vdpa_device *vdpa)
{
	return sizeof(struct virtio_net_config);
}

/*
 * A device whose config reads hang (a function that never answers its
 * MMIO, at worst a PCIe completion timeout per read): while stall_config
 * is set, a read waits for it to be cleared, at most a minute.
 * config_stalled counts the reads waiting now.
 */
static DECLARE_WAIT_QUEUE_HEAD(stall_wq);
static bool stall_config;
static atomic_t config_stalled;

static int stall_config_set(const char *val, const struct kernel_param *kp)
{
	int err = param_set_bool(val, kp);

	wake_up_all(&stall_wq);
	return err;
}

static const struct kernel_param_ops stall_config_ops = {
	.set = stall_config_set,
	.get = param_get_bool,
};
module_param_cb(stall_config, &stall_config_ops, &stall_config, 0644);
MODULE_PARM_DESC(stall_config, "Config reads wait until this is cleared");
module_param_named(config_stalled, config_stalled.counter, int, 0444);
MODULE_PARM_DESC(config_stalled, "Config reads waiting on stall_config now");

static void vdpa_test_get_config(struct vdpa_device *vdpa, unsigned int off,
				 void *buf, unsigned int len)
{
	if (READ_ONCE(stall_config)) {
		atomic_inc(&config_stalled);
		wait_event_timeout(stall_wq, !READ_ONCE(stall_config), 60 * HZ);
		atomic_dec(&config_stalled);
	}
	memcpy(buf, (u8 *)&to_test(vdpa)->cfg + off, len);
}

/* a device whose config generation never settles (every read moves it) */
static bool gen_storm;
module_param(gen_storm, bool, 0644);
MODULE_PARM_DESC(gen_storm, "Move the config generation on every read");
static atomic_t gen_storm_count;

static u32 vdpa_test_get_generation(struct vdpa_device *vdpa)
{
	if (READ_ONCE(gen_storm))
		return atomic_inc_return(&gen_storm_count);
	return to_test(vdpa)->generation;
}

static const struct vdpa_config_ops vdpa_test_ops = {
	.set_vq_address = vdpa_test_set_vq_address,
	.set_vq_num = vdpa_test_set_vq_num,
	.kick_vq = vdpa_test_kick_vq,
	.set_vq_cb = vdpa_test_set_vq_cb,
	.set_vq_ready = vdpa_test_set_vq_ready,
	.get_vq_ready = vdpa_test_get_vq_ready,
	.get_vq_state = vdpa_test_vq_state,
	.get_vendor_vq_stats = vdpa_test_vendor_stats,
	.get_vq_align = vdpa_test_get_vq_align,
	.get_device_features = vdpa_test_get_device_features,
	.set_driver_features = vdpa_test_set_driver_features,
	.get_driver_features = vdpa_test_get_driver_features,
	.set_config_cb = vdpa_test_set_config_cb,
	.get_vq_num_max = vdpa_test_get_vq_num_max,
	.get_vq_size = vdpa_test_get_vq_size,
	.get_device_id = vdpa_test_get_device_id,
	.get_vendor_id = vdpa_test_get_vendor_id,
	.get_status = vdpa_test_get_status,
	.set_status = vdpa_test_set_status,
	.reset = vdpa_test_reset,
	.get_config_size = vdpa_test_get_config_size,
	.get_config = vdpa_test_get_config,
	.get_generation = vdpa_test_get_generation,
};

static struct device *vdpa_test_root;

static int vdpa_test_check(const struct vdpa_dev_set_config *config,
			   struct netlink_ext_ack *extack)
{
	if ((config->mask & BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MTU)) &&
	    config->net.mtu > VDPA_TEST_MAX_MTU) {
		NL_SET_ERR_MSG_MOD(extack, "mtu: above the device maximum of 9000");
		return -ERANGE;
	}
	if ((config->mask & BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MAX_VQP)) &&
	    config->net.max_vq_pairs > VDPA_TEST_MAX_VQP) {
		NL_SET_ERR_MSG_MOD(extack, "max_vqp: above the device maximum of 4");
		return -ERANGE;
	}
	return 0;
}

static void vdpa_test_init_config(struct vdpa_test_dev *t,
				  const struct vdpa_dev_set_config *config)
{
	u16 vqp = 1, mtu = 1500;

	t->features = VDPA_TEST_FEATURES;
	if (config->mask & BIT_ULL(VDPA_ATTR_DEV_FEATURES))
		t->features = config->device_features;
	if (config->mask & BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MACADDR))
		ether_addr_copy(t->cfg.mac, config->net.mac);
	if (config->mask & BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MTU))
		mtu = config->net.mtu;
	if (config->mask & BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MAX_VQP))
		vqp = config->net.max_vq_pairs;
	t->cfg.mtu = (__force __virtio16)cpu_to_le16(mtu);
	t->cfg.max_virtqueue_pairs = (__force __virtio16)cpu_to_le16(vqp);
	t->cfg.status = (__force __virtio16)cpu_to_le16(VIRTIO_NET_S_LINK_UP);
}

static int vdpa_test_dev_add(struct vdpa_mgmt_dev *mdev, const char *name,
			     const struct vdpa_dev_set_config *config)
{
	struct netlink_ext_ack *extack = vdpa_mgmt_extack();
	struct vdpa_test_dev *t;
	int err;

	err = vdpa_test_check(config, extack);
	if (err)
		return err;
	t = vdpa_alloc_device(struct vdpa_test_dev, vdpa, vdpa_test_root,
			      &vdpa_test_ops, NULL, 1, 1, name, false);
	if (IS_ERR(t))
		return PTR_ERR(t);
	vdpa_test_init_config(t, config);
	err = _vdpa_register_device(&t->vdpa,
				    2 * le16_to_cpu((__force __le16)t->cfg.max_virtqueue_pairs) + 1);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "registering the device failed");
		put_device(&t->vdpa.dev);
	}
	return err;
}

static void vdpa_test_dev_del(struct vdpa_mgmt_dev *mdev,
			      struct vdpa_device *vdpa)
{
	_vdpa_unregister_device(vdpa);
}

static int vdpa_test_dev_set_attr(struct vdpa_mgmt_dev *mdev,
				  struct vdpa_device *vdpa,
				  const struct vdpa_dev_set_config *config)
{
	struct vdpa_test_dev *t = to_test(vdpa);

	down_write(&vdpa->cf_lock);
	ether_addr_copy(t->cfg.mac, config->net.mac);
	t->generation++;
	up_write(&vdpa->cf_lock);
	return 0;
}

static const struct vdpa_mgmtdev_ops vdpa_test_mgmt_ops = {
	.dev_add = vdpa_test_dev_add,
	.dev_del = vdpa_test_dev_del,
	.dev_set_attr = vdpa_test_dev_set_attr,
};

static struct virtio_device_id vdpa_test_ids[] = {
	{ VIRTIO_ID_NET, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static struct vdpa_mgmt_dev vdpa_test_mgmt = {
	.ops = &vdpa_test_mgmt_ops,
	.id_table = vdpa_test_ids,
	.config_attr_mask = BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MACADDR) |
			    BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MTU) |
			    BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MAX_VQP) |
			    BIT_ULL(VDPA_ATTR_DEV_FEATURES),
	.supported_features = VDPA_TEST_FEATURES,
	.max_supported_vqs = 2 * VDPA_TEST_MAX_VQP + 1,
};

static int __init vdpa_test_init(void)
{
	int err;

	vdpa_test_root = root_device_register("vdpa_test");
	if (IS_ERR(vdpa_test_root))
		return PTR_ERR(vdpa_test_root);
	vdpa_test_mgmt.device = vdpa_test_root;
	err = vdpa_mgmtdev_register(&vdpa_test_mgmt);
	if (err)
		root_device_unregister(vdpa_test_root);
	return err;
}

static void __exit vdpa_test_exit(void)
{
	vdpa_mgmtdev_unregister(&vdpa_test_mgmt);
	root_device_unregister(vdpa_test_root);
}

module_init(vdpa_test_init);
module_exit(vdpa_test_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The vDPA suite developers");
MODULE_DESCRIPTION("Test-only vDPA parent without a datapath");
MODULE_VERSION("0.1.0");
MODULE_ALIAS("vdpa-mgmtdev-vdpa_test");
