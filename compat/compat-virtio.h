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

/*
 * Map tokens (7.x): a ring is created with the token its memory is mapped
 * through, and a virtio device has the transport's map operations (NULL:
 * the DMA API) and its token. Before, the ring code maps through the
 * virtio device's parent, which the transport sets to the DMA device.
 */
#ifdef COMPAT_HAVE_VIRTIO_MAP
static inline void compat_virtio_set_map(struct virtio_device *vdev,
					 const struct virtio_map_ops *ops,
					 union virtio_map map)
{
	vdev->map = ops;
	vdev->vmap = map;
}
#else
struct virtio_map_ops;

#define vring_create_virtqueue_map(index, num, align, vdev, weak_barriers, \
				   may_reduce_num, ctx, notify, callback,  \
				   name, map)				   \
	({ (void)(map);							   \
	   vring_create_virtqueue(index, num, align, vdev, weak_barriers,  \
				  may_reduce_num, ctx, notify, callback,   \
				  name); })

static inline void compat_virtio_set_map(struct virtio_device *vdev,
					 const struct virtio_map_ops *ops,
					 union virtio_map map)
{
}
#endif

#endif /* _VDPA_COMPAT_VIRTIO_H */
