/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vDPA kernel API: since 7.x a device's DMA device is one member of a
 * union virtio_map (VDUSE maps through its own struct virtio_map_ops and
 * per-group tokens instead), __vdpa_alloc_device() and vdpa_alloc_device()
 * take those map operations, and a parent may give each queue its own
 * token (get_vq_map). The suite's parents and bus drivers are written
 * against that API; this bridges the older one of a kernel whose own
 * <linux/vdpa.h> the suite builds against (6.12: COMPAT_VDPA_DMA_DEV_API,
 * set by compat/Kbuild.include). Included by <linux/vdpa_ext.h>.
 */
#ifndef _VDPA_COMPAT_VDPA_H
#define _VDPA_COMPAT_VDPA_H

struct virtio_map_ops;

#ifdef COMPAT_VDPA_DMA_DEV_API
static inline union virtio_map vdpa_get_map(struct vdpa_device *vdev)
{
	return (union virtio_map){ .dma_dev = vdev->dma_dev };
}

#undef vdpa_alloc_device
#define vdpa_alloc_device(dev_struct, member, parent, config, map,	    \
			  ngroups, nas, name, use_va)			    \
	container_of(vdpa_alloc_device_size(parent, config, map, ngroups,   \
					    nas, sizeof(dev_struct) +	    \
					    BUILD_BUG_ON_ZERO(offsetof(	    \
					    dev_struct, member)), name,	    \
					    use_va), dev_struct, member)
#endif

/**
 * vdpa_alloc_device_size - __vdpa_alloc_device() of the newest API
 * @parent: the parent device
 * @config: the parent's operations
 * @map: the parent's own map operations, or NULL for the DMA API
 *	(kernels before 7.x: must be NULL)
 * @ngroups: number of virtqueue groups
 * @nas: number of address spaces
 * @size: size of the parent's structure that embeds struct vdpa_device
 *	at offset 0
 * @name: the device name, or NULL for "vdpaN"
 * @use_va: the parent works on user virtual addresses
 *
 * For parents whose structure's size is known only at run time.
 *
 * Return: the device, or an ERR_PTR.
 */
static inline struct vdpa_device *
vdpa_alloc_device_size(struct device *parent,
		       const struct vdpa_config_ops *config,
		       const struct virtio_map_ops *map, unsigned int ngroups,
		       unsigned int nas, size_t size, const char *name,
		       bool use_va)
{
#ifdef COMPAT_VDPA_DMA_DEV_API
	if (map)
		return ERR_PTR(-EOPNOTSUPP);
	return __vdpa_alloc_device(parent, config, ngroups, nas, size, name,
				   use_va);
#else
	return __vdpa_alloc_device(parent, config, map, ngroups, nas, size,
				   name, use_va);
#endif
}

/**
 * vdpa_set_dma_dev - set the device that does a parent's DMA
 * @vdev: the device, not yet registered
 * @dma_dev: the device whose DMA API mappings the device's driver uses
 */
static inline void vdpa_set_dma_dev(struct vdpa_device *vdev,
				    struct device *dma_dev)
{
#ifdef COMPAT_VDPA_DMA_DEV_API
	vdev->dma_dev = dma_dev;
#else
	vdev->vmap.dma_dev = dma_dev;
#endif
}

/**
 * vdpa_get_map_ops - the parent's own map operations
 * @vdev: the device
 *
 * Return: the operations, or NULL where the DMA API maps (always, before
 * 7.x).
 */
static inline const struct virtio_map_ops *
vdpa_get_map_ops(struct vdpa_device *vdev)
{
#ifdef COMPAT_VDPA_DMA_DEV_API
	return NULL;
#else
	return vdev->map;
#endif
}

/**
 * vdpa_get_vq_map - the map token of one queue
 * @vdev: the device
 * @idx: the queue
 *
 * Return: the parent's token for the queue (get_vq_map), else the
 * device's.
 */
static inline union virtio_map vdpa_get_vq_map(struct vdpa_device *vdev,
					       u16 idx)
{
#ifndef COMPAT_VDPA_DMA_DEV_API
	if (vdev->config->get_vq_map)
		return vdev->config->get_vq_map(vdev, idx);
#endif
	return vdpa_get_map(vdev);
}

#endif /* _VDPA_COMPAT_VDPA_H */
