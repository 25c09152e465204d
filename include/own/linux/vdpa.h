/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vDPA bus: the kernel API between vDPA parents (devices) and vDPA bus
 * drivers (front ends), as provided by the suite's vdpa.ko.
 *
 * A parent allocates a device with vdpa_alloc_device(), which initializes
 * its struct device (so the reference count is usable at once), then
 * registers it. Parents that create devices on request register a
 * management device; the core then creates and deletes their devices over
 * generic netlink. Each device has a mode, chosen when it is created:
 * it binds only to the bus driver of that mode (virtio_vdpa or vhost_vdpa).
 *
 * The structures and operations here are upstream's; what the suite adds
 * (the mode, batched mapping, dirty logging, errors for dev_add) lives
 * beside them, in <linux/vdpa_ext.h>, so that on kernels that have their
 * own vDPA core its header can take this one's place.
 */
#ifndef _LINUX_VDPA_H
#define _LINUX_VDPA_H

#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/mod_devicetable.h>
#include <linux/rwsem.h>
#include <linux/if_ether.h>
#include <net/netlink.h>
#include <linux/vhost_iotlb.h>
#include <linux/virtio.h>
#include <uapi/linux/vdpa.h>

/**
 * struct vdpa_callback - an event callback into a bus driver
 * @callback: called with @private when the event happens; may be NULL
 * @private: its argument
 * @trigger: an eventfd context the parent may signal directly instead of
 *	calling @callback (interrupt bypass); NULL if there is none
 */
struct vdpa_callback {
	irqreturn_t (*callback)(void *private);
	void *private;
	struct eventfd_ctx *trigger;
};

/**
 * struct vdpa_notification_area - a virtqueue's doorbell, for mapping
 * @addr: physical address of the notify area
 * @size: its size in bytes
 */
struct vdpa_notification_area {
	resource_size_t addr;
	resource_size_t size;
};

/**
 * struct vdpa_vq_state_split - split virtqueue state
 * @avail_index: the next available index the device will read
 */
struct vdpa_vq_state_split {
	u16 avail_index;
};

/**
 * struct vdpa_vq_state_packed - packed virtqueue state
 * @last_avail_counter: wrap counter of the last available descriptor
 * @last_avail_idx: index of the last available descriptor
 * @last_used_counter: wrap counter of the last used descriptor
 * @last_used_idx: index of the last used descriptor
 */
struct vdpa_vq_state_packed {
	u16 last_avail_counter:1;
	u16 last_avail_idx:15;
	u16 last_used_counter:1;
	u16 last_used_idx:15;
};

/**
 * struct vdpa_vq_state - virtqueue state, split or packed
 * @split: split ring state
 * @packed: packed ring state
 */
struct vdpa_vq_state {
	union {
		struct vdpa_vq_state_split split;
		struct vdpa_vq_state_packed packed;
	};
};

/**
 * struct vdpa_iova_range - the IOVA range a device can translate
 * @first: first valid IOVA
 * @last: last valid IOVA (inclusive)
 */
struct vdpa_iova_range {
	u64 first;
	u64 last;
};

/**
 * struct vdpa_map_file - the file behind a user-address mapping
 * @file: the file the user's mapping maps
 * @offset: the offset into @file of the mapping's first byte
 *
 * The opaque of each entry of the vhost_iotlb that vhost_vdpa gives a
 * user-address (@use_va) parent's set_map or dma_map.
 */
struct vdpa_map_file {
	struct file *file;
	u64 offset;
};

struct vdpa_mgmt_dev;
struct virtio_map_ops;

/**
 * struct vdpa_device - a vDPA device
 * @dev: the device on the vdpa bus
 * @vmap: how the device's driver maps memory for it: the device that
 *	does DMA (a PCI function, or @dev itself), or a token of @map's
 * @config: the parent's operations
 * @map: the parent's own map operations, or NULL for the DMA API
 * @cf_lock: serializes config space and feature access
 * @index: unique index on the bus
 * @features_valid: the driver features were set since the last reset
 * @use_va: the parent takes user virtual addresses instead of physical
 * @nvqs: number of virtqueues
 * @ngroups: number of virtqueue groups
 * @nas: number of address spaces
 * @driver_override: the one driver it may bind to, or NULL (sysfs
 *	driver_override, as upstream), on kernels whose struct device has
 *	no driver_override of its own (compat/compat-driver-override.h)
 * @mdev: the management device that created it, or NULL
 */
struct vdpa_device {
	struct device dev;
	union virtio_map vmap;
	const struct virtio_map_ops *map;
	const struct vdpa_config_ops *config;
	struct rw_semaphore cf_lock;	/* config space and features */
	unsigned int index;
	bool features_valid;
	bool use_va;
	u32 nvqs;
	unsigned int ngroups;
	unsigned int nas;
#ifndef COMPAT_HAVE_DEVICE_SET_DRIVER_OVERRIDE
	const char *driver_override;	/* newer kernels: in @dev */
#endif
	struct vdpa_mgmt_dev *mdev;
};

/**
 * struct vdpa_dev_set_config - attributes given at device creation
 * @device_features: provisioned virtio features
 * @net: virtio-net attributes
 * @net.mac: MAC address
 * @net.mtu: MTU
 * @net.max_vq_pairs: maximum number of queue pairs
 * @mask: which of the above are set, as BIT_ULL(VDPA_ATTR_*)
 */
struct vdpa_dev_set_config {
	u64 device_features;
	struct {
		u8 mac[ETH_ALEN];
		u16 mtu;
		u16 max_vq_pairs;
	} net;
	u64 mask;
};

/**
 * struct vdpa_config_ops - the operations a parent provides
 *
 * Datapath operations (called by bus drivers, any context that may sleep
 * unless noted):
 * @set_vq_address: set the descriptor, driver and device areas of a queue
 * @set_vq_num: set the size of a queue
 * @kick_vq: notify the device that a queue has new buffers (atomic)
 * @set_vq_cb: set the used-buffer callback of a queue
 * @set_vq_ready: enable or disable a queue
 * @get_vq_ready: whether a queue is enabled
 * @set_vq_state: set a queue's state (only before DRIVER_OK)
 * @get_vq_state: get a queue's state
 * @get_vq_notification: the doorbell of a queue, for mapping; optional
 * @get_vq_irq: the interrupt of a queue, for bypass, or a negative errno;
 *	optional
 * @get_vq_size: the maximum size of one queue; optional, else
 *	@get_vq_num_max applies to every queue
 * @get_vq_group: the group a queue belongs to; optional
 * @get_vendor_vq_stats: append a queue's vendor statistics to a netlink
 *	message as VDPA_ATTR_DEV_VENDOR_ATTR_NAME/VALUE pairs; optional
 *
 * Control path operations:
 * @get_vq_align: the alignment the rings need
 * @get_device_features: the virtio features the device offers
 * @set_driver_features: the features the driver accepts
 * @get_driver_features: the features the driver accepted
 * @set_config_cb: set the config-change callback
 * @get_vq_num_max: the maximum queue size
 * @get_vq_num_min: the minimum queue size; optional
 * @get_device_id: the virtio device id
 * @get_vendor_id: the virtio vendor id
 * @get_status: the virtio device status
 * @set_status: set the virtio device status
 * @reset: reset the device; returns 0 or a negative errno
 * @suspend: stop processing queues, keeping their state; optional
 * @resume: resume after @suspend; optional
 * @get_backend_features: the vhost backend features (VHOST_BACKEND_F_*)
 *	that depend on the parent's datapath: VHOST_BACKEND_F_ENABLE_AFTER_
 *	DRIVER_OK if @set_vq_ready may enable a queue of a running device,
 *	which then starts processing it; optional (none)
 * @get_config_size: the size of the device config space
 * @get_config: read from the device config space
 * @set_config: write to the device config space
 * @get_generation: the config generation counter; optional
 * @get_iova_range: the usable IOVA range
 * @set_group_asid: attach a queue group to an address space; optional
 * @get_vq_map: the map token of one queue; optional (the device's)
 *
 * DMA operations, for parents that translate addresses themselves (none
 * of them for parents that use the platform IOMMU through @vmap.dma_dev):
 * @set_map: replace the whole map of an address space at once
 * @dma_map: add one mapping to an address space
 * @dma_unmap: remove the mappings in a range from an address space
 * @reset_map: put an address space back as it was before the first
 *	mapping (a parent whose default is an identity map: virtio_vdpa's
 *	DMA works on that once vhost_vdpa has let go); optional
 * @bind_mm: a user-address parent that reads the user's memory itself
 *	is given the owner's address space (vhost_vdpa's SET_OWNER); optional
 * @unbind_mm: and loses it again (the owner goes); optional
 *
 * What the suite adds (batched mapping, dirty logging) is in struct
 * vdpa_ext_ops (<linux/vdpa_ext.h>).
 *
 * @free: release the parent's resources when the device's last
 *	reference goes; optional
 */
struct vdpa_config_ops {
	int (*set_vq_address)(struct vdpa_device *vdev, u16 idx, u64 desc_area,
			      u64 driver_area, u64 device_area);
	void (*set_vq_num)(struct vdpa_device *vdev, u16 idx, u32 num);
	void (*kick_vq)(struct vdpa_device *vdev, u16 idx);
	void (*set_vq_cb)(struct vdpa_device *vdev, u16 idx,
			  struct vdpa_callback *cb);
	void (*set_vq_ready)(struct vdpa_device *vdev, u16 idx, bool ready);
	bool (*get_vq_ready)(struct vdpa_device *vdev, u16 idx);
	int (*set_vq_state)(struct vdpa_device *vdev, u16 idx,
			    const struct vdpa_vq_state *state);
	int (*get_vq_state)(struct vdpa_device *vdev, u16 idx,
			    struct vdpa_vq_state *state);
	struct vdpa_notification_area
	(*get_vq_notification)(struct vdpa_device *vdev, u16 idx);
	int (*get_vq_irq)(struct vdpa_device *vdev, u16 idx);
	u16 (*get_vq_size)(struct vdpa_device *vdev, u16 idx);
	u32 (*get_vq_group)(struct vdpa_device *vdev, u16 idx);
	union virtio_map (*get_vq_map)(struct vdpa_device *vdev, u16 idx);
	int (*get_vendor_vq_stats)(struct vdpa_device *vdev, u16 idx,
				   struct sk_buff *msg,
				   struct netlink_ext_ack *extack);

	u32 (*get_vq_align)(struct vdpa_device *vdev);
	u64 (*get_device_features)(struct vdpa_device *vdev);
	int (*set_driver_features)(struct vdpa_device *vdev, u64 features);
	u64 (*get_driver_features)(struct vdpa_device *vdev);
	void (*set_config_cb)(struct vdpa_device *vdev,
			      struct vdpa_callback *cb);
	u16 (*get_vq_num_max)(struct vdpa_device *vdev);
	u16 (*get_vq_num_min)(struct vdpa_device *vdev);
	u32 (*get_device_id)(struct vdpa_device *vdev);
	u32 (*get_vendor_id)(struct vdpa_device *vdev);
	u8 (*get_status)(struct vdpa_device *vdev);
	void (*set_status)(struct vdpa_device *vdev, u8 status);
	int (*reset)(struct vdpa_device *vdev);
	int (*suspend)(struct vdpa_device *vdev);
	int (*resume)(struct vdpa_device *vdev);
	u64 (*get_backend_features)(const struct vdpa_device *vdev);
	size_t (*get_config_size)(struct vdpa_device *vdev);
	void (*get_config)(struct vdpa_device *vdev, unsigned int offset,
			   void *buf, unsigned int len);
	void (*set_config)(struct vdpa_device *vdev, unsigned int offset,
			   const void *buf, unsigned int len);
	u32 (*get_generation)(struct vdpa_device *vdev);
	struct vdpa_iova_range (*get_iova_range)(struct vdpa_device *vdev);
	int (*set_group_asid)(struct vdpa_device *vdev, unsigned int group,
			      unsigned int asid);

	int (*set_map)(struct vdpa_device *vdev, unsigned int asid,
		       struct vhost_iotlb *iotlb);
	int (*dma_map)(struct vdpa_device *vdev, unsigned int asid, u64 iova,
		       u64 size, u64 pa, u32 perm, void *opaque);
	int (*dma_unmap)(struct vdpa_device *vdev, unsigned int asid, u64 iova,
			 u64 size);
	int (*reset_map)(struct vdpa_device *vdev, unsigned int asid);
	int (*bind_mm)(struct vdpa_device *vdev, struct mm_struct *mm);
	void (*unbind_mm)(struct vdpa_device *vdev);

	void (*free)(struct vdpa_device *vdev);
};

struct vdpa_device *__vdpa_alloc_device(struct device *parent,
					const struct vdpa_config_ops *config,
					const struct virtio_map_ops *map,
					unsigned int ngroups, unsigned int nas,
					size_t size, const char *name,
					bool use_va);

/**
 * vdpa_alloc_device - allocate and initialize a vDPA device
 * @dev_struct: the parent's structure that embeds struct vdpa_device
 * @member: the name of the embedded struct vdpa_device in @dev_struct
 * @parent: the parent device
 * @config: the parent's operations
 * @map: the parent's own map operations, or NULL for the DMA API
 * @ngroups: number of virtqueue groups
 * @nas: number of address spaces
 * @name: the device name, or NULL for "vdpaN"
 * @use_va: the parent works on user virtual addresses
 *
 * Return: a pointer to @dev_struct, or an ERR_PTR.
 */
#define vdpa_alloc_device(dev_struct, member, parent, config, map,	    \
			  ngroups, nas, name, use_va)			    \
	container_of((__vdpa_alloc_device(parent, config, map, ngroups, nas, \
					  sizeof(dev_struct) +		    \
					  BUILD_BUG_ON_ZERO(offsetof(	    \
					  dev_struct, member)), name,	    \
					  use_va)),			    \
		     dev_struct, member)

int vdpa_register_device(struct vdpa_device *vdev, u32 nvqs);
void vdpa_unregister_device(struct vdpa_device *vdev);
int _vdpa_register_device(struct vdpa_device *vdev, u32 nvqs);
void _vdpa_unregister_device(struct vdpa_device *vdev);

/**
 * struct vdpa_driver - a vDPA bus driver
 * @driver: the driver core's part
 * @probe: bind to a device
 * @remove: unbind from a device
 */
struct vdpa_driver {
	struct device_driver driver;
	int (*probe)(struct vdpa_device *vdev);
	void (*remove)(struct vdpa_device *vdev);
};

int __vdpa_register_driver(struct vdpa_driver *drv, struct module *owner);

/**
 * vdpa_register_driver - register a vDPA bus driver
 * @drv: the driver
 *
 * Return: 0 or a negative errno.
 */
#define vdpa_register_driver(drv) __vdpa_register_driver(drv, THIS_MODULE)
void vdpa_unregister_driver(struct vdpa_driver *drv);

/**
 * module_vdpa_driver - declare a module that only registers a bus driver
 * @__vdpa_driver: the struct vdpa_driver
 */
#define module_vdpa_driver(__vdpa_driver) \
	module_driver(__vdpa_driver, vdpa_register_driver, \
		      vdpa_unregister_driver)

static inline struct vdpa_device *dev_to_vdpa(struct device *dev)
{
	return container_of(dev, struct vdpa_device, dev);
}

static inline void *vdpa_get_drvdata(const struct vdpa_device *vdev)
{
	return dev_get_drvdata(&vdev->dev);
}

static inline void vdpa_set_drvdata(struct vdpa_device *vdev, void *data)
{
	dev_set_drvdata(&vdev->dev, data);
}

static inline union virtio_map vdpa_get_map(struct vdpa_device *vdev)
{
	return vdev->vmap;
}

/**
 * vdpa_reset - reset a device
 * @vdev: the device
 * @flags: upstream's reset flags; the suite's parents have none, pass 0
 *
 * Return: 0 or the parent's negative errno.
 */
static inline int vdpa_reset(struct vdpa_device *vdev, u32 flags)
{
	int ret;

	down_write(&vdev->cf_lock);
	vdev->features_valid = false;
	ret = vdev->config->reset(vdev);
	up_write(&vdev->cf_lock);
	return ret;
}

/**
 * vdpa_set_features_unlocked - set the driver features, cf_lock held
 * @vdev: the device
 * @features: the features the driver accepts
 *
 * Return: 0 or the parent's negative errno.
 */
static inline int vdpa_set_features_unlocked(struct vdpa_device *vdev,
					     u64 features)
{
	vdev->features_valid = true;
	return vdev->config->set_driver_features(vdev, features);
}

/**
 * vdpa_set_features - set the driver features of a device
 * @vdev: the device
 * @features: the features the driver accepts
 *
 * Return: 0 or the parent's negative errno.
 */
static inline int vdpa_set_features(struct vdpa_device *vdev, u64 features)
{
	int ret;

	down_write(&vdev->cf_lock);
	ret = vdpa_set_features_unlocked(vdev, features);
	up_write(&vdev->cf_lock);
	return ret;
}

void vdpa_set_status(struct vdpa_device *vdev, u8 status);
void vdpa_get_config(struct vdpa_device *vdev, unsigned int offset,
		     void *buf, unsigned int len);
void vdpa_set_config(struct vdpa_device *vdev, unsigned int offset,
		     const void *buf, unsigned int len);

/**
 * struct vdpa_mgmtdev_ops - what a management device does on request
 * @dev_add: create and register (with _vdpa_register_device()) a device
 *	named @name with the attributes in @config
 * @dev_del: unregister (with _vdpa_unregister_device()) a device it created
 * @dev_set_attr: change attributes of a device; optional
 *
 * All three are called with the core's device lock held; dev_add and
 * dev_set_attr may report errors to the request with vdpa_mgmt_extack()
 * (<linux/vdpa_ext.h>).
 */
struct vdpa_mgmtdev_ops {
	int (*dev_add)(struct vdpa_mgmt_dev *mdev, const char *name,
		       const struct vdpa_dev_set_config *config);
	void (*dev_del)(struct vdpa_mgmt_dev *mdev, struct vdpa_device *vdev);
	int (*dev_set_attr)(struct vdpa_mgmt_dev *mdev,
			    struct vdpa_device *vdev,
			    const struct vdpa_dev_set_config *config);
};

/**
 * struct vdpa_mgmt_dev - a management device: a parent that creates
 *	vDPA devices on request
 * @device: its device; its bus (if any) and name are its netlink handle
 * @ops: its operations
 * @id_table: the virtio device classes it can create, zero-terminated
 * @config_attr_mask: which creation attributes it accepts, as
 *	BIT_ULL(VDPA_ATTR_*)
 * @supported_features: the virtio features it can provision
 * @max_supported_vqs: the most virtqueues one of its devices can have
 * @list: entry in the core's list, under the core's device lock
 */
struct vdpa_mgmt_dev {
	struct device *device;
	const struct vdpa_mgmtdev_ops *ops;
	struct virtio_device_id *id_table;
	u64 config_attr_mask;
	u64 supported_features;
	u32 max_supported_vqs;
	struct list_head list;
};

int vdpa_mgmtdev_register(struct vdpa_mgmt_dev *mdev);
void vdpa_mgmtdev_unregister(struct vdpa_mgmt_dev *mdev);

#endif /* _LINUX_VDPA_H */
