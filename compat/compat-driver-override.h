/* SPDX-License-Identifier: GPL-2.0 */
/* Driver core: where a bus keeps driver_override (vdpa_core/core.c). */
#ifndef _VDPA_COMPAT_DRIVER_OVERRIDE_H
#define _VDPA_COMPAT_DRIVER_OVERRIDE_H

#include <linux/device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vdpa.h>

/*
 * driver_override: newer kernels (and Debian's 6.12, a backport) keep it
 * in struct device, and the driver core makes its sysfs file for a bus
 * that sets bus_type.driver_override; older ones leave the string and
 * the file to the bus (driver_set_override()): vdpa keeps the string in
 * struct vdpa_device then. Detected from the headers
 * (compat/Kbuild.include), not the version.
 * compat_match_driver_override() returns > 0 if @drv is the one named, 0
 * if another is, < 0 if none is.
 */
#ifdef COMPAT_HAVE_DEVICE_SET_DRIVER_OVERRIDE
/*
 * device_match_driver_override() itself, with the lock taken by hand:
 * sparse cannot follow its guard() and reports a context imbalance.
 */
static inline int compat_match_driver_override(struct device *dev,
					       struct vdpa_device *vdev,
					       const struct device_driver *drv)
{
	int match = -1;

	spin_lock(&dev->driver_override.lock);
	if (dev->driver_override.name)
		match = !strcmp(dev->driver_override.name, drv->name);
	spin_unlock(&dev->driver_override.lock);
	return match;
}

static inline void compat_free_driver_override(struct vdpa_device *vdev) { }
#else
static inline int compat_match_driver_override(struct device *dev,
					       struct vdpa_device *vdev,
					       const struct device_driver *drv)
{
	return vdev->driver_override ?
	       !strcmp(vdev->driver_override, drv->name) : -1;
}

static inline void compat_free_driver_override(struct vdpa_device *vdev)
{
	kfree(vdev->driver_override);
}
#endif

#endif /* _VDPA_COMPAT_DRIVER_OVERRIDE_H */
