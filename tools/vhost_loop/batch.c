// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_loop -x vring-running: a running queue's base and addresses are
 * not to be changed (as upstream: EINVAL after DRIVER_OK), except while
 * the device is suspended, which is how a VMM restores queue state it
 * migrated (the used ring is moved a page and back); after RESUME the
 * queue carries frames again. Prints
 * "vring-running base=E addr=E suspended: base=E addr=E resumed=sent|lost"
 * (E: the errno, 0 for success) and exits 0 only for EINVAL, EINVAL, 0,
 * 0, sent, or, on a parent without SUSPEND, for the first two alone.
 *
 * vhost_loop -x batch-atomic: an IOTLB batch reaches the device whole, at
 * its end, and not before. With the queues running, a batch is opened
 * and everything (rings and buffers) invalidated in it: a frame sent
 * while the batch is open must still go through the old map, and the
 * first one sent after BATCH_END must find nothing mapped (the device
 * wants a reset). Prints "batch-atomic during=sent after=needs_reset"
 * when both hold, and exits 0 only then.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/virtio_config.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "vhost_loop.h"

/* Send one 60-byte frame on pair 0 and wait up to 3 s for its used entry. */
static int vl_send_one(struct vl_net *n)
{
	struct vl_vq *tx = &n->pairs[0].tx;
	struct vring_used_elem e;
	uint16_t id = tx->free_ids[--tx->nfree];
	uint8_t *buf = tx->bufs + (size_t)id * tx->buf_size;
	int tries;

	memset(buf, 0, VL_NET_HDR_LEN + 60);
	memset(buf + VL_NET_HDR_LEN, 0xff, 12);	/* broadcast, from itself */
	vl_vq_add(tx, id, vl_iova(&n->d.mem, buf), VL_NET_HDR_LEN + 60, 0);
	vl_vq_kick(tx);
	for (tries = 0; tries < 300; tries++) {
		if (vl_vq_get_used(tx, &e)) {
			tx->free_ids[tx->nfree++] = e.id;
			return 1;
		}
		usleep(10000);
	}
	return 0;
}

/* the errno of an ioctl, 0 if it worked */
static int vl_x_errno(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? errno : 0;
}

int vl_x_vring_running(const struct vl_opts *o)
{
	struct vl_opts one = *o;
	int base = -1, addr = -1, sbase = -1, saddr = -1, sent = 0, ok = 0;
	struct vhost_vring_state st = {};
	struct vhost_vring_addr a = {}, moved;
	struct vl_vq *tx;
	struct vl_net n;

	one.pairs = 1;
	if (vl_net_open(&n, &one) || vl_net_program(&n) || vl_net_go(&n))
		goto out;
	tx = &n.pairs[0].tx;
	if (!vl_send_one(&n))
		goto out;
	st.index = tx->index;
	a = (struct vhost_vring_addr){
		.index = tx->index,
		.desc_user_addr = vl_iova(&n.d.mem, tx->desc),
		.avail_user_addr = vl_iova(&n.d.mem, tx->avail),
		.used_user_addr = vl_iova(&n.d.mem, tx->used),
	};
	moved = a;
	moved.used_user_addr += 4096;
	base = vl_x_errno(n.d.fd, VHOST_GET_VRING_BASE, &st) ?:
	       vl_x_errno(n.d.fd, VHOST_SET_VRING_BASE, &st);
	addr = vl_x_errno(n.d.fd, VHOST_SET_VRING_ADDR, &moved);
	ok = base == EINVAL && addr == EINVAL;
	if (!(n.d.backend & (1ULL << VHOST_BACKEND_F_SUSPEND))) {
		printf("vring-running base=%d addr=%d (no SUSPEND)\n", base, addr);
		goto out;
	}
	if (vl_ioctl(n.d.fd, VHOST_VDPA_SUSPEND, NULL, "VHOST_VDPA_SUSPEND")) {
		ok = 0;
		goto out;
	}
	sbase = vl_x_errno(n.d.fd, VHOST_GET_VRING_BASE, &st) ?:
		vl_x_errno(n.d.fd, VHOST_SET_VRING_BASE, &st);
	saddr = vl_x_errno(n.d.fd, VHOST_SET_VRING_ADDR, &moved) ?:
		vl_x_errno(n.d.fd, VHOST_SET_VRING_ADDR, &a);
	if (vl_ioctl(n.d.fd, VHOST_VDPA_RESUME, NULL, "VHOST_VDPA_RESUME")) {
		ok = 0;
		goto out;
	}
	sent = vl_send_one(&n);
	ok = ok && !sbase && !saddr && sent;
	printf("vring-running base=%d addr=%d suspended: base=%d addr=%d resumed=%s\n",
	       base, addr, sbase, saddr, sent ? "sent" : "lost");
out:
	vl_net_close(&n);
	return ok ? 0 : 1;
}

int vl_x_batch_atomic(const struct vl_opts *o)
{
	struct vl_opts one = *o;
	int config_call, during = 0, after = 0, err;
	uint8_t status = 0;
	struct vl_net n;

	one.pairs = 1;
	if (vl_net_open(&n, &one) || vl_net_program(&n) || vl_net_go(&n))
		goto out;
	err = vl_iotlb_batch(n.d.fd, VHOST_IOTLB_BATCH_BEGIN) ||
	      vl_iotlb(n.d.fd, VHOST_IOTLB_INVALIDATE, n.d.mem.iova,
		       n.d.mem.size, NULL, 0);
	if (err) {
		fprintf(stderr, "vhost_loop: batch-atomic: opening the batch failed\n");
		goto out;
	}
	during = vl_send_one(&n) &&
		 !vl_status(&n.d, &status) &&
		 !(status & VIRTIO_CONFIG_S_NEEDS_RESET);
	if (vl_iotlb_batch(n.d.fd, VHOST_IOTLB_BATCH_END))
		goto out;
	/* the ring itself is gone now: the kick alone must fail the queue */
	vl_vq_kick(&n.pairs[0].tx);
	if (vl_wait_needs_reset(&n.d, &status, &config_call))
		goto out;
	after = !!(status & VIRTIO_CONFIG_S_NEEDS_RESET);
out:
	printf("batch-atomic during=%s after=%s\n",
	       during ? "sent" : "lost", after ? "needs_reset" : "running");
	vl_net_close(&n);
	return during && after ? 0 : 1;
}
