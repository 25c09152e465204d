/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio transport API: find_vqs takes an array of struct virtqueue_info
 * since 6.11; before, parallel arrays of callbacks, names and ctx flags.
 * Included by transports (virtio_vdpa), which write their find_vqs against
 * the newest signature and wrap it with COMPAT_DEFINE_FIND_VQS().
 */
#ifndef _VDPA_COMPAT_VIRTIO_H
#define _VDPA_COMPAT_VIRTIO_H

#include <linux/slab.h>
#include <linux/virtio_config.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
struct virtqueue_info {
	const char *name;
	vq_callback_t *callback;
	bool ctx;
};

#define COMPAT_DEFINE_FIND_VQS(fn, impl)				\
static int fn(struct virtio_device *vdev, unsigned int nvqs,		\
		struct virtqueue *vqs[], vq_callback_t *callbacks[],	\
		const char * const names[], const bool *ctx,		\
		struct irq_affinity *desc)				\
{									\
	struct virtqueue_info *info;					\
	unsigned int i;							\
	int err;							\
									\
	info = kcalloc(nvqs, sizeof(*info), GFP_KERNEL);		\
	if (!info)							\
		return -ENOMEM;						\
	for (i = 0; i < nvqs; i++) {					\
		info[i].name = names[i];				\
		info[i].callback = callbacks[i];			\
		info[i].ctx = ctx ? ctx[i] : false;			\
	}								\
	err = impl(vdev, nvqs, vqs, info, desc);			\
	kfree(info);							\
	return err;							\
}
#else
#define COMPAT_DEFINE_FIND_VQS(fn, impl)				\
static int fn(struct virtio_device *vdev, unsigned int nvqs,		\
		struct virtqueue *vqs[],				\
		struct virtqueue_info vqs_info[],			\
		struct irq_affinity *desc)				\
{									\
	return impl(vdev, nvqs, vqs, vqs_info, desc);			\
}
#endif

#endif /* _VDPA_COMPAT_VIRTIO_H */
