// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty page logging, beyond upstream vhost-vdpa: VHOST_F_LOG_ALL,
 * VHOST_SET_LOG_BASE and VHOST_VRING_F_LOG, for parents that can mark
 * the memory they write (the set_dirty_log operation). With it a VMM
 * migrates a guest while the datapath stays in the device: it enables
 * logging, copies memory while the device runs, and copies again what
 * the log marks, as it does for the kernel's vhost-net. Upstream
 * vhost-vdpa refuses VHOST_SET_LOG_BASE, so VMMs shadow the virtqueues
 * (QEMU) or stop the device to migrate.
 *
 * The log is vhost's: a bitmap in the owner's memory, bit N for the 4 KiB
 * page at IOVA N * 4 KiB (with no vIOMMU the IOVA is the guest physical
 * address, which is what a VMM indexes its log by). The device writes it
 * from its own context, not the owner's, so the log's pages are pinned
 * (charged to RLIMIT_MEMLOCK like mappings) and mapped into the kernel
 * while logging is on. VHOST_SET_LOG_BASE gives no size: the bitmap is
 * taken to cover every IOVA mapped writable, and grows (pinned again) when
 * such a mapping beyond it is added. A VMM's log covers all guest RAM, so
 * this never reaches past it.
 *
 * Logging is on while the driver has accepted VHOST_F_LOG_ALL and a base
 * is set. Once the features are negotiated, VHOST_SET_FEATURES may still
 * change that one bit (a VMM turns logging on and off around a migration
 * with the device running), and VHOST_SET_VRING_ADDR may repeat a running
 * queue's addresses to change VHOST_VRING_F_LOG (used-ring writes are
 * logged with the rest whatever that flag says).
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vhost_vdpa.h"

/* the largest bitmap (256 MiB) covers 8 TiB of IOVA */
#define VHOST_VDPA_LOG_MAX_BYTES	(256ULL << 20)

/**
 * struct vhost_vdpa_log - a log installed in the parent
 * @log: what the parent sees
 * @uaddr: the owner's address of the bitmap's first byte
 * @pages: the pinned pages under it
 * @npages: how many
 * @vaddr: their kernel mapping
 */
struct vhost_vdpa_log {
	struct vdpa_dirty_log log;
	u64 uaddr;
	struct page **pages;
	unsigned long npages;
	void *vaddr;
};

/**
 * vhost_vdpa_can_log - whether the device can log the memory it writes
 * @v: the device
 *
 * Return: true if its parent has set_dirty_log and translates addresses
 * itself.
 */
bool vhost_vdpa_can_log(const struct vhost_vdpa *v)
{
	return v->vdpa && vdpa_get_ext_ops(v->vdpa)->set_dirty_log &&
	       !v->platform;
}

/**
 * vhost_vdpa_offers_log - whether VHOST_GET_FEATURES has VHOST_F_LOG_ALL
 * @v: the device
 *
 * Only once the device has an owner: the log lives in the owner's memory,
 * and a VMM asks for logging after VHOST_SET_OWNER. It also keeps Debian
 * 12's QEMU 7.2 working with shadow virtqueues (x-svq=on): before taking
 * ownership, it reads the features and refuses any device bit outside its
 * list, which lacks bit 26 (newer QEMUs accept it).
 *
 * Return: true if VHOST_F_LOG_ALL is offered.
 */
bool vhost_vdpa_offers_log(const struct vhost_vdpa *v)
{
	return vhost_vdpa_can_log(v) && v->mm;
}

static void vhost_vdpa_log_free(struct vhost_vdpa *v, struct vhost_vdpa_log *l)
{
	if (!l)
		return;
	vunmap(l->vaddr);
	unpin_user_pages_dirty_lock(l->pages, l->npages, true);
	vhost_vdpa_uncharge(v, l->npages);
	kvfree(l->pages);
	kfree(l);
}

/* Pin and map a bitmap of @nbits bits at @uaddr in the owner's memory. */
static struct vhost_vdpa_log *vhost_vdpa_log_alloc(struct vhost_vdpa *v,
						   u64 uaddr, u64 nbits)
{
	u64 bytes = DIV_ROUND_UP(nbits, 8), start = uaddr & PAGE_MASK;
	u64 aligned = uaddr & ~(u64)(sizeof(long) - 1);
	struct vhost_vdpa_log *l;
	unsigned long done = 0;
	long got;
	int err;

	if (!v->mm || v->mm != current->mm)
		return ERR_PTR(-EPERM);
	if (bytes > VHOST_VDPA_LOG_MAX_BYTES)
		return ERR_PTR(-ENOMEM);
	if (uaddr + bytes < uaddr || !access_ok((void __user *)uaddr, bytes))
		return ERR_PTR(-EFAULT);
	l = kzalloc(sizeof(*l), GFP_KERNEL_ACCOUNT);
	if (!l)
		return ERR_PTR(-ENOMEM);
	l->uaddr = uaddr;
	l->npages = PFN_UP(uaddr + bytes) - PFN_DOWN(uaddr);
	err = vhost_vdpa_charge(v, l->npages);
	if (err)
		goto free;
	l->pages = kvmalloc_array(l->npages, sizeof(*l->pages),
				  GFP_KERNEL_ACCOUNT);
	err = -ENOMEM;
	if (!l->pages)
		goto uncharge;
	while (done < l->npages) {
		got = pin_user_pages_fast(start + done * PAGE_SIZE,
					  l->npages - done,
					  FOLL_WRITE | FOLL_LONGTERM,
					  l->pages + done);
		if (got <= 0) {
			err = got ? got : -EFAULT;
			goto unpin;
		}
		done += got;
	}
	l->vaddr = vmap(l->pages, l->npages, VM_MAP, PAGE_KERNEL);
	err = -ENOMEM;
	if (!l->vaddr)
		goto unpin;
	/* long-aligned, so that set_bit() never splits a cache line */
	l->log.bitmap = l->vaddr + (aligned - start);
	l->log.first = (uaddr - aligned) * 8;
	l->log.nbits = nbits;
	return l;

unpin:
	unpin_user_pages(l->pages, done);
	kvfree(l->pages);
uncharge:
	vhost_vdpa_uncharge(v, l->npages);
free:
	kfree(l);
	return ERR_PTR(err);
}

/*
 * The pages of IOVA a log must cover now: up to the last one the device
 * may write. Read-only mappings do not count: QEMU maps its ROMs (the
 * BIOS just below 4 GiB) read-only and sizes its log for RAM alone.
 */
static u64 _vhost_vdpa_log_pages_needed(struct vhost_vdpa *v)
{
	struct vhost_iotlb_map *map;
	u64 end = 0;
	u32 asid;

	for (asid = 0; v->as && asid < v->nas; asid++) {
		if (!v->as[asid].iotlb)
			continue;
		for (map = vhost_iotlb_itree_first(v->as[asid].iotlb, 0, U64_MAX);
		     map; map = vhost_iotlb_itree_next(map, 0, U64_MAX))
			if (map->perm & VHOST_MAP_WO)
				end = max(end,
					  (map->last >> VDPA_LOG_PAGE_SHIFT) + 1);
	}
	return end;
}

/*
 * Install a log of at least @pages pages if logging is on, or take the
 * log away if it is off. On failure, the log installed before stays.
 */
static int _vhost_vdpa_log_apply(struct vhost_vdpa *v, u64 pages)
{
	const struct vdpa_ext_ops *ops = vdpa_get_ext_ops(v->vdpa);
	struct vhost_vdpa_log *old = v->log, *l;
	int err;

	lockdep_assert_held(&v->mutex);
	if (!v->log_all || !v->log_base_set) {
		if (old) {
			ops->set_dirty_log(v->vdpa, NULL);
			v->log = NULL;
			vhost_vdpa_log_free(v, old);
		}
		return 0;
	}
	pages = max(pages, _vhost_vdpa_log_pages_needed(v));
	if (old && old->uaddr == v->log_base && old->log.nbits >= pages)
		return 0;
	/* a little room, so that growing maps do not pin again each time */
	l = vhost_vdpa_log_alloc(v, v->log_base, max_t(u64, pages, 64));
	if (IS_ERR(l))
		return PTR_ERR(l);
	err = ops->set_dirty_log(v->vdpa, &l->log);
	if (err) {
		vhost_vdpa_log_free(v, l);
		return err;
	}
	v->log = l;
	vhost_vdpa_log_free(v, old);
	return 0;
}

/**
 * _vhost_vdpa_log_switch - VHOST_F_LOG_ALL accepted or dropped
 * @v: the device
 * @on: accepted
 *
 * Return: 0 or a negative errno (the log could not be pinned).
 */
int _vhost_vdpa_log_switch(struct vhost_vdpa *v, bool on)
{
	bool was = v->log_all;
	int err;

	v->log_all = on;
	err = _vhost_vdpa_log_apply(v, 0);
	if (err)
		v->log_all = was;
	return err;
}

/**
 * _vhost_vdpa_log_set_base - VHOST_SET_LOG_BASE
 * @v: the device
 * @argp: the user address of the bitmap
 *
 * Return: 0, a negative errno, or -ENOIOCTLCMD if the device cannot log.
 */
long _vhost_vdpa_log_set_base(struct vhost_vdpa *v, u64 __user *argp)
{
	u64 base, old_base = v->log_base;
	bool old_set = v->log_base_set;
	int err;

	if (!vhost_vdpa_can_log(v))
		return -ENOIOCTLCMD;
	if (get_user(base, argp))
		return -EFAULT;
	v->log_base = base;
	v->log_base_set = true;
	err = _vhost_vdpa_log_apply(v, 0);
	if (err) {
		v->log_base = old_base;
		v->log_base_set = old_set;
	}
	return err;
}

/**
 * _vhost_vdpa_log_cover - make the log cover a mapping about to be added
 * @v: the device
 * @last: the mapping's last IOVA
 * @perm: its VHOST_MAP_* permission
 *
 * Return: 0 or a negative errno (the larger log could not be pinned).
 */
int _vhost_vdpa_log_cover(struct vhost_vdpa *v, u64 last, u32 perm)
{
	u64 pages = (last >> VDPA_LOG_PAGE_SHIFT) + 1;

	if (!v->log || !(perm & VHOST_MAP_WO) || v->log->log.nbits >= pages)
		return 0;
	return _vhost_vdpa_log_apply(v, pages);
}

/**
 * _vhost_vdpa_log_stop - the device was reset, or is going away: no log
 * @v: the device
 * @forget_base: the owner is gone too: forget the base
 */
void _vhost_vdpa_log_stop(struct vhost_vdpa *v, bool forget_base)
{
	v->log_all = false;
	if (forget_base)
		v->log_base_set = false;
	if (v->vdpa)
		_vhost_vdpa_log_apply(v, 0);
	WARN_ON_ONCE(v->log);
}
