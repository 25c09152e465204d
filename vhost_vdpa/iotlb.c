// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_vdpa IOTLB: the messages user space writes to map and unmap its
 * memory for the device, page pinning and its accounting, and handing the
 * mappings to the parent.
 *
 * UPDATE pins the user pages (FOLL_LONGTERM, and FOLL_WRITE when the
 * device may write), charges them to the owner's pinned_vm against
 * RLIMIT_MEMLOCK (unless the caller has CAP_IPC_LOCK), and records each
 * physically contiguous run of them in the address space's vhost_iotlb,
 * with a struct vhost_vdpa_pin as the entry's opaque. The parent gets the
 * runs in one of three ways: dma_map per run (bracketed by
 * dma_batch_begin/dma_batch_commit within an IOTLB batch, if it has
 * them), set_map of the whole address space when a message or a batch
 * ends, or, for a parent without either, iommu_map into an IOMMU domain
 * attached to its DMA device.
 *
 * INVALIDATE removes whole mappings, as UPDATE made them (all their
 * runs), and fails with EINVAL, changing nothing, if its range would cut
 * one; what is physically contiguous never shows. A removed run's
 * pin goes to the retired list and is unpinned (dirtied if writable) and
 * uncharged only once the parent has let go of it: after the commit that
 * ends the message or the batch. So within a batch, where the parent may
 * still use the old map until the commit, no page is unpinned early.
 *
 * A parent that works on user addresses (use_va: VDUSE) gets no pinned
 * pages: UPDATE records the user address of each shared file mapping in
 * the range, with the file and offset behind it as the entry's opaque
 * (struct vdpa_map_file, which such a parent reads), and holds a
 * reference to the file until the parent has let go, as pins are held.
 * Nothing is pinned, so nothing is charged (as upstream).
 *
 * Errors are specific (EINVAL, EEXIST, EFAULT, ENOMEM, ...), where
 * upstream's vhost-vdpa reports EFAULT for every failed message.
 */
#include <linux/capability.h>
#include <linux/file.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "../compat/compat-iommu.h"
#include "vhost_vdpa.h"

/* The vDPA and vhost_iotlb permissions are the uAPI ones. */
static_assert(VHOST_MAP_RO == VHOST_ACCESS_RO &&
	      VHOST_MAP_WO == VHOST_ACCESS_WO &&
	      VHOST_MAP_RW == VHOST_ACCESS_RW);

/**
 * struct vhost_vdpa_pin - the pinned pages under one mapped run
 * @file: for a user-address parent, the file and offset behind the run
 *	(first: such a parent reads the entry's opaque as a struct
 *	vdpa_map_file); its file is NULL for pinned pages
 * @node: entry in the device's retired list, once the run is removed
 * @first: first IOVA of the UPDATE that made the run
 * @last: last IOVA of that UPDATE
 * @pa: physical address of the run's first byte
 * @size: its size in bytes
 * @perm: its VHOST_MAP_* permission
 */
struct vhost_vdpa_pin {
	struct vdpa_map_file file;
	struct list_head node;
	u64 first;
	u64 last;
	u64 pa;
	u64 size;
	u32 perm;
};

/**
 * struct vhost_vdpa_pinning - an UPDATE in progress
 * @v: the device
 * @m: the message
 * @asid: the address space
 * @iova: where the pending run goes
 * @pa: physical address of the pending run
 * @len: length of the pending run; 0 if there is none
 * @pinned: pages pinned so far
 */
struct vhost_vdpa_pinning {
	struct vhost_vdpa *v;
	const struct vhost_iotlb_msg *m;
	u32 asid;
	u64 iova;
	u64 pa;
	u64 len;
	unsigned long pinned;
};

static unsigned long vhost_vdpa_iotlb_npages(u64 addr, u64 size)
{
	return PFN_DOWN(addr + size - 1) - PFN_DOWN(addr) + 1;
}

/* pinned pages are charged to the owner's RLIMIT_MEMLOCK, as upstream */
void vhost_vdpa_uncharge(struct vhost_vdpa *v, unsigned long npages)
{
	atomic64_sub(npages, &v->mm->pinned_vm);
}

int vhost_vdpa_charge(struct vhost_vdpa *v, unsigned long npages)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	u64 locked = atomic64_add_return(npages, &v->mm->pinned_vm);

	if (locked > limit && !capable(CAP_IPC_LOCK)) {
		vhost_vdpa_uncharge(v, npages);
		return -ENOMEM;
	}
	return 0;
}

/* Unpin and uncharge the physically contiguous pages under a range. */
static void vhost_vdpa_iotlb_unpin(struct vhost_vdpa *v, u64 pa, u64 size,
				   u32 perm)
{
	unsigned long npages = vhost_vdpa_iotlb_npages(pa, size);

	unpin_user_page_range_dirty_lock(pfn_to_page(PHYS_PFN(pa)), npages,
					 perm & VHOST_MAP_WO);
	vhost_vdpa_uncharge(v, npages);
}

/* Unpin what the parent no longer maps. */
static void _vhost_vdpa_iotlb_drain(struct vhost_vdpa *v)
{
	struct vhost_vdpa_pin *pin, *next;

	lockdep_assert_held(&v->mutex);
	list_for_each_entry_safe(pin, next, &v->retired, node) {
		if (pin->file.file)
			fput(pin->file.file);
		else
			vhost_vdpa_iotlb_unpin(v, pin->pa, pin->size, pin->perm);
		list_del(&pin->node);
		kfree(pin);
		cond_resched();
	}
}

static int vhost_vdpa_iotlb_prot(u32 perm)
{
	return IOMMU_CACHE | (perm & VHOST_MAP_RO ? IOMMU_READ : 0) |
	       (perm & VHOST_MAP_WO ? IOMMU_WRITE : 0);
}

/* Within a batch, open the parent's batch on @asid before changing it. */
static int _vhost_vdpa_iotlb_prepare(struct vhost_vdpa *v, u32 asid)
{
	const struct vdpa_ext_ops *ext = vdpa_get_ext_ops(v->vdpa);
	struct vhost_vdpa_as *as = &v->as[asid];
	int err;

	if (!v->in_batch || !v->vdpa->config->dma_map ||
	    !ext->dma_batch_begin || as->parent_batch)
		return 0;
	err = ext->dma_batch_begin(v->vdpa, asid);
	if (!err)
		as->parent_batch = true;
	return err;
}

/* @opaque: for a user-address parent, the struct vdpa_map_file, as upstream */
static int _vhost_vdpa_iotlb_parent_map(struct vhost_vdpa *v, u32 asid,
					u64 iova, u64 size, u64 pa, u32 perm,
					void *opaque)
{
	const struct vdpa_config_ops *ops = v->vdpa->config;

	if (ops->dma_map)
		return ops->dma_map(v->vdpa, asid, iova, size, pa, perm,
				    opaque);
	if (ops->set_map) {
		v->as[asid].dirty = true;
		return 0;
	}
	return iommu_map(v->domain, iova, pa, size,
			 vhost_vdpa_iotlb_prot(perm), GFP_KERNEL);
}

static void _vhost_vdpa_iotlb_parent_unmap(struct vhost_vdpa *v, u32 asid,
					   const struct vhost_iotlb_map *map)
{
	const struct vdpa_config_ops *ops = v->vdpa->config;
	bool failed;

	if (!ops->dma_map && ops->set_map) {
		v->as[asid].dirty = true;
		return;
	}
	if (ops->dma_map)
		failed = ops->dma_unmap(v->vdpa, asid, map->start, map->size);
	else
		failed = iommu_unmap(v->domain, map->start, map->size) !=
			 map->size;
	if (failed)
		v->parent_stale = true;
}

/*
 * Hand the changes since the last commit to the parent, then unpin what
 * it let go of. A failed set_map is tried again at the next commit; after
 * any other failure the parent's map may differ from ours for good, so
 * retired pages stay pinned until the device's teardown.
 */
static int _vhost_vdpa_iotlb_commit(struct vhost_vdpa *v)
{
	const struct vdpa_config_ops *ops = v->vdpa->config;
	struct vhost_vdpa_as *as;
	int err = 0, r;
	u32 asid;

	lockdep_assert_held(&v->mutex);
	for (asid = 0; asid < v->nas; asid++) {
		as = &v->as[asid];
		r = 0;
		if (as->parent_batch) {
			r = vdpa_get_ext_ops(v->vdpa)->dma_batch_commit(v->vdpa,
									asid);
			as->parent_batch = false;
			v->parent_stale |= !!r;
		} else if (as->dirty) {
			r = ops->set_map(v->vdpa, asid, as->iotlb);
			as->dirty = !!r;
		}
		if (r && !err)
			err = r;
	}
	if (!err && !v->parent_stale)
		_vhost_vdpa_iotlb_drain(v);
	return err;
}

/* Remove every run in [start, last] of @asid; the caller checked there is
 * none across an end.
 */
static void _vhost_vdpa_iotlb_remove(struct vhost_vdpa *v, u32 asid,
				     u64 start, u64 last)
{
	struct vhost_iotlb *iotlb = v->as[asid].iotlb;
	struct vhost_iotlb_map *map;
	struct vhost_vdpa_pin *pin;

	while ((map = vhost_iotlb_itree_first(iotlb, start, last))) {
		_vhost_vdpa_iotlb_parent_unmap(v, asid, map);
		pin = map->opaque;
		list_add_tail(&pin->node, &v->retired);
		vhost_iotlb_map_free(iotlb, map);
		cond_resched();
	}
}

/* Record the pending run and map it in the parent. */
static int _vhost_vdpa_iotlb_add_run(struct vhost_vdpa_pinning *p)
{
	struct vhost_iotlb *iotlb = p->v->as[p->asid].iotlb;
	u64 last = p->iova + p->len - 1;
	struct vhost_vdpa_pin *pin;
	int err;

	pin = kmalloc(sizeof(*pin), GFP_KERNEL_ACCOUNT);
	if (!pin)
		return -ENOMEM;
	pin->file.file = NULL;
	pin->first = p->m->iova;
	pin->last = p->m->iova + p->m->size - 1;
	pin->pa = p->pa;
	pin->size = p->len;
	pin->perm = p->m->perm;
	err = vhost_iotlb_add_range_ctx(iotlb, p->iova, last, p->pa, pin->perm,
					pin);
	if (err)
		goto err_add;
	err = _vhost_vdpa_iotlb_parent_map(p->v, p->asid, p->iova, p->len,
					   p->pa, pin->perm, NULL);
	if (err)
		goto err_map;
	p->iova += p->len;
	p->len = 0;
	return 0;

err_map:
	vhost_iotlb_del_range(iotlb, p->iova, last);
err_add:
	kfree(pin);
	return err;
}

/* Add the pinned pages to the pending run, flushing it where it breaks. */
static int _vhost_vdpa_iotlb_add_pages(struct vhost_vdpa_pinning *p,
				       struct page **pages, int n,
				       u64 *off, u64 *left)
{
	u64 len, pa;
	int i, err;

	for (i = 0; i < n; i++) {
		len = min_t(u64, PAGE_SIZE - *off, *left);
		pa = page_to_phys(pages[i]) + *off;
		if (p->len && p->pa + p->len != pa) {
			err = _vhost_vdpa_iotlb_add_run(p);
			if (err) {
				unpin_user_pages(pages + i, n - i);
				vhost_vdpa_uncharge(p->v, n - i);
				return err;
			}
		}
		if (!p->len)
			p->pa = pa;
		p->len += len;
		*left -= len;
		*off = 0;
	}
	return 0;
}

/*
 * Pin the pages of an UPDATE, already charged, a chunk at a time, and
 * add them run by run. On failure every page not in an added run is
 * unpinned and uncharged, and the added runs are in [msg iova, p->iova).
 */
static int _vhost_vdpa_iotlb_pin(struct vhost_vdpa_pinning *p,
				 unsigned long npages)
{
	const struct vhost_iotlb_msg *m = p->m;
	unsigned int gup = FOLL_LONGTERM |
			   (m->perm & VHOST_ACCESS_WO ? FOLL_WRITE : 0);
	unsigned long base = m->uaddr & PAGE_MASK;
	u64 off = offset_in_page(m->uaddr), left = m->size;
	struct page **pages;
	int got, err = 0;

	pages = (struct page **)__get_free_page(GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	while (p->pinned < npages) {
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		got = min_t(unsigned long, npages - p->pinned,
			    PAGE_SIZE / sizeof(*pages));
		got = pin_user_pages_fast(base + p->pinned * PAGE_SIZE, got,
					  gup, pages);
		if (got <= 0) {
			err = got ? got : -EFAULT;
			break;
		}
		p->pinned += got;
		err = _vhost_vdpa_iotlb_add_pages(p, pages, got, &off, &left);
		if (err)
			break;
		cond_resched();
	}
	if (!err)
		err = _vhost_vdpa_iotlb_add_run(p);
	if (err && p->len)
		vhost_vdpa_iotlb_unpin(p->v, p->pa, p->len, m->perm);
	free_page((unsigned long)pages);
	return err;
}

/* A mapping whose pages a file gives: what a user-address parent maps. */
static bool vhost_vdpa_va_mappable(const struct vm_area_struct *vma)
{
	return vma->vm_file && (vma->vm_flags & VM_SHARED) &&
	       !(vma->vm_flags & (VM_IO | VM_PFNMAP));
}

/* Record one VMA's part of an UPDATE for a user-address parent. */
static int _vhost_vdpa_iotlb_add_va(struct vhost_vdpa *v, u32 asid,
				    const struct vhost_iotlb_msg *m,
				    struct vm_area_struct *vma, u64 iova,
				    u64 uaddr, u64 len)
{
	struct vhost_iotlb *iotlb = v->as[asid].iotlb;
	struct vhost_vdpa_pin *pin;
	int err;

	pin = kmalloc(sizeof(*pin), GFP_KERNEL_ACCOUNT);
	if (!pin)
		return -ENOMEM;
	pin->file.file = vma->vm_file;
	pin->file.offset = ((u64)vma->vm_pgoff << PAGE_SHIFT) +
			   (uaddr - vma->vm_start);
	pin->first = m->iova;
	pin->last = m->iova + m->size - 1;
	pin->pa = uaddr;
	pin->size = len;
	pin->perm = m->perm;
	err = vhost_iotlb_add_range_ctx(iotlb, iova, iova + len - 1, uaddr,
					pin->perm, pin);
	if (err)
		goto err_add;
	err = _vhost_vdpa_iotlb_parent_map(v, asid, iova, len, uaddr,
					   pin->perm, &pin->file);
	if (err)
		goto err_map;
	get_file(pin->file.file);
	return 0;

err_map:
	vhost_iotlb_del_range(iotlb, iova, iova + len - 1);
err_add:
	kfree(pin);
	return err;
}

/*
 * An UPDATE for a user-address parent: each VMA of the range that a file
 * backs in shared mode becomes one entry. Other memory in the range is
 * left out, as upstream does (QEMU maps the whole guest, and only its
 * shared memory can be handed to a VDUSE daemon); a hole is EFAULT. On
 * failure the entries added are in [msg iova, *done).
 */
static int _vhost_vdpa_iotlb_map_va(struct vhost_vdpa *v, u32 asid,
				    const struct vhost_iotlb_msg *m, u64 *done)
{
	u64 uaddr = m->uaddr, left = m->size, len;
	struct vm_area_struct *vma;
	int err = 0;

	*done = m->iova;
	mmap_read_lock(v->mm);
	while (left) {
		vma = vma_lookup(v->mm, uaddr);
		if (!vma) {
			err = -EFAULT;
			break;
		}
		len = min_t(u64, left, vma->vm_end - uaddr);
		if (vhost_vdpa_va_mappable(vma)) {
			err = _vhost_vdpa_iotlb_add_va(v, asid, m, vma, *done,
						       uaddr, len);
			if (err)
				break;
		}
		*done += len;
		uaddr += len;
		left -= len;
	}
	mmap_read_unlock(v->mm);
	return err;
}

/* Checks common to UPDATE and INVALIDATE. */
static int vhost_vdpa_iotlb_check_range(struct vhost_vdpa *v, u32 asid,
					const struct vhost_iotlb_msg *m)
{
	if (asid >= v->nas)
		return -EINVAL;
	if (!m->size || m->iova > U64_MAX - (m->size - 1))
		return -EINVAL;
	return 0;
}

static int _vhost_vdpa_iotlb_check_update(struct vhost_vdpa *v, u32 asid,
					  const struct vhost_iotlb_msg *m)
{
	u64 last = m->iova + m->size - 1;
	int err;

	err = vhost_vdpa_iotlb_check_range(v, asid, m);
	if (err)
		return err;
	if (m->iova < v->range.first || last > v->range.last)
		return -EINVAL;
	if (!m->perm || (m->perm & ~VHOST_ACCESS_RW))
		return -EINVAL;
	/* an IOVA and its user address share their offset into the page */
	if (offset_in_page(m->iova ^ m->uaddr))
		return -EINVAL;
	/* an IOMMU maps whole pages */
	if (v->domain && (!PAGE_ALIGNED(m->iova) || !PAGE_ALIGNED(m->size)))
		return -EINVAL;
	if (m->uaddr > U64_MAX - (m->size - 1) ||
	    !access_ok(u64_to_user_ptr(m->uaddr), m->size))
		return -EFAULT;
	if (vhost_iotlb_itree_first(v->as[asid].iotlb, m->iova, last))
		return -EEXIST;
	return 0;
}

static int _vhost_vdpa_iotlb_update(struct vhost_vdpa *v, u32 asid,
				    const struct vhost_iotlb_msg *m)
{
	struct vhost_vdpa_pinning p = {
		.v = v,
		.m = m,
		.asid = asid,
		.iova = m->iova,
	};
	unsigned long npages;
	u64 done;
	int err;

	err = _vhost_vdpa_iotlb_check_update(v, asid, m) ?:
	      _vhost_vdpa_log_cover(v, m->iova + m->size - 1, m->perm);
	if (err)
		return err;
	if (v->vdpa->use_va) {
		err = _vhost_vdpa_iotlb_prepare(v, asid);
		if (!err)
			err = _vhost_vdpa_iotlb_map_va(v, asid, m, &done);
		if (err && done != m->iova)
			_vhost_vdpa_iotlb_remove(v, asid, m->iova, done - 1);
		return err;
	}
	npages = vhost_vdpa_iotlb_npages(m->uaddr, m->size);
	err = vhost_vdpa_charge(v, npages);
	if (err)
		return err;
	err = _vhost_vdpa_iotlb_prepare(v, asid);
	if (!err)
		err = _vhost_vdpa_iotlb_pin(&p, npages);
	if (err) {
		vhost_vdpa_uncharge(v, npages - p.pinned);
		if (p.iova != m->iova)
			_vhost_vdpa_iotlb_remove(v, asid, m->iova, p.iova - 1);
	}
	return err;
}

static int _vhost_vdpa_iotlb_invalidate(struct vhost_vdpa *v, u32 asid,
					const struct vhost_iotlb_msg *m)
{
	u64 last = m->iova + m->size - 1;
	const struct vhost_vdpa_pin *pin;
	struct vhost_iotlb_map *map;
	int err;

	err = vhost_vdpa_iotlb_check_range(v, asid, m);
	if (err)
		return err;
	for (map = vhost_iotlb_itree_first(v->as[asid].iotlb, m->iova, last);
	     map; map = vhost_iotlb_itree_next(map, m->iova, last)) {
		pin = map->opaque;
		if (pin->first < m->iova || pin->last > last)
			return -EINVAL;
	}
	err = _vhost_vdpa_iotlb_prepare(v, asid);
	if (!err)
		_vhost_vdpa_iotlb_remove(v, asid, m->iova, last);
	return err;
}

static int _vhost_vdpa_iotlb_msg(struct vhost_vdpa *v, u32 asid,
				 const struct vhost_iotlb_msg *m)
{
	int err, r;

	switch (m->type) {
	case VHOST_IOTLB_BATCH_BEGIN:
		v->in_batch = true;
		return 0;
	case VHOST_IOTLB_BATCH_END:
		v->in_batch = false;
		return _vhost_vdpa_iotlb_commit(v);
	case VHOST_IOTLB_UPDATE:
	case VHOST_IOTLB_INVALIDATE:
		if (asid >= v->nas) {
			err = -EINVAL;
			break;
		}
		/* the user's index into v->as[]: no speculation past it */
		asid = array_index_nospec(asid, v->nas);
		if (m->type == VHOST_IOTLB_UPDATE)
			err = _vhost_vdpa_iotlb_update(v, asid, m);
		else
			err = _vhost_vdpa_iotlb_invalidate(v, asid, m);
		break;
	default:
		return -EINVAL;
	}
	if (v->in_batch)
		return err;
	r = _vhost_vdpa_iotlb_commit(v);
	if (r && !err && m->type == VHOST_IOTLB_UPDATE) {
		/* the parent did not take the new mapping: forget it */
		_vhost_vdpa_iotlb_remove(v, asid, m->iova,
					 m->iova + m->size - 1);
		_vhost_vdpa_iotlb_commit(v);
	}
	return err ? err : r;
}

/**
 * _vhost_vdpa_iotlb_write - write() on the device: one IOTLB message
 * @v: the device, mutex held, not removed
 * @from: a struct vhost_msg_v2; its asid is read only with
 *	VHOST_BACKEND_F_IOTLB_ASID, else it is 0
 *
 * Needs VHOST_BACKEND_F_IOTLB_MSG_V2 (else EINVAL) and the owner (else
 * EPERM). As upstream, the message may be cut short after its iotlb part.
 *
 * Return: the bytes consumed (at most one message), or a negative errno.
 */
ssize_t _vhost_vdpa_iotlb_write(struct vhost_vdpa *v, struct iov_iter *from)
{
	size_t len = iov_iter_count(from);
	struct vhost_msg_v2 msg = {};
	u32 asid;
	int err;

	lockdep_assert_held(&v->mutex);
	if (!vhost_vdpa_has_backend(v, VHOST_BACKEND_F_IOTLB_MSG_V2))
		return -EINVAL;
	if (len < offsetofend(struct vhost_msg_v2, iotlb))
		return -EINVAL;
	len = min(len, sizeof(msg));
	if (!copy_from_iter_full(&msg, len, from))
		return -EFAULT;
	if (msg.type != VHOST_IOTLB_MSG_V2)
		return -EINVAL;
	if (!v->mm || v->mm != current->mm)
		return -EPERM;
	asid = vhost_vdpa_has_backend(v, VHOST_BACKEND_F_IOTLB_ASID) ?
	       msg.asid : 0;
	err = _vhost_vdpa_iotlb_msg(v, asid, &msg.iotlb);
	return err ? err : (ssize_t)len;
}

/**
 * _vhost_vdpa_iotlb_unmap_all - remove every mapping, unpin every page
 * @v: the device, mutex held, not removed, open
 *
 * Ends a batch left open. Unpins even what a failed commit leaves behind:
 * the caller has reset the device, so it no longer does DMA, but the
 * parent may keep stale entries until its next map change, so say so.
 * Last, a parent with a default map of its own gets it back (reset_map).
 */
void _vhost_vdpa_iotlb_unmap_all(struct vhost_vdpa *v)
{
	int err;
	u32 asid;

	lockdep_assert_held(&v->mutex);
	for (asid = 0; asid < v->nas; asid++)
		_vhost_vdpa_iotlb_remove(v, asid, 0, U64_MAX);
	v->in_batch = false;
	err = _vhost_vdpa_iotlb_commit(v);
	if (err || v->parent_stale)
		dev_warn(&v->dev, "parent failed to drop the mappings: %d\n",
			 err);
	_vhost_vdpa_iotlb_drain(v);
	v->parent_stale = false;
	/*
	 * A parent with a default map of its own (upstream's simulator: an
	 * identity map, which virtio_vdpa needs) gets it back, as upstream's
	 * vhost_vdpa does when it removes an address space. Without this, a
	 * device moved from vhost_vdpa to virtio_vdpa has an empty map.
	 */
	if (v->vdpa->config->reset_map)
		for (asid = 0; asid < v->nas; asid++)
			v->vdpa->config->reset_map(v->vdpa, asid);
}

static int _vhost_vdpa_iotlb_alloc_domain(struct vhost_vdpa *v)
{
	struct device *dma_dev = vdpa_get_map(v->vdpa).dma_dev;
	struct iommu_domain *domain;
	int err;

	if (!device_iommu_capable(dma_dev, IOMMU_CAP_CACHE_COHERENCY))
		return -EOPNOTSUPP;
	domain = iommu_paging_domain_alloc(dma_dev);
	if (IS_ERR(domain))
		return PTR_ERR(domain);
	err = iommu_attach_device(domain, dma_dev);
	if (err) {
		iommu_domain_free(domain);
		return err;
	}
	v->domain = domain;
	return 0;
}

static void _vhost_vdpa_iotlb_set_range(struct vhost_vdpa *v)
{
	const struct vdpa_config_ops *ops = v->vdpa->config;
	const struct iommu_domain_geometry *geo;

	v->range.first = 0;
	v->range.last = U64_MAX;
	if (ops->get_iova_range) {
		v->range = ops->get_iova_range(v->vdpa);
	} else if (v->domain && v->domain->geometry.force_aperture) {
		geo = &v->domain->geometry;
		v->range.first = geo->aperture_start;
		v->range.last = geo->aperture_end;
	}
}

/**
 * _vhost_vdpa_iotlb_open - set up the address spaces for a new opener
 * @v: the device, mutex held, not removed
 *
 * Allocates an empty map per address space and, for a platform IOMMU
 * device, a domain attached to its DMA device.
 *
 * Return: 0, or a negative errno with nothing left allocated.
 */
int _vhost_vdpa_iotlb_open(struct vhost_vdpa *v)
{
	int err = -ENOMEM;
	u32 asid;

	lockdep_assert_held(&v->mutex);
	v->as = kcalloc(v->nas, sizeof(*v->as), GFP_KERNEL);
	if (!v->as)
		return -ENOMEM;
	for (asid = 0; asid < v->nas; asid++) {
		v->as[asid].iotlb = vhost_iotlb_alloc(VDPA_IOTLB_NO_LIMIT, 0);
		if (!v->as[asid].iotlb)
			goto err_iotlb;
	}
	if (v->platform) {
		err = _vhost_vdpa_iotlb_alloc_domain(v);
		if (err)
			goto err_iotlb;
	}
	_vhost_vdpa_iotlb_set_range(v);
	return 0;

err_iotlb:
	_vhost_vdpa_iotlb_free(v);
	return err;
}

/**
 * _vhost_vdpa_iotlb_detach - give back the IOMMU domain
 * @v: the device, mutex held, not removed, everything unmapped
 */
void _vhost_vdpa_iotlb_detach(struct vhost_vdpa *v)
{
	lockdep_assert_held(&v->mutex);
	if (!v->domain)
		return;
	iommu_detach_device(v->domain, vdpa_get_map(v->vdpa).dma_dev);
	iommu_domain_free(v->domain);
	v->domain = NULL;
}

/**
 * _vhost_vdpa_iotlb_free - free the address spaces
 * @v: the device, mutex held, everything unmapped
 *
 * Safe for every state _vhost_vdpa_iotlb_open() can leave behind.
 */
void _vhost_vdpa_iotlb_free(struct vhost_vdpa *v)
{
	u32 asid;

	lockdep_assert_held(&v->mutex);
	for (asid = 0; v->as && asid < v->nas; asid++)
		if (v->as[asid].iotlb)
			vhost_iotlb_free(v->as[asid].iotlb);
	kfree(v->as);
	v->as = NULL;
}
