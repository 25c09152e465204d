// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa_sim split virtqueues: translating the rings once, taking and
 * giving back descriptor chains, notifications both ways, and copying
 * through the chains' buffers.
 *
 * Everything here runs in a lane's work function, with the device lock
 * held for reading and only on the lane's own queues, so nothing here
 * locks. The rings are translated to kernel addresses
 * when a queue starts or a map changes; data buffers are translated
 * piece by piece through a one-entry cache of the last IOTLB entry and
 * reached with kmap_local_page(), never beyond the mapping that allows
 * the access.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_ring.h>

#include "sim_priv.h"

static inline void *vdpasim_area_at(const struct vdpasim_area *area, u32 off)
{
	const struct vdpasim_run *run = area->run;

	/* the runs cover the area and callers stay inside it */
	while (off >= run->end)
		run++;
	return run->va + (off - run->start);
}

/* Kernel address of up to *len bytes at @iova within one lowmem page. */
static void *vdpasim_lowmem(struct vdpasim_virtqueue *vq, u64 iova, u32 *len,
			    u32 perm)
{
	struct page *page;
	phys_addr_t pa;
	u64 n;

	n = vdpasim_xlate(vq, iova, *len, perm, &pa);
	if (!n || !pfn_valid(PHYS_PFN(pa)))
		return NULL;
	page = pfn_to_page(PHYS_PFN(pa));
	/* rings stay mapped for long: only the linear map will do */
	if (PageHighMem(page))
		return NULL;
	*len = min_t(u64, n, PAGE_SIZE - offset_in_page(pa));
	return page_address(page) + offset_in_page(pa);
}

/*
 * Translate a ring area into runs of contiguous kernel memory. A run may
 * only end on a multiple of @align, so that no ring field straddles two.
 */
static int vdpasim_area_map(struct vdpasim_virtqueue *vq,
			    struct vdpasim_area *area, u64 iova, u32 size,
			    u32 align, u32 perm)
{
	struct vdpasim_run *run = NULL;
	u32 off = 0, n;
	u8 *va;

	area->nruns = 0;
	if (!IS_ALIGNED(iova, align) || iova > U64_MAX - (size - 1))
		return -EINVAL;
	while (off < size) {
		n = size - off;
		va = vdpasim_lowmem(vq, iova + off, &n, perm);
		if (!va)
			return -EFAULT;
		if (run && run->va + (run->end - run->start) == va) {
			run->end += n;
		} else {
			if (!IS_ALIGNED(off, align) ||
			    area->nruns == VDPASIM_AREA_RUNS)
				return -EFAULT;
			run = &area->run[area->nruns++];
			run->va = va;
			run->start = off;
			run->end = off + n;
		}
		off += n;
	}
	return 0;
}

/**
 * _vdpasim_vq_map_rings - translate a queue's rings to kernel addresses
 * @vq: the queue, lock held, bound to its address space
 *
 * Return: 0, or a negative errno if a ring is misaligned, not mapped
 * with the access the device needs, or not in lowmem.
 */
int _vdpasim_vq_map_rings(struct vdpasim_virtqueue *vq)
{
	u32 num = vq->num;
	int err;

	lockdep_assert_held(&vq->sim->lock);
	vq->mapped = false;
	if (!num)
		return -EINVAL;
	err = vdpasim_area_map(vq, &vq->desc, vq->desc_addr,
			       num * sizeof(struct vdpasim_desc),
			       VDPASIM_DESC_ALIGN, VHOST_MAP_RO);
	if (!err)
		err = vdpasim_area_map(vq, &vq->avail, vq->driver_addr,
				       VDPASIM_AVAIL_RING(num) + 2,
				       VDPASIM_AVAIL_ALIGN, VHOST_MAP_RO);
	if (!err)
		err = vdpasim_area_map(vq, &vq->used, vq->device_addr,
				       VDPASIM_USED_RING(num) + 2,
				       VDPASIM_USED_ALIGN, VHOST_MAP_WO);
	if (err)
		return err;
	vq->ring_num = num;
	vq->avail_flags_p = vdpasim_area_at(&vq->avail, VDPASIM_AVAIL_FLAGS);
	vq->avail_idx_p = vdpasim_area_at(&vq->avail, VDPASIM_AVAIL_IDX);
	vq->used_event_p = vdpasim_area_at(&vq->avail, VDPASIM_AVAIL_RING(num));
	vq->used_idx_p = vdpasim_area_at(&vq->used, VDPASIM_USED_IDX);
	vq->avail_event_p = vdpasim_area_at(&vq->used, VDPASIM_USED_RING(num));
	vq->mapped = true;
	return 0;
}

/**
 * _vdpasim_vq_reset - forget everything the driver set up on a queue
 * @vq: the queue, lock held
 *
 * The statistics are kept: they count over the device's lifetime. So is
 * the position the queue had reached, for get_vq_state only, until the
 * driver sets the queue up again: QEMU 7.2 resets a device before it reads
 * the base of the control queue it then keeps serving itself (a stopped
 * vhost-vdpa net client), and would otherwise replay the guest's old
 * control commands from index 0.
 */
void _vdpasim_vq_reset(struct vdpasim_virtqueue *vq)
{
	lockdep_assert_held(&vq->sim->lock);
	if (!vq->stale)
		vq->reset_avail = vq->last_avail;
	vq->stale = true;
	vq->desc_addr = 0;
	vq->driver_addr = 0;
	vq->device_addr = 0;
	vq->num = 0;
	vq->ready = false;
	memset(&vq->cb, 0, sizeof(vq->cb));
	vq->last_avail = 0;
	vq->avail_shadow = 0;
	vq->used_idx = 0;
	vq->used_published = 0;
	vq->stats_avail = 0;
	vq->mapped = false;
	vq->broken = false;
	vq->ring_num = 0;
	vq->iotlb = NULL;
	vq->identity = false;
	vq->xc.valid = false;
}

/* Map up to *len bytes at @iova within one page; kunmap_local() it. */
static void *vdpasim_kmap(struct vdpasim_virtqueue *vq, u64 iova, u32 *len,
			  u32 perm)
{
	phys_addr_t pa;
	u64 n;

	n = vdpasim_xlate(vq, iova, *len, perm, &pa);
	if (!n || !pfn_valid(PHYS_PFN(pa)))
		return NULL;
	*len = min_t(u64, n, PAGE_SIZE - offset_in_page(pa));
	return kmap_local_page(pfn_to_page(PHYS_PFN(pa))) + offset_in_page(pa);
}

/* Read @len bytes at @iova; the caller checked that the range does not wrap. */
static int vdpasim_guest_read(struct vdpasim_virtqueue *vq, u64 iova,
			      void *buf, u32 len)
{
	u32 done = 0, n;
	void *p;

	while (done < len) {
		n = len - done;
		p = vdpasim_kmap(vq, iova + done, &n, VHOST_MAP_RO);
		if (!p)
			return -EFAULT;
		memcpy(buf + done, p, n);
		kunmap_local(p);
		done += n;
	}
	return 0;
}

/**
 * vdpasim_vq_fail - stop a queue after the driver broke the protocol
 * @vq: the queue
 * @why: what was wrong, for the (rate-limited) log
 *
 * Sets NEEDS_RESET in the device status and calls the config callback
 * once (two lanes may fail at the same time: the bit picks one); the
 * queue is left alone until the device is reset.
 */
void vdpasim_vq_fail(struct vdpasim_virtqueue *vq, const char *why)
{
	struct vdpasim *vdpasim = vq->sim;

	lockdep_assert_held(&vdpasim->lock);
	if (vq->broken)
		return;
	vq->broken = true;
	dev_warn_ratelimited(&vdpasim->vdpa.dev, "vq %u stopped: %s\n",
			     vq->index, why);
	if (!test_and_set_bit(0, &vdpasim->needs_reset))
		_vdpasim_notify_config(vdpasim);
}
EXPORT_SYMBOL_GPL(vdpasim_vq_fail);

/* Add one descriptor's buffer to @chain; returns what is wrong, or NULL. */
static const char *vdpasim_chain_add(struct vdpasim_virtqueue *vq,
				     struct vdpasim_chain *chain, u64 addr,
				     u32 len, u16 flags)
{
	struct vdpasim_seg *seg;

	if (!len)
		return NULL;
	if (addr > U64_MAX - (len - 1))
		return "buffer wraps around the address space";
	if (flags & VRING_DESC_F_WRITE) {
		if (len > U32_MAX - chain->in_len)
			return "chain longer than 4 GiB";
		chain->in_len += len;
		chain->nin++;
	} else {
		if (chain->nin)
			return "device-readable buffer after a device-writable one";
		if (len > U32_MAX - chain->out_len)
			return "chain longer than 4 GiB";
		chain->out_len += len;
		chain->nout++;
	}
	/* at most one buffer per descriptor, and at most num descriptors */
	seg = &vq->segs[chain->nout + chain->nin - 1];
	seg->addr = addr;
	seg->len = len;
	return NULL;
}

static const char *vdpasim_chain_indirect(struct vdpasim_virtqueue *vq,
					  u64 addr, u32 len, u16 flags)
{
	if (!vdpasim_has_feature(vq->sim, VIRTIO_RING_F_INDIRECT_DESC))
		return "indirect descriptor without VIRTIO_RING_F_INDIRECT_DESC";
	if (flags & VRING_DESC_F_NEXT)
		return "indirect descriptor with VRING_DESC_F_NEXT";
	if (!len || len % sizeof(struct vdpasim_desc))
		return "indirect table with a bad length";
	if (addr > U64_MAX - (len - 1))
		return "indirect table wraps around the address space";
	return NULL;
}

/*
 * Walk the chain at @head into vq->segs. Every descriptor is read once,
 * and only the copy read is used afterwards. Returns what is wrong with
 * the chain, or NULL.
 */
static const char *vdpasim_chain_parse(struct vdpasim_virtqueue *vq, u16 head,
				       struct vdpasim_chain *chain)
{
	u32 num = vq->ring_num, tnum = num, count = 0;
	const struct vdpasim_desc *ring;
	struct vdpasim_desc d;
	bool indirect = false;
	u64 table = 0, addr;
	u16 i = head, flags;
	const char *why;
	u32 len;

	memset(chain, 0, sizeof(*chain));
	chain->seg = vq->segs;
	chain->head = head;
	if (head >= num)
		return "head index out of range";
	for (;;) {
		/* a chain may not be longer than the queue: this ends loops */
		if (++count > num)
			return "descriptor chain loops or is longer than the queue";
		if (indirect) {
			if (vdpasim_guest_read(vq, table + i * sizeof(d), &d,
					       sizeof(d)))
				return "indirect table outside the mapped memory";
		} else {
			ring = vdpasim_area_at(&vq->desc, i * sizeof(d));
			d.addr = READ_ONCE(ring->addr);
			d.len = READ_ONCE(ring->len);
			d.flags = READ_ONCE(ring->flags);
			d.next = READ_ONCE(ring->next);
		}
		addr = le64_to_cpu(d.addr);
		len = le32_to_cpu(d.len);
		flags = le16_to_cpu(d.flags);
		if (flags & VRING_DESC_F_INDIRECT) {
			if (indirect)
				return "indirect descriptor inside an indirect table";
			why = vdpasim_chain_indirect(vq, addr, len, flags);
			if (why)
				return why;
			indirect = true;
			table = addr;
			tnum = len / sizeof(d);
			i = 0;
			count--;
			continue;
		}
		why = vdpasim_chain_add(vq, chain, addr, len, flags);
		if (why)
			return why;
		if (!(flags & VRING_DESC_F_NEXT))
			return NULL;
		i = le16_to_cpu(d.next);
		if (i >= tnum)
			return "next index out of range";
	}
}

/**
 * vdpasim_vq - a queue of a device
 * @vdpasim: the device
 * @idx: the queue index
 *
 * Return: the queue, or NULL if there is no queue @idx.
 */
struct vdpasim_virtqueue *vdpasim_vq(struct vdpasim *vdpasim, u16 idx)
{
	return idx < vdpasim->dev_attr.nvqs ? &vdpasim->vqs[idx] : NULL;
}
EXPORT_SYMBOL_GPL(vdpasim_vq);

/**
 * vdpasim_vq_live - whether a queue can be used now
 * @vq: the queue
 *
 * Return: true if the driver enabled it, its rings are translated and it
 * has not failed.
 */
bool vdpasim_vq_live(const struct vdpasim_virtqueue *vq)
{
	return vq->ready && vq->mapped && !vq->broken;
}
EXPORT_SYMBOL_GPL(vdpasim_vq_live);

/**
 * vdpasim_vq_pop - take the next available descriptor chain
 * @vq: the queue
 * @chain: where to describe it
 *
 * Reads avail->idx only when every entry seen so far has been taken.
 * A chain the driver got wrong fails the queue (vdpasim_vq_fail()).
 *
 * Return: 0, -EAGAIN if no chain is available, or -EIO if the queue is
 * not live or just failed.
 */
int vdpasim_vq_pop(struct vdpasim_virtqueue *vq, struct vdpasim_chain *chain)
{
	const char *why;
	__le16 *entry;
	u16 idx, head;

	lockdep_assert_held(&vq->sim->lock);
	if (!vdpasim_vq_live(vq))
		return -EIO;
	if (vq->last_avail == vq->avail_shadow) {
		idx = le16_to_cpu(READ_ONCE(*vq->avail_idx_p));
		if (idx == vq->last_avail)
			return -EAGAIN;
		if ((u16)(idx - vq->last_avail) > vq->ring_num) {
			vdpasim_vq_fail(vq, "avail index moved by more than the queue size");
			return -EIO;
		}
		vq->avail_shadow = idx;
		/* read the index before the entries and descriptors it covers */
		smp_rmb();
	}
	entry = vdpasim_area_at(&vq->avail,
				VDPASIM_AVAIL_RING(vq->last_avail &
						   (vq->ring_num - 1)));
	head = le16_to_cpu(READ_ONCE(*entry));
	why = vdpasim_chain_parse(vq, head, chain);
	if (why) {
		vdpasim_vq_fail(vq, why);
		return -EIO;
	}
	vq->last_avail++;
	return 0;
}
EXPORT_SYMBOL_GPL(vdpasim_vq_pop);

/**
 * vdpasim_vq_unpop - give back chains taken but not used
 * @vq: the queue
 * @n: how many of the last vdpasim_vq_pop() calls to undo
 *
 * They stay available and are taken again, in the same order, next time.
 */
void vdpasim_vq_unpop(struct vdpasim_virtqueue *vq, u16 n)
{
	vq->last_avail -= n;
}
EXPORT_SYMBOL_GPL(vdpasim_vq_unpop);

/**
 * vdpasim_vq_push - return a chain to the driver
 * @vq: the queue
 * @head: the chain's head index
 * @len: how many bytes the device wrote into it
 *
 * The driver sees it at the next vdpasim_vq_flush().
 */
void vdpasim_vq_push(struct vdpasim_virtqueue *vq, u16 head, u32 len)
{
	__le32 *id, *used_len;
	u32 off;

	if (!vdpasim_vq_live(vq))
		return;
	off = VDPASIM_USED_RING(vq->used_idx & (vq->ring_num - 1));
	id = vdpasim_area_at(&vq->used, off);
	used_len = vdpasim_area_at(&vq->used, off + 4);
	WRITE_ONCE(*id, cpu_to_le32(head));
	WRITE_ONCE(*used_len, cpu_to_le32(len));
	vdpasim_vq_log(vq, vq->device_addr + off, 8);	/* id and len */
	vq->used_idx++;
}
EXPORT_SYMBOL_GPL(vdpasim_vq_push);

static bool vdpasim_vq_need_notify(struct vdpasim_virtqueue *vq, u16 old,
				   u16 new)
{
	u16 event;

	if (vdpasim_has_feature(vq->sim, VIRTIO_RING_F_EVENT_IDX)) {
		event = le16_to_cpu(READ_ONCE(*vq->used_event_p));
		return vring_need_event(event, new, old);
	}
	return !(le16_to_cpu(READ_ONCE(*vq->avail_flags_p)) &
		 VRING_AVAIL_F_NO_INTERRUPT);
}

static void vdpasim_vq_notify(struct vdpasim_virtqueue *vq)
{
	if (!vq->cb.callback)
		return;
	/* a softirq the callback raises (NAPI) runs at local_bh_enable() */
	local_bh_disable();
	vq->cb.callback(vq->cb.private);
	local_bh_enable();
}

/**
 * vdpasim_vq_flush - end a batch on a queue
 * @vq: the queue
 *
 * Publishes the chains pushed since the last flush with one used->idx
 * write, interrupts the driver at most once (as EVENT_IDX or
 * VRING_AVAIL_F_NO_INTERRUPT allow), asks for a kick on the next
 * available entry, and updates the queue's counters.
 *
 * Return: true if the driver made entries available that this batch did
 * not see, so the caller should run again.
 */
bool vdpasim_vq_flush(struct vdpasim_virtqueue *vq)
{
	u16 old = vq->used_published, new = vq->used_idx;
	bool event_idx, notify = false;

	lockdep_assert_held(&vq->sim->lock);
	if (!vdpasim_vq_live(vq))
		return false;
	event_idx = vdpasim_has_feature(vq->sim, VIRTIO_RING_F_EVENT_IDX);
	vq->received_desc += (u16)(vq->last_avail - vq->stats_avail);
	vq->stats_avail = vq->last_avail;
	if (new != old) {
		vq->completed_desc += (u16)(new - old);
		/* the used entries before the index that publishes them */
		smp_wmb();
		WRITE_ONCE(*vq->used_idx_p, cpu_to_le16(new));
		vdpasim_vq_log(vq, vq->device_addr + VDPASIM_USED_IDX, 2);
		vq->used_published = new;
	}
	if (event_idx) {
		WRITE_ONCE(*vq->avail_event_p, cpu_to_le16(vq->avail_shadow));
		vdpasim_vq_log(vq, vq->device_addr +
			       VDPASIM_USED_RING(vq->ring_num), 2);
	}
	/*
	 * used->idx and avail_event before reading used_event, avail->flags
	 * and avail->idx: pairs with the driver's barrier between its
	 * writes and its checks.
	 */
	smp_mb();
	if (new != old)
		notify = vdpasim_vq_need_notify(vq, old, new);
	if (notify)
		vdpasim_vq_notify(vq);
	return le16_to_cpu(READ_ONCE(*vq->avail_idx_p)) != vq->avail_shadow;
}
EXPORT_SYMBOL_GPL(vdpasim_vq_flush);

/**
 * vdpasim_vq_stats - a queue's vendor counters
 * @vq: the queue, lock held
 * @received: descriptor chains taken from the driver
 * @completed: descriptor chains given back to the driver
 */
void vdpasim_vq_stats(const struct vdpasim_virtqueue *vq, u64 *received,
		      u64 *completed)
{
	*received = vq->received_desc;
	*completed = vq->completed_desc;
}
EXPORT_SYMBOL_GPL(vdpasim_vq_stats);

/*
 * Map the next piece of @it, at most @want (>= 1) bytes, within one page.
 * Returns NULL at the end of the chain, an ERR_PTR (the queue failed) if
 * the buffer is not mapped for the access.
 */
static void *vdpasim_iter_map(struct vdpasim_iter *it, size_t want, u32 *len)
{
	const struct vdpasim_seg *seg;
	void *p;

	while (it->i < it->nseg && it->off == it->seg[it->i].len) {
		it->i++;
		it->off = 0;
	}
	if (it->i == it->nseg)
		return NULL;
	seg = &it->seg[it->i];
	*len = min_t(size_t, want, seg->len - it->off);
	p = vdpasim_kmap(it->vq, seg->addr + it->off, len, it->perm);
	if (!p) {
		vdpasim_vq_fail(it->vq, "buffer outside the mapped memory");
		return ERR_PTR(-EFAULT);
	}
	return p;
}

/* Copy between @buf and the buffers of @it, to the guest if @to_guest. */
static ssize_t vdpasim_iter_xfer(struct vdpasim_iter *it, void *buf,
				 size_t len, bool to_guest)
{
	size_t done = 0;
	void *p;
	u32 n;

	while (done < len) {
		p = vdpasim_iter_map(it, len - done, &n);
		if (IS_ERR_OR_NULL(p))
			return p ? PTR_ERR(p) : done;
		if (to_guest) {
			memcpy(p, buf + done, n);
			vdpasim_vq_log(it->vq, it->seg[it->i].addr + it->off, n);
		} else {
			memcpy(buf + done, p, n);
		}
		kunmap_local(p);
		it->off += n;
		done += n;
	}
	return done;
}

/**
 * vdpasim_iter_read - copy from device-readable buffers
 * @it: the cursor, over the readable side of a chain
 * @buf: where to copy to
 * @len: how many bytes
 *
 * Return: bytes copied, fewer than @len at the end of the chain, or
 * -EFAULT if a buffer is not mapped (the queue failed).
 */
ssize_t vdpasim_iter_read(struct vdpasim_iter *it, void *buf, size_t len)
{
	return vdpasim_iter_xfer(it, buf, len, false);
}
EXPORT_SYMBOL_GPL(vdpasim_iter_read);

/**
 * vdpasim_iter_write - copy into device-writable buffers
 * @it: the cursor, over the writable side of a chain
 * @buf: what to copy
 * @len: how many bytes
 *
 * Return: bytes copied, fewer than @len at the end of the chain, or
 * -EFAULT if a buffer is not mapped (the queue failed).
 */
ssize_t vdpasim_iter_write(struct vdpasim_iter *it, const void *buf,
			   size_t len)
{
	return vdpasim_iter_xfer(it, (void *)buf, len, true);
}
EXPORT_SYMBOL_GPL(vdpasim_iter_write);

/**
 * vdpasim_iter_copy - copy from one chain's buffers straight into another's
 * @dst: the cursor written, over a writable side
 * @src: the cursor read, over a readable side
 * @len: how many bytes
 *
 * No bounce buffer: each piece goes from one mapped page to the other.
 *
 * Return: bytes copied, fewer than @len when either chain ends, or
 * -EFAULT if a buffer is not mapped (its queue failed).
 */
ssize_t vdpasim_iter_copy(struct vdpasim_iter *dst, struct vdpasim_iter *src,
			  size_t len)
{
	size_t done = 0;
	void *s, *d;
	u32 sn, dn;

	while (done < len) {
		s = vdpasim_iter_map(src, len - done, &sn);
		if (IS_ERR_OR_NULL(s))
			return s ? PTR_ERR(s) : done;
		d = vdpasim_iter_map(dst, sn, &dn);
		if (IS_ERR_OR_NULL(d)) {
			kunmap_local(s);
			return d ? PTR_ERR(d) : done;
		}
		memcpy(d, s, dn);
		vdpasim_vq_log(dst->vq, dst->seg[dst->i].addr + dst->off, dn);
		kunmap_local(d);
		kunmap_local(s);
		src->off += dn;
		dst->off += dn;
		done += dn;
	}
	return done;
}
EXPORT_SYMBOL_GPL(vdpasim_iter_copy);

/**
 * vdpasim_iter_skip - move a cursor on without copying
 * @it: the cursor
 * @len: how many bytes
 *
 * Return: bytes skipped, fewer than @len at the end of the chain.
 */
size_t vdpasim_iter_skip(struct vdpasim_iter *it, size_t len)
{
	size_t done = 0, n;

	while (done < len && it->i < it->nseg) {
		n = min_t(size_t, len - done, it->seg[it->i].len - it->off);
		it->off += n;
		done += n;
		if (it->off == it->seg[it->i].len) {
			it->i++;
			it->off = 0;
		}
	}
	return done;
}
EXPORT_SYMBOL_GPL(vdpasim_iter_skip);
