// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_loop -x dirty-log: the device's dirty page log (VHOST_F_LOG_ALL,
 * beyond upstream vhost-vdpa) marks exactly the pages the device wrote.
 * Like a VMM starting a migration, it turns logging on with the queues
 * running (VHOST_SET_LOG_BASE, VHOST_SET_FEATURES with the bit, the
 * rings' addresses again with VHOST_VRING_F_LOG), loops frames of mixed
 * sizes, and computes from what the device reported (the used entries of
 * both queues, their lengths) the set of pages the device must have
 * written: the receive buffers' bytes and the used rings' entries and
 * index. The log must hold exactly that set: no page missing (a page a
 * migration would not copy again) and none extra (the transmit buffers,
 * the receive buffers not used, the descriptor and driver areas, all
 * read, never written). It also maps memory beyond what the log covered
 * (the log must grow with it, unless the mapping is read-only), then
 * turns logging off, and the log must
 * stay clear while more frames go through. A changed feature other than
 * VHOST_F_LOG_ALL after negotiation must still get EBUSY, and the
 * feature is offered to the device's owner only (see vhost_vdpa/log.c).
 *
 * Prints "dirty-log frames=F pages=P missing=M extra=E grow=errno
 * ro=errno off=N busy=errno" and exits 0 only for M = E = N = 0, P > 0,
 * grow=0, ro=0, busy=EBUSY. On a device that does not offer
 * VHOST_F_LOG_ALL it prints "dirty-log unsupported" and exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/vhost.h>
#include <linux/virtio_net.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vhost_loop.h"

#define VL_LOG_SHIFT	12
/* room for a mapping past the memory, to make the log grow */
#define VL_LOG_EXTRA	(4u << 20)

struct vl_dirty {
	struct vl_net n;
	uint64_t *log;		/* the device's log, bit N for IOVA page N */
	uint8_t *want;		/* the pages the device must have written */
	uint64_t npages;
	unsigned long frames;
	uint64_t sent_bytes;	/* header and frame, of every frame sent */
	uint64_t rx_bytes;	/* what the receive used entries report */
};

static void vl_want(struct vl_dirty *t, uint64_t iova, uint64_t len)
{
	uint64_t p;

	if (!len)
		return;
	for (p = iova >> VL_LOG_SHIFT; p <= (iova + len - 1) >> VL_LOG_SHIFT &&
	     p < t->npages; p++)
		t->want[p] = 1;
}

/* The used entry the device wrote at ring position @pos, and the index. */
static void vl_want_used(struct vl_dirty *t, struct vl_vq *vq, uint16_t pos)
{
	uint64_t used = vl_iova(&t->n.d.mem, vq->used);

	vl_want(t, used + 4 + 8 * (uint64_t)(pos % vq->num), 8);
	vl_want(t, used + 2, 2);
}

/* Resend each receive buffer the device used: id i owns buffer i. */
static void vl_dirty_rx(struct vl_dirty *t, struct vl_vq *rx)
{
	struct vring_used_elem e;
	uint16_t pos = rx->last_used;
	uint8_t *buf;

	while (vl_vq_get_used(rx, &e)) {
		vl_want_used(t, rx, pos++);
		buf = rx->bufs + (size_t)e.id * rx->buf_size;
		vl_want(t, vl_iova(&t->n.d.mem, buf), e.len);
		t->rx_bytes += e.len;
		vl_vq_add(rx, e.id, vl_iova(&t->n.d.mem, buf), rx->buf_size,
			  VRING_DESC_F_WRITE);
	}
	vl_vq_kick(rx);
}

/* Send @count frames one at a time; 0 when each came back. */
static int vl_dirty_traffic(struct vl_dirty *t, unsigned long count)
{
	struct vl_vq *tx = &t->n.pairs[0].tx, *rx = &t->n.pairs[0].rx;
	struct vring_used_elem e;
	unsigned long i;
	uint16_t id, pos;
	uint32_t len;
	uint8_t *buf;
	int tries;

	for (i = 0; i < count; i++) {
		len = 60 + (i * 397) % 1455;	/* 60 to 1514 bytes */
		id = tx->free_ids[--tx->nfree];
		buf = tx->bufs + (size_t)id * tx->buf_size;
		memset(buf, 0, VL_NET_HDR_LEN + len);
		memset(buf + VL_NET_HDR_LEN, 0xff, 12);
		memset(buf + VL_NET_HDR_LEN + 14, (int)i, len - 14);
		vl_vq_add(tx, id, vl_iova(&t->n.d.mem, buf),
			  VL_NET_HDR_LEN + len, 0);
		vl_vq_kick(tx);
		for (tries = 0; tries < 300; tries++) {
			pos = tx->last_used;
			if (vl_vq_get_used(tx, &e))
				break;
			usleep(10000);
		}
		if (tries == 300) {
			fprintf(stderr, "vhost_loop: dirty-log: frame %lu was not sent\n",
				i);
			return -1;
		}
		tx->free_ids[tx->nfree++] = e.id;
		vl_want_used(t, tx, pos);
		t->sent_bytes += VL_NET_HDR_LEN + len;
		vl_dirty_rx(t, rx);
		t->frames++;
	}
	/* every frame back (with mergeable buffers, in several buffers) */
	for (tries = 0; tries < 300 && t->rx_bytes != t->sent_bytes; tries++) {
		usleep(10000);
		vl_dirty_rx(t, rx);
	}
	if (t->rx_bytes != t->sent_bytes) {
		fprintf(stderr, "vhost_loop: dirty-log: %llu bytes sent, %llu received\n",
			(unsigned long long)t->sent_bytes,
			(unsigned long long)t->rx_bytes);
		return -1;
	}
	return 0;
}

/* Pages the log and the expectation disagree on, each way. */
static void vl_dirty_compare(const struct vl_dirty *t, unsigned long *pages,
			     unsigned long *missing, unsigned long *extra)
{
	uint64_t p;
	int got;

	*pages = *missing = *extra = 0;
	for (p = 0; p < t->npages; p++) {
		got = !!(t->log[p / 64] & (1ULL << (p % 64)));
		*pages += t->want[p];
		if (t->want[p] && !got) {
			if (!*missing)
				fprintf(stderr, "vhost_loop: dirty-log: page %#llx written, not logged\n",
					(unsigned long long)p << VL_LOG_SHIFT);
			(*missing)++;
		}
		if (got && !t->want[p]) {
			if (!*extra)
				fprintf(stderr, "vhost_loop: dirty-log: page %#llx logged, not written\n",
					(unsigned long long)p << VL_LOG_SHIFT);
			(*extra)++;
		}
	}
}

/* Set the addresses of every queue again, with or without logging. */
static int vl_dirty_addrs(struct vl_dirty *t, int log)
{
	struct vl_vq *vqs[2] = { &t->n.pairs[0].rx, &t->n.pairs[0].tx };
	struct vhost_vring_addr a;
	int i;

	for (i = 0; i < 2; i++) {
		a = (struct vhost_vring_addr){
			.index = vqs[i]->index,
			.flags = log ? 1U << VHOST_VRING_F_LOG : 0,
			.desc_user_addr = vl_iova(&t->n.d.mem, vqs[i]->desc),
			.avail_user_addr = vl_iova(&t->n.d.mem, vqs[i]->avail),
			.used_user_addr = vl_iova(&t->n.d.mem, vqs[i]->used),
		};
		if (vl_ioctl(t->n.d.fd, VHOST_SET_VRING_ADDR, &a,
			     "VHOST_SET_VRING_ADDR (same addresses)"))
			return -1;
	}
	return 0;
}

/*
 * Map fresh memory past what the log covered, @perm; the errno (0: it
 * mapped). Writable, the log must grow to cover it; read-only, the
 * device never writes it and the log need not (QEMU maps its ROMs above
 * the RAM its log covers).
 */
static int vl_dirty_grow(struct vl_dirty *t, uint64_t iova, uint8_t perm)
{
	void *p = mmap(NULL, VL_LOG_EXTRA, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	int err;

	if (p == MAP_FAILED)
		return errno;
	err = vl_iotlb(t->n.d.fd, VHOST_IOTLB_UPDATE, iova, VL_LOG_EXTRA, p,
		       perm);
	if (!err)
		err = vl_iotlb(t->n.d.fd, VHOST_IOTLB_INVALIDATE, iova,
			       VL_LOG_EXTRA, NULL, 0);
	munmap(p, VL_LOG_EXTRA);
	return err < 0 ? -err : err;
}

int vl_x_dirty_log(const struct vl_opts *o)
{
	struct vl_opts one = *o;
	struct vl_dirty t = {};
	unsigned long pages = 0, missing = 1, extra = 1, off = 1, stray;
	uint64_t offered, f, base, grow_iova;
	int grow = -1, ro = -1, busy = -1, ok = 0, fd;
	size_t bytes;

	one.pairs = 1;
	one.min = 60;
	one.max = 1514;
	/* offered to an owner only (QEMU 7.2's x-svq check comes before) */
	fd = open(o->dev, O_RDWR);
	if (fd < 0 || vl_ioctl(fd, VHOST_GET_FEATURES, &offered,
			       "VHOST_GET_FEATURES (no owner)")) {
		if (fd >= 0)
			close(fd);
		return 1;
	}
	close(fd);
	if (offered & VL_BIT(VHOST_F_LOG_ALL)) {
		fprintf(stderr, "vhost_loop: dirty-log: VHOST_F_LOG_ALL offered before VHOST_SET_OWNER\n");
		return 1;
	}
	if (vl_net_open(&t.n, &one))
		goto out;
	if (vl_ioctl(t.n.d.fd, VHOST_GET_FEATURES, &offered,
		     "VHOST_GET_FEATURES"))
		goto out;
	if (!(offered & VL_BIT(VHOST_F_LOG_ALL))) {
		printf("dirty-log unsupported\n");
		vl_net_close(&t.n);
		return 1;
	}
	if (vl_net_program(&t.n) || vl_net_go(&t.n))
		goto out;
	/* a log for the memory and the room past it */
	grow_iova = VL_ALIGN(t.n.d.mem.iova + t.n.d.mem.size + VL_LOG_EXTRA,
			     VL_LOG_EXTRA);
	t.npages = (grow_iova + VL_LOG_EXTRA) >> VL_LOG_SHIFT;
	bytes = VL_ALIGN(t.npages, 64) / 8;
	t.log = calloc(1, bytes);
	t.want = calloc(1, t.npages);
	if (!t.log || !t.want)
		goto out;
	/* logging on, the queues running, as a VMM starting a migration */
	base = (uintptr_t)t.log;
	f = t.n.d.features | VL_BIT(VHOST_F_LOG_ALL);
	if (vl_ioctl(t.n.d.fd, VHOST_SET_LOG_BASE, &base, "VHOST_SET_LOG_BASE") ||
	    vl_ioctl(t.n.d.fd, VHOST_SET_FEATURES, &f,
		     "VHOST_SET_FEATURES (VHOST_F_LOG_ALL on)") ||
	    vl_dirty_addrs(&t, 1))
		goto out;
	if (vl_dirty_traffic(&t, 500))
		goto out;
	vl_dirty_compare(&t, &pages, &missing, &extra);
	grow = vl_dirty_grow(&t, grow_iova, VHOST_ACCESS_RW);
	/* far past the log (it would take 32 MiB to cover), read-only */
	if (t.n.d.range.last >= (1ULL << 40) + VL_LOG_EXTRA - 1)
		ro = vl_dirty_grow(&t, 1ULL << 40, VHOST_ACCESS_RO);
	else
		ro = 0;
	/* anything but the log bit, after negotiation: refused */
	f = (t.n.d.features ^ VL_BIT(VIRTIO_NET_F_MRG_RXBUF)) |
	    VL_BIT(VHOST_F_LOG_ALL);
	busy = ioctl(t.n.d.fd, VHOST_SET_FEATURES, &f) ? errno : 0;
	/* logging off: nothing more is marked */
	f = t.n.d.features;
	if (vl_ioctl(t.n.d.fd, VHOST_SET_FEATURES, &f,
		     "VHOST_SET_FEATURES (VHOST_F_LOG_ALL off)") ||
	    vl_dirty_addrs(&t, 0))
		goto out;
	memset(t.log, 0, bytes);
	if (vl_dirty_traffic(&t, 20))
		goto out;
	memset(t.want, 0, t.npages);
	vl_dirty_compare(&t, &stray, &stray, &off);
	ok = pages && !missing && !extra && !grow && !ro && busy == EBUSY &&
	     !off;
out:
	printf("dirty-log frames=%lu pages=%lu missing=%lu extra=%lu grow=%d ro=%d off=%lu busy=%d\n",
	       t.frames, pages, missing, extra, grow, ro, off, busy);
	vl_net_close(&t.n);
	free(t.log);
	free(t.want);
	return ok ? 0 : 1;
}
