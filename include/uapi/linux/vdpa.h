/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vDPA management over generic netlink: the family "vdpa".
 *
 * The commands and attributes carry exactly the values of the newest
 * upstream Linux uAPI (this is what iproute2's vdpa, QEMU, DPDK and libvirt
 * speak); this file is the suite's own rendering of them, for kernels and
 * C libraries whose headers are older.
 *
 * ABI history worth knowing: Linux 6.1 alone gave number 21 to a
 * "VDPA_ATTR_VDPA_DEV_SUPPORTED_FEATURES" reply attribute (device features
 * in config get). Linux 6.2 dropped it, reporting device features in
 * VDPA_ATTR_DEV_FEATURES (20), and 6.9 reassigned 21 to the block capacity.
 * The suite follows the newest numbering. Debian 12's iproute2 6.1 neither
 * sends nor reads 20 or 21, so it works unchanged against it.
 *
 * Extensions of the suite (not upstream) live at VDPA_ATTR_EXT_BASE and
 * up; see the block at the end.
 */
#ifndef _UAPI_LINUX_VDPA_H_
#define _UAPI_LINUX_VDPA_H_

#define VDPA_GENL_NAME "vdpa"
#define VDPA_GENL_VERSION 0x1

enum vdpa_command {
	VDPA_CMD_UNSPEC,
	VDPA_CMD_MGMTDEV_NEW,
	VDPA_CMD_MGMTDEV_GET,		/* can dump */
	VDPA_CMD_DEV_NEW,
	VDPA_CMD_DEV_DEL,
	VDPA_CMD_DEV_GET,		/* can dump */
	VDPA_CMD_DEV_CONFIG_GET,	/* can dump */
	VDPA_CMD_DEV_VSTATS_GET,
	VDPA_CMD_DEV_ATTR_SET,
};

enum vdpa_attr {
	VDPA_ATTR_UNSPEC,

	/* padding for 64-bit attributes */
	VDPA_ATTR_PAD = VDPA_ATTR_UNSPEC,

	/* optional bus name and device name: the management device handle */
	VDPA_ATTR_MGMTDEV_BUS_NAME,		/* string */
	VDPA_ATTR_MGMTDEV_DEV_NAME,		/* string */
	VDPA_ATTR_MGMTDEV_SUPPORTED_CLASSES,	/* u64 */

	VDPA_ATTR_DEV_NAME,			/* string */
	VDPA_ATTR_DEV_ID,			/* u32 */
	VDPA_ATTR_DEV_VENDOR_ID,		/* u32 */
	VDPA_ATTR_DEV_MAX_VQS,			/* u32 */
	VDPA_ATTR_DEV_MAX_VQ_SIZE,		/* u16 */
	VDPA_ATTR_DEV_MIN_VQ_SIZE,		/* u16 */

	VDPA_ATTR_DEV_NET_CFG_MACADDR,		/* binary, ETH_ALEN */
	VDPA_ATTR_DEV_NET_STATUS,		/* u16 on the wire */
	VDPA_ATTR_DEV_NET_CFG_MAX_VQP,		/* u16 */
	VDPA_ATTR_DEV_NET_CFG_MTU,		/* u16 */

	VDPA_ATTR_DEV_NEGOTIATED_FEATURES,	/* u64 */
	VDPA_ATTR_DEV_MGMTDEV_MAX_VQS,		/* u32 */
	/* virtio features the management device supports */
	VDPA_ATTR_DEV_SUPPORTED_FEATURES,	/* u64 */

	VDPA_ATTR_DEV_QUEUE_INDEX,		/* u32 */
	VDPA_ATTR_DEV_VENDOR_ATTR_NAME,		/* string */
	VDPA_ATTR_DEV_VENDOR_ATTR_VALUE,	/* u64 */

	/* virtio features provisioned to, or offered by, the device */
	VDPA_ATTR_DEV_FEATURES,			/* u64 */

	VDPA_ATTR_DEV_BLK_CFG_CAPACITY,		/* u64 */
	VDPA_ATTR_DEV_BLK_CFG_SIZE_MAX,		/* u32 */
	VDPA_ATTR_DEV_BLK_CFG_BLK_SIZE,		/* u32 */
	VDPA_ATTR_DEV_BLK_CFG_SEG_MAX,		/* u32 */
	VDPA_ATTR_DEV_BLK_CFG_NUM_QUEUES,	/* u16 */
	VDPA_ATTR_DEV_BLK_CFG_PHY_BLK_EXP,	/* u8 */
	VDPA_ATTR_DEV_BLK_CFG_ALIGN_OFFSET,	/* u8 */
	VDPA_ATTR_DEV_BLK_CFG_MIN_IO_SIZE,	/* u16 */
	VDPA_ATTR_DEV_BLK_CFG_OPT_IO_SIZE,	/* u32 */
	VDPA_ATTR_DEV_BLK_CFG_MAX_DISCARD_SEC,	/* u32 */
	VDPA_ATTR_DEV_BLK_CFG_MAX_DISCARD_SEG,	/* u32 */
	VDPA_ATTR_DEV_BLK_CFG_DISCARD_SEC_ALIGN,/* u32 */
	VDPA_ATTR_DEV_BLK_CFG_MAX_WRITE_ZEROES_SEC,	/* u32 */
	VDPA_ATTR_DEV_BLK_CFG_MAX_WRITE_ZEROES_SEG,	/* u32 */
	VDPA_ATTR_DEV_BLK_READ_ONLY,		/* u8 */
	VDPA_ATTR_DEV_BLK_FLUSH,		/* u8 */

	/* new upstream attributes are added above here */
	VDPA_ATTR_MAX,
};

/*
 * Suite extensions.
 *
 * They are numbered from VDPA_ATTR_EXT_BASE (512), far above upstream's
 * range (37 attributes after five years of growth by one per addition), so
 * no upstream number can collide with them for decades; the suite's host
 * unit tests fail the build if VDPA_ATTR_MAX ever reaches the base. Should
 * upstream come near, the base moves up and the old numbers stay accepted
 * for two releases. Upstream clients never see a difference: they do not
 * send these attributes and skip them in replies.
 *
 * VDPA_ATTR_EXT_DEV_MODE selects, at VDPA_CMD_DEV_NEW, which bus driver
 * the new device binds to (and which front-end module is loaded for it);
 * without it the core's default_mode module parameter applies ("virtio"
 * unless set otherwise). VDPA_CMD_DEV_GET replies carry the mode and the
 * name of the bound driver, if any.
 */
#define VDPA_ATTR_EXT_BASE		512

enum vdpa_ext_attr {
	VDPA_ATTR_EXT_DEV_MODE = VDPA_ATTR_EXT_BASE,	/* u8, enum vdpa_dev_mode */
	VDPA_ATTR_EXT_DEV_DRIVER,			/* string, reply only */

	VDPA_ATTR_EXT_MAX,
};

enum vdpa_dev_mode {
	VDPA_DEV_MODE_VIRTIO = 1,	/* virtio_vdpa: the kernel's virtio drivers */
	VDPA_DEV_MODE_VHOST = 2,	/* vhost_vdpa: /dev/vhost-vdpa-N */
};

#endif /* _UAPI_LINUX_VDPA_H_ */
