// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_loop: split virtqueues, driver side (virtio 1.x, little-endian).
 * The driver fills descriptors and avail entries, publishes avail->idx
 * with release semantics and kicks; it reads used->idx with acquire
 * semantics before the entries it covers. The device's notification
 * hints are not used: every publication kicks, and interrupts stay on.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <stdint.h>
#include <unistd.h>

#include "vhost_loop.h"

/* Fill descriptor @id and queue it; vl_vq_kick() publishes. */
void vl_vq_add(struct vl_vq *vq, uint16_t id, uint64_t addr, uint32_t len,
	       uint16_t flags)
{
	struct vring_desc *desc = &vq->desc[id];

	desc->addr = htole64(addr);
	desc->len = htole32(len);
	desc->flags = htole16(flags);
	desc->next = 0;
	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = htole16(id);
	vq->avail_idx++;
}

/* Publish what was added and notify the device. */
void vl_vq_kick(struct vl_vq *vq)
{
	uint64_t one = 1;

	__atomic_store_n(&vq->avail->idx, htole16(vq->avail_idx),
			 __ATOMIC_RELEASE);
	if (write(vq->kick_fd, &one, sizeof(one)) != sizeof(one)) {
		/* only a counter at its limit fails: the device was kicked */
	}
}

static uint16_t vl_vq_used_idx(const struct vl_vq *vq)
{
	return le16toh(__atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE));
}

/* How many used entries wait to be read. */
uint16_t vl_vq_used_pending(const struct vl_vq *vq)
{
	return (uint16_t)(vl_vq_used_idx(vq) - vq->last_used);
}

/* The used entry @ahead after the next one to read; check pending first. */
const struct vring_used_elem *vl_vq_peek_used(const struct vl_vq *vq,
					      uint16_t ahead)
{
	return &vq->used->ring[(uint16_t)(vq->last_used + ahead) &
			       (vq->num - 1)];
}

/* Read the next used entry: 1 if there was one, else 0. */
int vl_vq_get_used(struct vl_vq *vq, struct vring_used_elem *elem)
{
	const struct vring_used_elem *e;

	if (!vl_vq_used_pending(vq))
		return 0;
	e = vl_vq_peek_used(vq, 0);
	elem->id = le32toh(e->id);
	elem->len = le32toh(e->len);
	vq->last_used++;
	return 1;
}

/* Clear the call eventfd after waiting on it. */
void vl_vq_drain_call(struct vl_vq *vq)
{
	uint64_t count;

	if (read(vq->call_fd, &count, sizeof(count)) < 0) {
		/* EAGAIN: nothing was signalled */
	}
}
