/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The suite's only place that knows kernel versions. Force-included into
 * every object (compat/Kbuild.include), it backports the newest kernel API
 * onto older kernels, one feature per header, so the drivers are written
 * against the newest API.
 */
#ifndef _VDPA_COMPAT_H
#define _VDPA_COMPAT_H

#include <linux/version.h>

/* Keep in step with BUILD_EXCLUSIVE_KERNEL in dkms.conf. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "the vDPA suite needs Linux 6.1 or newer"
#endif

/*
 * union virtio_map (7.x, <linux/virtio.h>): how a virtio or vDPA device's
 * memory is mapped; before it, always through a DMA device.
 */
#ifndef COMPAT_HAVE_VIRTIO_MAP
struct device;
union virtio_map {
	struct device *dma_dev;
};
#endif

#include "compat-driver-core.h"
#include "compat-vhost-iotlb.h"

#endif /* _VDPA_COMPAT_H */
