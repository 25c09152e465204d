/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the suite's vDPA core adds to upstream's kernel API (<linux/vdpa.h>),
 * kept beside upstream's structures, never inside them: the mode a device
 * was created in, the bus driver of each mode, batched mapping and dirty
 * logging for parents that can do them, and the netlink request's error
 * report for management operations. Parents and bus drivers that use none
 * of it are plain upstream ones.
 */
#ifndef _LINUX_VDPA_EXT_H
#define _LINUX_VDPA_EXT_H

#include <linux/vdpa.h>
#include <uapi/linux/vdpa.h>
#include <uapi/linux/virtio_config.h>

/* the size of the memory one bit of a dirty log stands for, as vhost's */
#define VDPA_LOG_PAGE_SHIFT	12

/**
 * struct vdpa_dirty_log - a bitmap of the memory a device wrote
 * @bitmap: bit @first + N stands for IOVA page N (of 1 << VDPA_LOG_PAGE_SHIFT
 *	bytes); set, never cleared, by the device
 * @first: the bit of IOVA page 0
 * @nbits: how many pages the bitmap covers; the bus driver sizes it to
 *	cover every mapping, so a write past it cannot be a write to memory
 */
struct vdpa_dirty_log {
	unsigned long *bitmap;
	u64 first;
	u64 nbits;
};

/**
 * vdpa_log_write - mark memory a device wrote in a dirty log
 * @log: the log
 * @iova: the first byte written
 * @len: how many bytes (at least 1)
 *
 * Atomic: devices with several queue workers mark one log concurrently.
 */
static inline void vdpa_log_write(const struct vdpa_dirty_log *log, u64 iova,
				  u64 len)
{
	u64 page = iova >> VDPA_LOG_PAGE_SHIFT;
	u64 last = (iova + len - 1) >> VDPA_LOG_PAGE_SHIFT;

	for (; page <= last && page < log->nbits; page++)
		set_bit(log->first + page, log->bitmap);
}

/**
 * struct vdpa_ext_ops - operations a parent adds to struct vdpa_config_ops
 * @dma_batch_begin: start a batch of dma_map/dma_unmap calls on an address
 *	space; the parent may defer them until @dma_batch_commit and apply
 *	them atomically. Optional, with @dma_batch_commit.
 * @dma_batch_commit: end a batch
 * @set_dirty_log: from now on, mark every page of memory the device writes
 *	(buffers and its own ring areas, in any address space) in @log with
 *	vdpa_log_write(); NULL stops logging. When it returns the device no
 *	longer touches the log it had before. Optional: a parent that
 *	writes memory only through its own code (a software device) can
 *	offer it, and vhost_vdpa then offers VHOST_F_LOG_ALL.
 *
 * A parent gives them with vdpa_set_ext_ops() before it registers the
 * device; bus drivers find them with vdpa_get_ext_ops().
 */
struct vdpa_ext_ops {
	int (*dma_batch_begin)(struct vdpa_device *vdev, unsigned int asid);
	int (*dma_batch_commit)(struct vdpa_device *vdev, unsigned int asid);
	int (*set_dirty_log)(struct vdpa_device *vdev,
			     struct vdpa_dirty_log *log);
};

int vdpa_set_ext_ops(struct vdpa_device *vdev, const struct vdpa_ext_ops *ops);
u16 vdpa_get_vq_size(struct vdpa_device *vdev, u16 idx);
const struct vdpa_ext_ops *vdpa_get_ext_ops(struct vdpa_device *vdev);
u8 vdpa_get_mode(struct vdpa_device *vdev);
struct netlink_ext_ack *vdpa_mgmt_extack(void);
int __vdpa_register_mode_driver(struct vdpa_driver *drv, u8 mode,
				struct module *owner);

/**
 * vdpa_register_mode_driver - register the bus driver of a device mode
 * @drv: the driver
 * @mode: the mode it serves (enum vdpa_dev_mode); one driver per mode
 *
 * Return: 0, -EBUSY if the mode has its driver, or a negative errno.
 */
#define vdpa_register_mode_driver(drv, mode) \
	__vdpa_register_mode_driver(drv, mode, THIS_MODULE)

/**
 * vdpa_set_modern_features - vdpa_set_features() for a modern driver
 * @vdev: the device
 * @features: the features the driver accepts
 *
 * The suite is modern virtio only: its bus drivers refuse a feature set
 * without VIRTIO_F_VERSION_1, whatever the parent.
 *
 * Return: 0, -EINVAL without VIRTIO_F_VERSION_1, or the parent's errno.
 */
static inline int vdpa_set_modern_features(struct vdpa_device *vdev,
					   u64 features)
{
	if (!(features & BIT_ULL(VIRTIO_F_VERSION_1)))
		return -EINVAL;
	return vdpa_set_features(vdev, features);
}

#include "../../compat/compat-vdpa.h"

#endif /* _LINUX_VDPA_EXT_H */
