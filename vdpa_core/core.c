// SPDX-License-Identifier: GPL-2.0
/*
 * The vDPA bus: devices, bus drivers matched by mode, management devices.
 */
#include <linux/module.h>
#include <linux/idr.h>
#include <linux/slab.h>
#include <linux/kmod.h>
#include <linux/dma-mapping.h>
#include <linux/hashtable.h>
#include <linux/stringhash.h>
#include <uapi/linux/virtio_config.h>

#include "../compat/compat-driver-override.h"
#include "vdpa_core.h"

#define VDPA_CORE_VERSION "0.3.0"

DECLARE_RWSEM(vdpa_dev_lock);
LIST_HEAD(vdpa_mgmtdev_list);
static DEFINE_IDA(vdpa_index_ida);

/*
 * The management request in progress, under vdpa_dev_lock held for
 * writing: the parent's dev_add calls _vdpa_register_device(), which takes
 * the management device and the mode from here, and dev_add and
 * dev_set_attr report errors to the extack found here (vdpa_mgmt_extack()),
 * so their signatures stay upstream's.
 */
static struct {
	struct vdpa_mgmt_dev *mdev;
	u8 mode;
	struct netlink_ext_ack *extack;
} vdpa_request;

/*
 * The bus driver of each mode (vdpa_register_mode_driver()). Set before
 * the driver registers and cleared after it unregistered, under
 * vdpa_mode_drivers_lock; the bus reads it with READ_ONCE().
 */
static struct vdpa_driver *vdpa_mode_drivers[VDPA_DEV_MODE_VHOST + 1];
static DEFINE_MUTEX(vdpa_mode_drivers_lock);

/* the mode a bus driver serves, or 0 for none */
static u8 vdpa_driver_mode(const struct vdpa_driver *drv)
{
	u8 mode;

	for (mode = VDPA_DEV_MODE_VIRTIO; mode <= VDPA_DEV_MODE_VHOST; mode++)
		if (READ_ONCE(vdpa_mode_drivers[mode]) == drv)
			return mode;
	return 0;
}

/*
 * The mode of devices created without one. A parameter of its own kind,
 * not a string: a charp parameter is freed and replaced by a write while
 * dev add may be reading it, and took any word, silently read as virtio.
 */
static u8 default_mode = VDPA_DEV_MODE_VIRTIO;

static int default_mode_set(const char *val, const struct kernel_param *kp)
{
	u8 mode;

	if (sysfs_streq(val, "virtio"))
		mode = VDPA_DEV_MODE_VIRTIO;
	else if (sysfs_streq(val, "vhost"))
		mode = VDPA_DEV_MODE_VHOST;
	else
		return -EINVAL;
	WRITE_ONCE(default_mode, mode);
	return 0;
}

static int default_mode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", vdpa_mode_name(READ_ONCE(default_mode)));
}

static const struct kernel_param_ops default_mode_ops = {
	.set = default_mode_set,
	.get = default_mode_get,
};
module_param_cb(default_mode, &default_mode_ops, NULL, 0644);
MODULE_PARM_DESC(default_mode,
		 "mode of devices created without one: virtio (default) or vhost");

const char *vdpa_mode_name(u8 mode)
{
	switch (mode) {
	case VDPA_DEV_MODE_VIRTIO:
		return "virtio";
	case VDPA_DEV_MODE_VHOST:
		return "vhost";
	}
	return "unknown";
}

u8 vdpa_default_mode(void)
{
	return READ_ONCE(default_mode);
}

static inline struct vdpa_driver *vdpa_bus_drv(compat_match_const
					      struct device_driver *drv)
{
	return container_of(drv, struct vdpa_driver, driver);
}

/*
 * What the core keeps for each device beside upstream's struct
 * vdpa_device: allocated with it, just before it (so a device a parent
 * built against the kernel's own header has it too), freed with it.
 */
struct vdpa_dev_priv {
	const struct vdpa_ext_ops *ext;
	struct hlist_node name_node;	/* in vdpa_names */
	u8 mode;	/* enum vdpa_dev_mode; READ_ONCE() */
};

/* keeps the alignment kzalloc() gives the parent's structure */
#define VDPA_PRIV_SIZE	ALIGN(sizeof(struct vdpa_dev_priv), L1_CACHE_BYTES)

static inline struct vdpa_dev_priv *vdpa_priv(const struct vdpa_device *vdev)
{
	return (struct vdpa_dev_priv *)((char *)vdev - VDPA_PRIV_SIZE);
}

static inline struct vdpa_device *vdpa_priv_dev(struct vdpa_dev_priv *priv)
{
	return (struct vdpa_device *)((char *)priv + VDPA_PRIV_SIZE);
}

/**
 * vdpa_get_mode - the mode of a device
 * @vdev: the device
 *
 * Chosen at creation, changed by binding the device through its
 * driver_override to the other mode's driver.
 *
 * Return: its enum vdpa_dev_mode.
 */
u8 vdpa_get_mode(struct vdpa_device *vdev)
{
	return READ_ONCE(vdpa_priv(vdev)->mode);
}
EXPORT_SYMBOL_GPL(vdpa_get_mode);

/**
 * vdpa_set_ext_ops - give a device the operations the suite adds
 * @vdev: the device, allocated and not yet registered
 * @ops: its operations, living as long as the device
 *
 * Return: 0, or -EINVAL if @ops has one half of a pair (batch begin and
 * commit) or the device does not map incrementally but batches.
 */
int vdpa_set_ext_ops(struct vdpa_device *vdev, const struct vdpa_ext_ops *ops)
{
	if (!!ops->dma_batch_begin != !!ops->dma_batch_commit)
		return -EINVAL;
	if (ops->dma_batch_begin && !vdev->config->dma_map)
		return -EINVAL;
	if (WARN_ON(device_is_registered(&vdev->dev)))
		return -EBUSY;
	vdpa_priv(vdev)->ext = ops;
	return 0;
}
EXPORT_SYMBOL_GPL(vdpa_set_ext_ops);

static const struct vdpa_ext_ops vdpa_no_ext_ops;

/**
 * vdpa_get_ext_ops - the operations the suite adds, of a device
 * @vdev: the device
 *
 * Return: its struct vdpa_ext_ops; every operation NULL if its parent
 * gave none.
 */
const struct vdpa_ext_ops *vdpa_get_ext_ops(struct vdpa_device *vdev)
{
	return vdpa_priv(vdev)->ext ?: &vdpa_no_ext_ops;
}
EXPORT_SYMBOL_GPL(vdpa_get_ext_ops);

/**
 * vdpa_mgmt_extack - where a management operation reports errors
 *
 * For a parent's dev_add and dev_set_attr, which the core calls with its
 * device lock held while it serves a netlink request.
 *
 * Return: the request's extack, or NULL outside such a call.
 */
struct netlink_ext_ack *vdpa_mgmt_extack(void)
{
	lockdep_assert_held_write(&vdpa_dev_lock);
	return vdpa_request.extack;
}
EXPORT_SYMBOL_GPL(vdpa_mgmt_extack);

/*
 * A device binds to the driver of its mode, or, with driver_override set
 * (as upstream), to the driver it names alone, whatever the mode: that is
 * how driverctl, libvirt and the SR-IOV network operator move a device
 * between virtio_vdpa and vhost_vdpa. Where the driver core keeps
 * driver_override (compat-driver-core.h), it also makes the sysfs file.
 */
static int vdpa_bus_match(struct device *dev,
			  compat_match_const struct device_driver *drv)
{
	struct vdpa_device *vdev = dev_to_vdpa(dev);
	int override = compat_match_driver_override(dev, vdev, drv);

	if (override >= 0)
		return override;
	return vdpa_get_mode(vdev) == vdpa_driver_mode(vdpa_bus_drv(drv));
}

static int vdpa_bus_uevent(compat_uevent_const struct device *dev,
			   struct kobj_uevent_env *env)
{
	const struct vdpa_device *vdev =
		container_of(dev, struct vdpa_device, dev);

	return add_uevent_var(env, "MODALIAS=vdpa:%s",
			      vdpa_mode_name(READ_ONCE(vdpa_priv(vdev)->mode)));
}

/* Bound through driver_override, a device takes its driver's mode. */
static int vdpa_bus_probe(struct device *dev)
{
	struct vdpa_driver *drv = vdpa_bus_drv(dev->driver);
	struct vdpa_device *vdev = dev_to_vdpa(dev);
	struct vdpa_dev_priv *priv = vdpa_priv(vdev);
	u8 mode = priv->mode, drv_mode = vdpa_driver_mode(drv);
	int err;

	if (drv_mode)
		WRITE_ONCE(priv->mode, drv_mode);
	err = drv->probe ? drv->probe(vdev) : 0;
	if (err)
		WRITE_ONCE(priv->mode, mode);
	return err;
}

#ifdef COMPAT_HAVE_DEVICE_SET_DRIVER_OVERRIDE
#define VDPA_BUS_DRIVER_OVERRIDE	.driver_override = true
#else
/* the sysfs file, as the driver core makes it on newer kernels */
static ssize_t driver_override_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t count)
{
	int err = driver_set_override(dev, &dev_to_vdpa(dev)->driver_override,
				      buf, count);

	return err ? err : count;
}

static ssize_t driver_override_show(struct device *dev,
				    struct device_attribute *attr, char *buf)
{
	ssize_t len;

	device_lock(dev);
	len = sysfs_emit(buf, "%s\n", dev_to_vdpa(dev)->driver_override);
	device_unlock(dev);
	return len;
}
static DEVICE_ATTR_RW(driver_override);

static struct attribute *vdpa_dev_attrs[] = {
	&dev_attr_driver_override.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vdpa_dev);
#define VDPA_BUS_DRIVER_OVERRIDE	.dev_groups = vdpa_dev_groups
#endif

static void vdpa_bus_remove(struct device *dev)
{
	struct vdpa_driver *drv = vdpa_bus_drv(dev->driver);

	if (drv->remove)
		drv->remove(dev_to_vdpa(dev));
}

struct bus_type vdpa_bus = {
	.name = "vdpa",
	.match = vdpa_bus_match,
	.uevent = vdpa_bus_uevent,
	VDPA_BUS_DRIVER_OVERRIDE,
	.probe = vdpa_bus_probe,
	.remove = vdpa_bus_remove,
};

/* Safe for every state __vdpa_alloc_device() can leave behind. */
static void vdpa_release_dev(struct device *d)
{
	struct vdpa_device *vdev = dev_to_vdpa(d);

	if (vdev->config && vdev->config->free)
		vdev->config->free(vdev);
	ida_free(&vdpa_index_ida, vdev->index);
	compat_free_driver_override(vdev);
	kfree(vdpa_priv(vdev));
}

static bool vdpa_ops_valid(const struct vdpa_config_ops *config)
{
	/* incremental mapping needs both halves */
	if (!!config->dma_map != !!config->dma_unmap)
		return false;
	return config->get_status && config->set_status && config->reset &&
	       config->get_device_features && config->set_driver_features &&
	       config->get_config && config->get_device_id;
}

/**
 * __vdpa_alloc_device - allocate and initialize a vDPA device
 * @parent: the parent device
 * @config: the parent's operations
 * @map: the parent's own map operations, or NULL for the DMA API (not on
 *	kernels whose <linux/vdpa.h> predates them: COMPAT_VDPA_DMA_DEV_API)
 * @ngroups: number of virtqueue groups
 * @nas: number of address spaces
 * @size: size of the parent's structure that embeds struct vdpa_device
 *	at offset 0
 * @name: the device name, or NULL for "vdpaN"
 * @use_va: the parent works on user virtual addresses
 *
 * Use vdpa_alloc_device() instead. The device's reference count works at
 * once; after this, release it with put_device(), which calls the
 * parent's free operation.
 *
 * Return: the device, or an ERR_PTR.
 */
struct vdpa_device *__vdpa_alloc_device(struct device *parent,
					const struct vdpa_config_ops *config,
#ifndef COMPAT_VDPA_DMA_DEV_API
					const struct virtio_map_ops *map,
#endif
					unsigned int ngroups, unsigned int nas,
					size_t size, const char *name,
					bool use_va)
{
	struct vdpa_dev_priv *priv;
	struct vdpa_device *vdev;
	int err;

	/* user addresses need a parent that translates them (VDUSE: set_map) */
	if (!config || !vdpa_ops_valid(config) || !ngroups || !nas ||
	    (use_va && !config->dma_map && !config->set_map) ||
	    size < sizeof(*vdev))
		return ERR_PTR(-EINVAL);

	priv = kzalloc(VDPA_PRIV_SIZE + size, GFP_KERNEL);
	if (!priv)
		return ERR_PTR(-ENOMEM);
	vdev = vdpa_priv_dev(priv);

	err = ida_alloc(&vdpa_index_ida, GFP_KERNEL);
	if (err < 0)
		goto err_ida;
	vdev->index = err;

	device_initialize(&vdev->dev);
	vdev->dev.bus = &vdpa_bus;
	vdev->dev.parent = parent;
	vdev->dev.release = vdpa_release_dev;
	/* parents that do no DMA of their own map through the device */
	vdev->dev.dma_mask = &vdev->dev.coherent_dma_mask;
	dma_set_mask_and_coherent(&vdev->dev, DMA_BIT_MASK(64));
	vdpa_set_dma_dev(vdev, &vdev->dev);
#ifndef COMPAT_VDPA_DMA_DEV_API
	vdev->map = map;
#endif
	vdev->ngroups = ngroups;
	vdev->nas = nas;
	vdev->use_va = use_va;
	priv->mode = vdpa_default_mode();
	init_rwsem(&vdev->cf_lock);

	err = name ? dev_set_name(&vdev->dev, "%s", name) :
		     dev_set_name(&vdev->dev, "vdpa%u", vdev->index);
	if (err)
		goto err_name;
	/* from here on, the release callback frees, config->free included */
	vdev->config = config;
	return vdev;

err_name:
	put_device(&vdev->dev);
	return ERR_PTR(err);
err_ida:
	kfree(priv);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(__vdpa_alloc_device);

/*
 * Registered devices by name, so that finding one does not walk the bus
 * (adding N devices would be quadratic). Devices enter and leave it
 * under vdpa_dev_lock held for writing, which also makes "is the name
 * free" and device_add() one step; the spinlock lets lookups run
 * without vdpa_dev_lock. A device leaves before device_unregister()
 * drops the reference the registration held, so a lookup under the
 * spinlock always finds a live device.
 */
static DEFINE_HASHTABLE(vdpa_names, 8);
static DEFINE_SPINLOCK(vdpa_names_lock);

static u32 vdpa_name_hash(const char *name)
{
	return full_name_hash(NULL, name, strlen(name));
}

/**
 * vdpa_find_device - look up a registered device by name
 * @name: the name
 *
 * Return: the device with a reference held (put_device() it), or NULL.
 */
struct vdpa_device *vdpa_find_device(const char *name)
{
	struct vdpa_device *found = NULL;
	struct vdpa_dev_priv *priv;

	spin_lock(&vdpa_names_lock);
	hash_for_each_possible(vdpa_names, priv, name_node,
			       vdpa_name_hash(name)) {
		if (!strcmp(dev_name(&vdpa_priv_dev(priv)->dev), name)) {
			found = vdpa_priv_dev(priv);
			get_device(&found->dev);
			break;
		}
	}
	spin_unlock(&vdpa_names_lock);
	return found;
}

/**
 * vdpa_dev_registered - whether a device is registered
 * @vdev: the device
 *
 * Lockless: stable under the device's lock, which unregistering takes.
 *
 * Return: true from its registration until its unregistration begins.
 */
bool vdpa_dev_registered(struct vdpa_device *vdev)
{
	return !hlist_unhashed_lockless(&vdpa_priv(vdev)->name_node);
}

static int __vdpa_register_device(struct vdpa_device *vdev, u32 nvqs)
{
	struct vdpa_device *dup;
	int err;

	lockdep_assert_held_write(&vdpa_dev_lock);
	if (!nvqs)
		return -EINVAL;
	dup = vdpa_find_device(dev_name(&vdev->dev));
	if (dup) {
		put_device(&dup->dev);
		return -EEXIST;
	}
	vdev->nvqs = nvqs;
	err = device_add(&vdev->dev);
	if (err)
		return err;
	spin_lock(&vdpa_names_lock);
	hash_add(vdpa_names, &vdpa_priv(vdev)->name_node,
		 vdpa_name_hash(dev_name(&vdev->dev)));
	spin_unlock(&vdpa_names_lock);
	return 0;
}

static void __vdpa_unregister_device(struct vdpa_device *vdev)
{
	lockdep_assert_held_write(&vdpa_dev_lock);
	spin_lock(&vdpa_names_lock);
	hash_del(&vdpa_priv(vdev)->name_node);
	spin_unlock(&vdpa_names_lock);
	device_unregister(&vdev->dev);
}

/**
 * _vdpa_register_device - register a device from a management device's
 *	dev_add operation
 * @vdev: the device from vdpa_alloc_device()
 * @nvqs: its number of virtqueues
 *
 * The caller is the dev_add operation, which the core calls with its
 * device lock held; the device takes the mode requested at creation.
 *
 * Return: 0, -EEXIST if the name is taken, or another negative errno.
 */
int _vdpa_register_device(struct vdpa_device *vdev, u32 nvqs)
{
	lockdep_assert_held_write(&vdpa_dev_lock);
	if (!vdpa_request.mdev)
		return -EINVAL;
	vdev->mdev = vdpa_request.mdev;
	vdpa_priv(vdev)->mode = vdpa_request.mode;
	return __vdpa_register_device(vdev, nvqs);
}
EXPORT_SYMBOL_GPL(_vdpa_register_device);

/**
 * vdpa_register_device - register a device outside of management
 * @vdev: the device from vdpa_alloc_device()
 * @nvqs: its number of virtqueues
 *
 * For parents that create their devices themselves; the device takes the
 * default mode.
 *
 * Return: 0, -EEXIST if the name is taken, or another negative errno.
 */
int vdpa_register_device(struct vdpa_device *vdev, u32 nvqs)
{
	int err;

	down_write(&vdpa_dev_lock);
	err = __vdpa_register_device(vdev, nvqs);
	up_write(&vdpa_dev_lock);
	if (!err)
		vdpa_request_driver(dev_name(&vdev->dev));
	return err;
}
EXPORT_SYMBOL_GPL(vdpa_register_device);

/**
 * _vdpa_unregister_device - unregister a device from a management
 *	device's dev_del operation
 * @vdev: the device
 *
 * The caller holds the core's device lock (dev_del is called with it).
 */
void _vdpa_unregister_device(struct vdpa_device *vdev)
{
	lockdep_assert_held_write(&vdpa_dev_lock);
	WARN_ON(!vdev->mdev);
	__vdpa_unregister_device(vdev);
}
EXPORT_SYMBOL_GPL(_vdpa_unregister_device);

/**
 * vdpa_unregister_device - unregister a device registered with
 *	vdpa_register_device()
 * @vdev: the device
 */
void vdpa_unregister_device(struct vdpa_device *vdev)
{
	down_write(&vdpa_dev_lock);
	__vdpa_unregister_device(vdev);
	up_write(&vdpa_dev_lock);
}
EXPORT_SYMBOL_GPL(vdpa_unregister_device);

/**
 * vdpa_request_driver - load the bus driver of a device's mode
 * @name: the device's name
 *
 * Without udev nobody acts on the MODALIAS uevent, so the core asks for
 * the front-end module itself. Called without vdpa_dev_lock held: the
 * module's init registers its driver, which probes the device.
 */
void vdpa_request_driver(const char *name)
{
	struct vdpa_device *vdev = vdpa_find_device(name);
	const char *mode;

	if (!vdev)
		return;
	mode = vdpa_mode_name(vdpa_get_mode(vdev));
	if (!vdev->dev.driver)
		request_module("vdpa:%s", mode);
	put_device(&vdev->dev);
}

/**
 * __vdpa_register_driver - register a vDPA bus driver
 * @drv: the driver
 * @owner: its module
 *
 * Use vdpa_register_driver(). A driver registered so serves no mode: it
 * binds only devices whose driver_override names it. The bus driver of a
 * mode registers with vdpa_register_mode_driver().
 *
 * Return: 0 or a negative errno.
 */
int __vdpa_register_driver(struct vdpa_driver *drv, struct module *owner)
{
	drv->driver.bus = &vdpa_bus;
	drv->driver.owner = owner;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__vdpa_register_driver);

/**
 * __vdpa_register_mode_driver - register the bus driver of a device mode
 * @drv: the driver
 * @mode: the mode it serves (enum vdpa_dev_mode)
 * @owner: its module
 *
 * Use vdpa_register_mode_driver().
 *
 * Return: 0, -EINVAL for an unknown mode, -EBUSY if the mode has its
 * driver, or a negative errno.
 */
int __vdpa_register_mode_driver(struct vdpa_driver *drv, u8 mode,
				struct module *owner)
{
	int err;

	if (mode != VDPA_DEV_MODE_VIRTIO && mode != VDPA_DEV_MODE_VHOST)
		return -EINVAL;
	mutex_lock(&vdpa_mode_drivers_lock);
	if (vdpa_mode_drivers[mode]) {
		err = -EBUSY;
		goto out;
	}
	WRITE_ONCE(vdpa_mode_drivers[mode], drv);
	err = __vdpa_register_driver(drv, owner);
	if (err)
		WRITE_ONCE(vdpa_mode_drivers[mode], NULL);
out:
	mutex_unlock(&vdpa_mode_drivers_lock);
	return err;
}
EXPORT_SYMBOL_GPL(__vdpa_register_mode_driver);

/**
 * vdpa_unregister_driver - unregister a vDPA bus driver
 * @drv: the driver
 */
void vdpa_unregister_driver(struct vdpa_driver *drv)
{
	u8 mode;

	driver_unregister(&drv->driver);
	mutex_lock(&vdpa_mode_drivers_lock);
	mode = vdpa_driver_mode(drv);
	if (mode)
		WRITE_ONCE(vdpa_mode_drivers[mode], NULL);
	mutex_unlock(&vdpa_mode_drivers_lock);
}
EXPORT_SYMBOL_GPL(vdpa_unregister_driver);

/**
 * vdpa_set_status - set the virtio status of a device
 * @vdev: the device
 * @status: the new status
 */
void vdpa_set_status(struct vdpa_device *vdev, u8 status)
{
	down_write(&vdev->cf_lock);
	vdev->config->set_status(vdev, status);
	up_write(&vdev->cf_lock);
}
EXPORT_SYMBOL(vdpa_set_status);	/* as upstream: not GPL-only */

/* reads of a config space whose generation keeps moving, at the most */
#define VDPA_CONFIG_TRIES	16

static u32 vdpa_generation(struct vdpa_device *vdev)
{
	return vdev->config->get_generation ?
	       vdev->config->get_generation(vdev) : 0;
}

/**
 * vdpa_get_config - read the device config space consistently
 * @vdev: the device
 * @offset: offset into the config space
 * @buf: where to read to
 * @len: how many bytes
 *
 * Reads under the config lock and retries while the generation counter
 * moves, so a multi-field read never mixes two versions. A device whose
 * counter never settles (a guest flooding its control queue, a PCI
 * function reporting nonsense) gets VDPA_CONFIG_TRIES reads and the
 * last one: its reader is never held for longer than that. Bytes beyond
 * the config space read as zero.
 */
void vdpa_get_config(struct vdpa_device *vdev, unsigned int offset,
		     void *buf, unsigned int len)
{
	unsigned int tries = 0;
	size_t size;
	u32 gen;

	memset(buf, 0, len);
	down_read(&vdev->cf_lock);
	size = vdev->config->get_config_size ?
	       vdev->config->get_config_size(vdev) : 0;
	if (offset < size) {
		len = min_t(size_t, len, size - offset);
		do {
			if (tries)
				cond_resched();
			gen = vdpa_generation(vdev);
			vdev->config->get_config(vdev, offset, buf, len);
		} while (gen != vdpa_generation(vdev) &&
			 ++tries < VDPA_CONFIG_TRIES);
		if (tries == VDPA_CONFIG_TRIES)
			dev_dbg(&vdev->dev,
				"config generation did not settle in %u reads\n",
				VDPA_CONFIG_TRIES);
	}
	up_read(&vdev->cf_lock);
}
EXPORT_SYMBOL_GPL(vdpa_get_config);

/**
 * vdpa_set_config - write to the device config space
 * @vdev: the device
 * @offset: offset into the config space
 * @buf: what to write
 * @len: how many bytes
 *
 * Writes beyond the config space, or to a device without a set_config
 * operation, are dropped.
 */
void vdpa_set_config(struct vdpa_device *vdev, unsigned int offset,
		     const void *buf, unsigned int len)
{
	size_t size;

	down_write(&vdev->cf_lock);
	size = vdev->config->get_config_size ?
	       vdev->config->get_config_size(vdev) : 0;
	if (vdev->config->set_config && offset <= size && len <= size - offset)
		vdev->config->set_config(vdev, offset, buf, len);
	up_write(&vdev->cf_lock);
}
EXPORT_SYMBOL_GPL(vdpa_set_config);

/**
 * vdpa_get_vq_size - the maximum size of one virtqueue
 * @vdev: the device
 * @idx: the queue
 *
 * Return: the per-queue maximum, or the device-wide one if the parent has
 * no per-queue sizes.
 */
u16 vdpa_get_vq_size(struct vdpa_device *vdev, u16 idx)
{
	if (vdev->config->get_vq_size)
		return vdev->config->get_vq_size(vdev, idx);
	return vdev->config->get_vq_num_max(vdev);
}
EXPORT_SYMBOL_GPL(vdpa_get_vq_size);

/**
 * vdpa_mgmtdev_register - register a management device
 * @mdev: the management device, with device, ops and id_table set
 *
 * Return: 0 or -EINVAL.
 */
int vdpa_mgmtdev_register(struct vdpa_mgmt_dev *mdev)
{
	if (!mdev->device || !mdev->ops || !mdev->ops->dev_add ||
	    !mdev->ops->dev_del || !mdev->id_table)
		return -EINVAL;
	INIT_LIST_HEAD(&mdev->list);
	down_write(&vdpa_dev_lock);
	list_add_tail(&mdev->list, &vdpa_mgmtdev_list);
	up_write(&vdpa_dev_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vdpa_mgmtdev_register);

static int vdpa_del_if_created_by(struct device *dev, void *data)
{
	struct vdpa_device *vdev = dev_to_vdpa(dev);
	struct vdpa_mgmt_dev *mdev = data;

	if (vdev->mdev == mdev)
		mdev->ops->dev_del(mdev, vdev);
	return 0;
}

/**
 * vdpa_mgmtdev_unregister - unregister a management device
 * @mdev: the management device
 *
 * Deletes every device it created.
 */
void vdpa_mgmtdev_unregister(struct vdpa_mgmt_dev *mdev)
{
	down_write(&vdpa_dev_lock);
	list_del(&mdev->list);
	bus_for_each_dev(&vdpa_bus, NULL, mdev, vdpa_del_if_created_by);
	up_write(&vdpa_dev_lock);
}
EXPORT_SYMBOL_GPL(vdpa_mgmtdev_unregister);

static bool vdpa_mgmtdev_matches(struct vdpa_mgmt_dev *mdev, const char *bus,
				 const char *name)
{
	const struct device *dev = mdev->device;

	if (strcmp(dev_name(dev), name))
		return false;
	if (!bus)
		return !dev->bus;
	return dev->bus && !strcmp(dev->bus->name, bus);
}

/**
 * _vdpa_mgmtdev_find - look up a management device by its handle
 * @bus: its bus name, or NULL for a device on no bus
 * @name: its device name
 *
 * The caller holds vdpa_dev_lock.
 *
 * Return: the management device or NULL.
 */
struct vdpa_mgmt_dev *_vdpa_mgmtdev_find(const char *bus, const char *name)
{
	struct vdpa_mgmt_dev *mdev;

	lockdep_assert_held(&vdpa_dev_lock);
	list_for_each_entry(mdev, &vdpa_mgmtdev_list, list)
		if (vdpa_mgmtdev_matches(mdev, bus, name))
			return mdev;
	return NULL;
}

/**
 * _vdpa_mgmtdev_dev_add - create a device through a management device
 * @mdev: the management device
 * @name: the new device's name
 * @mode: its mode
 * @config: its attributes
 * @extack: where errors go
 *
 * The caller holds vdpa_dev_lock for writing.
 *
 * Return: 0 or a negative errno.
 */
int _vdpa_mgmtdev_dev_add(struct vdpa_mgmt_dev *mdev, const char *name,
			  u8 mode, const struct vdpa_dev_set_config *config,
			  struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held_write(&vdpa_dev_lock);
	vdpa_request.mdev = mdev;
	vdpa_request.mode = mode;
	vdpa_request.extack = extack;
	err = mdev->ops->dev_add(mdev, name, config);
	vdpa_request.mdev = NULL;
	vdpa_request.extack = NULL;
	return err;
}

/**
 * _vdpa_mgmtdev_dev_set_attr - change a device's attributes through its
 *	management device
 * @vdev: the device, created by a management device that can do it
 * @config: the attributes
 * @extack: where errors go
 *
 * The caller holds vdpa_dev_lock for writing.
 *
 * Return: 0 or a negative errno.
 */
int _vdpa_mgmtdev_dev_set_attr(struct vdpa_device *vdev,
			       const struct vdpa_dev_set_config *config,
			       struct netlink_ext_ack *extack)
{
	int err;

	lockdep_assert_held_write(&vdpa_dev_lock);
	vdpa_request.extack = extack;
	err = vdev->mdev->ops->dev_set_attr(vdev->mdev, vdev, config);
	vdpa_request.extack = NULL;
	return err;
}

static int __init vdpa_init(void)
{
	int err;

	err = bus_register(&vdpa_bus);
	if (err)
		return err;
	err = vdpa_netlink_init();
	if (err)
		goto err_netlink;
	return 0;

err_netlink:
	bus_unregister(&vdpa_bus);
	return err;
}

static void __exit vdpa_exit(void)
{
	vdpa_netlink_exit();
	bus_unregister(&vdpa_bus);
	ida_destroy(&vdpa_index_ida);
}

core_initcall(vdpa_init);
module_exit(vdpa_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The vDPA suite developers");
MODULE_DESCRIPTION("vDPA bus, management devices and the vdpa netlink family");
MODULE_VERSION(VDPA_CORE_VERSION);
/* which <linux/vdpa.h> it was built against (compat/Kbuild.include) */
#ifdef VDPA_KERNEL_API
MODULE_INFO(vdpa_api, "kernel");
#else
MODULE_INFO(vdpa_api, "suite");
#endif
