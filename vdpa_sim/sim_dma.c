// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa_sim address spaces: one vhost_iotlb per ASID, the DMA operations
 * that fill it (whole-map replacement, incremental map/unmap, atomic
 * batches), and IOVA to physical address translation for the queues.
 *
 * Maps change only under the device lock held for writing, which
 * excludes every lane's batch, and every change bumps vdpasim->map_gen: the worker then
 * translates the rings again and drops its cached entries before it next
 * touches guest memory. Maps survive a device reset; they belong to the
 * bus driver, which replaces or unmaps them itself.
 *
 * A batch (dma_batch_begin .. dma_batch_commit) must reach the datapath
 * whole or not at all, and must cost what the batch changes, not what
 * the map holds: VMMs open one for every memory-layout change, against a
 * map of up to one entry per guest page. So a batch is staged in the live
 * map itself: its new mappings go in at once but marked
 * VDPASIM_MAP_STAGED, which translation skips, and the ranges it unmaps
 * are noted aside; the commit drops the noted mappings and clears the
 * marks, with no allocation, so it cannot fail half way. Each step holds
 * the write lock for O(log n), as a single dma_map does.
 */
#include <linux/nospec.h>
#include <linux/slab.h>

#include "sim_priv.h"

/**
 * vdpasim_as_alloc - allocate the address spaces and the group table
 * @vdpasim: the device
 *
 * Return: 0 or -ENOMEM; vdpasim_as_free() undoes a partial allocation.
 */
int vdpasim_as_alloc(struct vdpasim *vdpasim)
{
	const struct vdpasim_dev_attr *attr = &vdpasim->dev_attr;

	vdpasim->as = kcalloc(attr->nas, sizeof(*vdpasim->as), GFP_KERNEL);
	vdpasim->group_asid = kcalloc(attr->ngroups,
				      sizeof(*vdpasim->group_asid), GFP_KERNEL);
	if (!vdpasim->as || !vdpasim->group_asid)
		return -ENOMEM;
	return 0;
}

static void vdpasim_iotlb_free(struct vhost_iotlb *iotlb)
{
	if (iotlb)
		vhost_iotlb_free(iotlb);
}

/**
 * vdpasim_as_free - free the address spaces, whatever was allocated
 * @vdpasim: the device
 */
void vdpasim_as_free(struct vdpasim *vdpasim)
{
	unsigned int i;

	for (i = 0; vdpasim->as && i < vdpasim->dev_attr.nas; i++) {
		vdpasim_iotlb_free(vdpasim->as[i].iotlb);
		vdpasim_iotlb_free(vdpasim->as[i].unmaps);
		vdpasim_iotlb_free(vdpasim->as[i].staged);
	}
	kfree(vdpasim->as);
	kfree(vdpasim->group_asid);
}

/**
 * _vdpasim_as_reset_groups - attach every queue group to address space 0
 * @vdpasim: the device, lock held
 */
void _vdpasim_as_reset_groups(struct vdpasim *vdpasim)
{
	lockdep_assert_held_write(&vdpasim->lock);
	memset(vdpasim->group_asid, 0,
	       vdpasim->dev_attr.ngroups * sizeof(*vdpasim->group_asid));
	vdpasim->map_gen++;
}

static u32 _vdpasim_vq_group(struct vdpasim_virtqueue *vq)
{
	struct vdpasim *vdpasim = vq->sim;
	u32 group = 0;

	if (vdpasim->dev_attr.get_vq_group)
		group = vdpasim->dev_attr.get_vq_group(vdpasim, vq->index);
	return group < vdpasim->dev_attr.ngroups ? group : 0;
}

/**
 * _vdpasim_vq_bind_as - look up the map a queue translates through
 * @vq: the queue, lock held
 *
 * Also drops the queue's translations: call _vdpasim_vq_map_rings()
 * before using the rings again.
 */
void _vdpasim_vq_bind_as(struct vdpasim_virtqueue *vq)
{
	struct vdpasim *vdpasim = vq->sim;
	struct vdpasim_as *as;

	lockdep_assert_held(&vdpasim->lock);
	as = &vdpasim->as[vdpasim->group_asid[_vdpasim_vq_group(vq)]];
	vq->iotlb = as->iotlb;
	/*
	 * Identity translation is the virtio_vdpa path, where the kernel
	 * maps with the DMA API on the vDPA device itself (dma-direct),
	 * whatever maps a vhost driver left before the device was moved to
	 * virtio_vdpa (driver_override). A device in vhost mode only ever
	 * reaches what user space mapped.
	 */
	vq->identity = vdpa_get_mode(&vdpasim->vdpa) == VDPA_DEV_MODE_VIRTIO;
	vq->xc.valid = false;
	vq->mapped = false;
	vq->map_gen = vdpasim->map_gen;
}

/**
 * vdpasim_xlate - translate an IOVA range of a queue's address space
 * @vq: the queue, lock held
 * @iova: the first IOVA
 * @len: bytes wanted, at least 1
 * @perm: the access needed, VHOST_MAP_RO, VHOST_MAP_WO or VHOST_MAP_RW
 * @pa: the physical address of @iova
 *
 * Return: how many bytes from @iova on are physically contiguous with
 * the permission (at most @len), or 0 if @iova is not mapped so.
 */
u64 vdpasim_xlate(struct vdpasim_virtqueue *vq, u64 iova, u64 len, u32 perm,
		  phys_addr_t *pa)
{
	struct vdpasim_xlate_cache *xc = &vq->xc;
	struct vhost_iotlb_map *map;
	u64 addr, left;

	if (vq->identity) {
		addr = iova;
		left = U64_MAX - iova;
	} else {
		if (!xc->valid || iova < xc->start || iova > xc->last) {
			map = vq->iotlb ?
			      vhost_iotlb_itree_first(vq->iotlb, iova, iova) :
			      NULL;
			/* an open batch's mappings do not exist yet */
			while (map && (map->perm & VDPASIM_MAP_STAGED))
				map = vhost_iotlb_itree_next(map, iova, iova);
			if (!map)
				return 0;
			xc->start = map->start;
			xc->last = map->last;
			xc->addr = map->addr;
			xc->perm = map->perm;
			xc->valid = true;
		}
		if ((xc->perm & perm) != perm)
			return 0;
		addr = xc->addr + (iova - xc->start);
		left = xc->last - iova;
	}
	*pa = addr;
	if (*pa != addr)
		return 0;
	/* left counts the bytes after iova, so that it never overflows */
	return len - 1 <= left ? len : left + 1;
}

/**
 * vdpasim_get_iova_range - the vDPA get_iova_range operation
 * @vdpa: the device
 *
 * Return: the whole 64-bit space.
 */
struct vdpa_iova_range vdpasim_get_iova_range(struct vdpa_device *vdpa)
{
	struct vdpa_iova_range range = {
		.first = 0,
		.last = ULLONG_MAX,
	};

	return range;
}

/**
 * vdpasim_set_group_asid - the vDPA set_group_asid operation
 * @vdpa: the device
 * @group: a queue group
 * @asid: the address space to attach it to
 *
 * Return: 0, or -EINVAL for an unknown group or address space.
 */
int vdpasim_set_group_asid(struct vdpa_device *vdpa, unsigned int group,
			   unsigned int asid)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);

	if (group >= vdpasim->dev_attr.ngroups ||
	    asid >= vdpasim->dev_attr.nas)
		return -EINVAL;
	/* the user's index (VHOST_VDPA_SET_GROUP_ASID): no speculation past it */
	group = array_index_nospec(group, vdpasim->dev_attr.ngroups);
	down_write(&vdpasim->lock);
	vdpasim->group_asid[group] = asid;
	vdpasim->map_gen++;
	up_write(&vdpasim->lock);
	return 0;
}

static struct vdpasim_as *vdpasim_as(struct vdpasim *vdpasim,
				     unsigned int asid)
{
	return asid < vdpasim->dev_attr.nas ? &vdpasim->as[asid] : NULL;
}

static int vdpasim_iotlb_copy(struct vhost_iotlb *dst,
			      struct vhost_iotlb *src)
{
	struct vhost_iotlb_map *map;
	int err;

	if (!src)
		return 0;
	for (map = vhost_iotlb_itree_first(src, 0, ULLONG_MAX); map;
	     map = vhost_iotlb_itree_next(map, 0, ULLONG_MAX)) {
		err = vhost_iotlb_add_range(dst, map->start, map->last,
					    map->addr, map->perm);
		if (err)
			return err;
	}
	return 0;
}

/* Make @iotlb the live map of @as; the caller frees the old one, unlocked. */
static struct vhost_iotlb *_vdpasim_as_install(struct vdpasim *vdpasim,
					       struct vdpasim_as *as,
					       struct vhost_iotlb *iotlb)
{
	struct vhost_iotlb *old = as->iotlb;

	lockdep_assert_held_write(&vdpasim->lock);
	as->iotlb = iotlb;
	vdpasim->map_gen++;
	return old;
}

/**
 * vdpasim_set_map - the vDPA set_map operation: replace a whole map
 * @vdpa: the device
 * @asid: the address space
 * @iotlb: the new map, copied; NULL for an empty one
 *
 * Return: 0, -EINVAL for an unknown address space, -EBUSY during a
 * batch, or -ENOMEM.
 */
int vdpasim_set_map(struct vdpa_device *vdpa, unsigned int asid,
		    struct vhost_iotlb *iotlb)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	struct vdpasim_as *as = vdpasim_as(vdpasim, asid);
	struct vhost_iotlb *new;
	int err;

	if (!as)
		return -EINVAL;
	new = vhost_iotlb_alloc(VDPA_IOTLB_NO_LIMIT, 0);
	if (!new)
		return -ENOMEM;
	err = vdpasim_iotlb_copy(new, iotlb);
	if (!err) {
		down_write(&vdpasim->lock);
		if (as->staged)
			err = -EBUSY;
		else
			new = _vdpasim_as_install(vdpasim, as, new);
		up_write(&vdpasim->lock);
	}
	/* on success this is the old map */
	vdpasim_iotlb_free(new);
	return err;
}

/* The live map, made on the first mapping (which ends identity translation). */
static struct vhost_iotlb *_vdpasim_as_live(struct vdpasim *vdpasim,
					    struct vdpasim_as *as)
{
	lockdep_assert_held_write(&vdpasim->lock);
	if (!as->iotlb) {
		as->iotlb = vhost_iotlb_alloc(VDPA_IOTLB_NO_LIMIT, 0);
		vdpasim->map_gen++;
	}
	return as->iotlb;
}

static bool vdpasim_range_ok(u64 iova, u64 size)
{
	return size && iova <= U64_MAX - (size - 1);
}

/*
 * Does [@start, @last] overlap a mapping as the open batch will leave
 * the map: a staged one, or a live one that none of its unmaps takes?
 */
static bool _vdpasim_batch_overlaps(struct vdpasim_as *as, u64 start,
				    u64 last)
{
	struct vhost_iotlb_map *map;

	for (map = vhost_iotlb_itree_first(as->iotlb, start, last); map;
	     map = vhost_iotlb_itree_next(map, start, last))
		if ((map->perm & VDPASIM_MAP_STAGED) ||
		    !vhost_iotlb_itree_first(as->unmaps, map->start, map->last))
			return true;
	return false;
}

/**
 * vdpasim_dma_map - the vDPA dma_map operation: add one mapping
 * @vdpa: the device
 * @asid: the address space
 * @iova: first IOVA
 * @size: size in bytes
 * @pa: physical address of @iova
 * @perm: VHOST_MAP_RO, VHOST_MAP_WO or VHOST_MAP_RW
 * @opaque: kept with the mapping, unused
 *
 * Inside a batch the mapping is staged, and appears at the commit.
 *
 * Return: 0, -EINVAL for bad arguments, -EEXIST if the range overlaps a
 * mapping (as the batch leaves the map, inside a batch), or -ENOMEM.
 */
int vdpasim_dma_map(struct vdpa_device *vdpa, unsigned int asid, u64 iova,
		    u64 size, u64 pa, u32 perm, void *opaque)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	struct vdpasim_as *as = vdpasim_as(vdpasim, asid);
	struct vhost_iotlb *iotlb;
	u64 last = iova + size - 1;
	int err;

	if (!as || !vdpasim_range_ok(iova, size) || !perm ||
	    (perm & ~VHOST_MAP_RW))
		return -EINVAL;
	down_write(&vdpasim->lock);
	iotlb = _vdpasim_as_live(vdpasim, as);
	if (!iotlb) {
		err = -ENOMEM;
	} else if (as->staged) {
		err = _vdpasim_batch_overlaps(as, iova, last) ? -EEXIST : 0;
		/* the record first: a mapping that is staged is always in it */
		if (!err)
			err = vhost_iotlb_add_range(as->staged, iova, last, 0,
						    VHOST_MAP_RO);
		if (!err) {
			err = vhost_iotlb_add_range_ctx(iotlb, iova, last, pa,
							perm | VDPASIM_MAP_STAGED,
							opaque);
			if (err)
				vhost_iotlb_del_range(as->staged, iova, last);
		}
	} else if (vhost_iotlb_itree_first(iotlb, iova, last)) {
		err = -EEXIST;
	} else {
		err = vhost_iotlb_add_range_ctx(iotlb, iova, last, pa, perm,
						opaque);
		vdpasim->map_gen++;
	}
	up_write(&vdpasim->lock);
	return err;
}

/*
 * Unmap [@start, @last] inside a batch: the staged mappings it overlaps
 * were never seen and go at once; the live ones are noted for the commit.
 */
static int _vdpasim_batch_unmap(struct vdpasim_as *as, u64 start, u64 last)
{
	struct vhost_iotlb_map *map, *next;
	int err;

	/* the note first, so that a failure leaves the batch as it was */
	for (map = vhost_iotlb_itree_first(as->iotlb, start, last); map;
	     map = vhost_iotlb_itree_next(map, start, last)) {
		if (!(map->perm & VDPASIM_MAP_STAGED)) {
			err = vhost_iotlb_add_range(as->unmaps, start, last, 0,
						    VHOST_MAP_RO);
			if (err)
				return err;
			break;
		}
	}
	for (map = vhost_iotlb_itree_first(as->iotlb, start, last); map;
	     map = next) {
		next = vhost_iotlb_itree_next(map, start, last);
		if (map->perm & VDPASIM_MAP_STAGED) {
			vhost_iotlb_del_range(as->staged, map->start, map->last);
			vhost_iotlb_map_free(as->iotlb, map);
		}
	}
	return 0;
}

/**
 * vdpasim_dma_unmap - the vDPA dma_unmap operation
 * @vdpa: the device
 * @asid: the address space
 * @iova: first IOVA
 * @size: size in bytes
 *
 * Removes every mapping that overlaps the range; inside a batch, at the
 * commit (a staged mapping goes at once).
 *
 * Return: 0, -EINVAL for bad arguments, or -ENOMEM (inside a batch,
 * with nothing changed).
 */
int vdpasim_dma_unmap(struct vdpa_device *vdpa, unsigned int asid, u64 iova,
		      u64 size)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	struct vdpasim_as *as = vdpasim_as(vdpasim, asid);
	int err = 0;

	if (!as || !vdpasim_range_ok(iova, size))
		return -EINVAL;
	down_write(&vdpasim->lock);
	if (as->staged) {
		err = _vdpasim_batch_unmap(as, iova, iova + size - 1);
	} else if (as->iotlb) {
		vhost_iotlb_del_range(as->iotlb, iova, iova + size - 1);
		vdpasim->map_gen++;
	}
	up_write(&vdpasim->lock);
	return err;
}

/**
 * vdpasim_dma_batch_begin - the vDPA dma_batch_begin operation
 * @vdpa: the device
 * @asid: the address space
 *
 * Opens a batch: dma_map and dma_unmap are staged until
 * vdpasim_dma_batch_commit(), so the datapath sees the map either before
 * or after the whole batch. Costs nothing in the size of the map.
 *
 * Return: 0, -EINVAL for an unknown address space, -EBUSY if a batch is
 * open, or -ENOMEM.
 */
int vdpasim_dma_batch_begin(struct vdpa_device *vdpa, unsigned int asid)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	struct vdpasim_as *as = vdpasim_as(vdpasim, asid);
	struct vhost_iotlb *unmaps, *staged;
	int err = 0;

	if (!as)
		return -EINVAL;
	unmaps = vhost_iotlb_alloc(VDPA_IOTLB_NO_LIMIT, 0);
	staged = vhost_iotlb_alloc(VDPA_IOTLB_NO_LIMIT, 0);
	down_write(&vdpasim->lock);
	if (!unmaps || !staged || !_vdpasim_as_live(vdpasim, as)) {
		err = -ENOMEM;
	} else if (as->staged) {
		err = -EBUSY;
	} else {
		as->unmaps = unmaps;
		as->staged = staged;
		unmaps = staged = NULL;
	}
	up_write(&vdpasim->lock);
	vdpasim_iotlb_free(unmaps);
	vdpasim_iotlb_free(staged);
	return err;
}

/* Make the batch's changes live: nothing here allocates or fails. */
static void _vdpasim_batch_apply(struct vdpasim_as *as)
{
	struct vhost_iotlb_map *r, *map, *next;

	for (r = vhost_iotlb_itree_first(as->unmaps, 0, U64_MAX); r;
	     r = vhost_iotlb_itree_next(r, 0, U64_MAX)) {
		for (map = vhost_iotlb_itree_first(as->iotlb, r->start, r->last);
		     map; map = next) {
			next = vhost_iotlb_itree_next(map, r->start, r->last);
			if (!(map->perm & VDPASIM_MAP_STAGED))
				vhost_iotlb_map_free(as->iotlb, map);
		}
	}
	for (r = vhost_iotlb_itree_first(as->staged, 0, U64_MAX); r;
	     r = vhost_iotlb_itree_next(r, 0, U64_MAX)) {
		/* staged mappings never overlap each other: one starts here */
		for (map = vhost_iotlb_itree_first(as->iotlb, r->start, r->start);
		     map; map = vhost_iotlb_itree_next(map, r->start, r->start))
			if (map->perm & VDPASIM_MAP_STAGED) {
				map->perm &= ~VDPASIM_MAP_STAGED;
				break;
			}
	}
}

/**
 * vdpasim_dma_batch_commit - the vDPA dma_batch_commit operation
 * @vdpa: the device
 * @asid: the address space
 *
 * Applies the batch in one step under the lock, in time proportional to
 * what it changed.
 *
 * Return: 0, or -EINVAL if no batch is open on @asid.
 */
int vdpasim_dma_batch_commit(struct vdpa_device *vdpa, unsigned int asid)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	struct vdpasim_as *as = vdpasim_as(vdpasim, asid);
	struct vhost_iotlb *unmaps = NULL, *staged = NULL;
	int err = -EINVAL;

	if (!as)
		return -EINVAL;
	down_write(&vdpasim->lock);
	if (as->staged) {
		_vdpasim_batch_apply(as);
		vdpasim->map_gen++;
		unmaps = as->unmaps;
		staged = as->staged;
		as->unmaps = as->staged = NULL;
		err = 0;
	}
	up_write(&vdpasim->lock);
	vdpasim_iotlb_free(unmaps);
	vdpasim_iotlb_free(staged);
	return err;
}
