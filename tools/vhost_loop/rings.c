// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_loop -x CASE, the ring cases: the driver as an adversary. Each
 * case sets up one queue pair (and for the cvq-* cases the control
 * queue) on a running device, memory mapped through the IOTLB, writes
 * one hostile or odd thing into a split ring by hand, kicks, and
 * watches what the device makes of it:
 *
 *   needs-reset   the device set NEEDS_RESET (status bit 0x40)
 *   dropped       the TX chain came back used and nothing arrived on RX
 *   looped        the frames came back on RX intact, in order, with a
 *                 receive header that claims no offload (legal input)
 *   ack-ok        a control command came back used, acked VIRTIO_NET_OK
 *   ack-err       ... acked VIRTIO_NET_ERR
 *   refused       the kernel refused the ring's address (EINVAL)
 *   corrupt       something came back wrong (a frame, an ack, the MAC)
 *   touched       the device wrote where it had no mapping to write
 *   late-ack      NEEDS_RESET, yet the failed command's ack was written
 *   stuck         none of these within a few seconds
 *
 * It prints "CASE outcome=GOT expected=WANT", then resets the device
 * (status 0), sets it up again on the same mappings and proves it
 * usable: VL_R_AFTER frames loop intact (and with a control queue, a MAC
 * change is acked). Exit 0 only if the outcome was the expected one and
 * the device worked again.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vhost_loop.h"

/* frames looped to prove the device usable after each case's reset */
#define VL_R_AFTER	64
/* control commands the flood sends, and how many are in flight at once */
#define VL_R_FLOOD	4096
#define VL_R_CMD_SLOTS	32
/* where a control command's ack byte sits in its buffer */
#define VL_R_ACK	64
/* an ack byte the device has not written */
#define VL_R_NO_ACK	0xff
/* what the memory outside the mappings is filled with */
#define VL_R_CANARY	0x5a
/* the pages of memory a case may map at the hole */
#define VL_R_EXTRA	4
/* the frame length of single-frame cases */
#define VL_R_LEN	100
#define VL_ETH_TYPE	0x88b5

enum vl_outcome {
	VL_O_ERROR = -1,	/* the case could not be set up */
	VL_O_RESET,
	VL_O_DROPPED,
	VL_O_LOOPED,
	VL_O_ACK_OK,
	VL_O_ACK_ERR,
	VL_O_CORRUPT,
	VL_O_TOUCHED,
	VL_O_LATE_ACK,
	VL_O_REFUSED,
	VL_O_STUCK,
};

static const char *const vl_outcome_names[] = {
	[VL_O_RESET] = "needs-reset",
	[VL_O_DROPPED] = "dropped",
	[VL_O_LOOPED] = "looped",
	[VL_O_ACK_OK] = "ack-ok",
	[VL_O_ACK_ERR] = "ack-err",
	[VL_O_CORRUPT] = "corrupt",
	[VL_O_TOUCHED] = "touched",
	[VL_O_LATE_ACK] = "late-ack",
	[VL_O_REFUSED] = "refused",
	[VL_O_STUCK] = "stuck",
};

/* a piece of the device's IOVA space and the user memory behind it */
struct vl_region {
	uint64_t iova;
	uint8_t *p;
	size_t size;
};

struct vl_r {
	struct vl_net n;
	struct vl_vq *rx, *tx, *cvq;
	uint64_t hole;		/* IOVA of an unmapped stretch, 2 MiB clear */
	uint8_t *extra;		/* VL_R_EXTRA pages a case may map at the hole */
	struct vl_region reg[1 + VL_R_EXTRA];
	unsigned int nreg;
	uint32_t seq;		/* the next frame's number */
	uint32_t want_seq;	/* the frame the single-frame cases sent */
	uint32_t want_len;
	uint32_t got_len;	/* the last frame taken off RX */
	uint8_t got_hdr[VL_NET_HDR_LEN];
	uint8_t got[VL_FRAME_MAX + VL_MRG_BUF];
	uint64_t rng;
};

/* the flags of struct vl_rcase */
#define VL_R_CVQ	0x1	/* negotiate the control queue */
#define VL_R_NOMRG	0x2	/* refuse VIRTIO_NET_F_MRG_RXBUF */
#define VL_R_NOINDIRECT	0x4	/* refuse VIRTIO_RING_F_INDIRECT_DESC */
#define VL_R_RXOWN	0x8	/* the case posts its own receive buffers */

struct vl_rcase {
	const char *name;
	int (*run)(struct vl_r *r);
	enum vl_outcome expect;
	unsigned int flags;
};

static double vl_r_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t vl_r_rand(struct vl_r *r)
{
	/* xorshift64*: the seed alone decides every number */
	r->rng ^= r->rng >> 12;
	r->rng ^= r->rng << 25;
	r->rng ^= r->rng >> 27;
	return r->rng * 0x2545f4914f6cdd1dULL;
}

static uint64_t vl_r_iova(const struct vl_r *r, const void *p)
{
	return vl_iova(&r->n.d.mem, p);
}

static void vl_r_desc(struct vl_vq *vq, uint16_t i, uint64_t addr,
		      uint32_t len, uint16_t flags, uint16_t next)
{
	vq->desc[i].addr = htole64(addr);
	vq->desc[i].len = htole32(len);
	vq->desc[i].flags = htole16(flags);
	vq->desc[i].next = htole16(next);
}

/* Make chain @head available; vl_vq_kick() publishes it. */
static void vl_r_post(struct vl_vq *vq, uint16_t head)
{
	vq->avail->ring[vq->avail_idx & (vq->num - 1)] = htole16(head);
	vq->avail_idx++;
}

static int vl_r_needs_reset(struct vl_r *r)
{
	uint8_t status = 0;

	if (vl_status(&r->n.d, &status))
		return -1;
	return !!(status & VIRTIO_CONFIG_S_NEEDS_RESET);
}

/* Sleep until an interrupt or 20 ms, whichever comes first. */
static void vl_r_sleep(struct vl_r *r)
{
	struct pollfd pfd[4];
	struct vl_vq *vqs[3] = { r->rx, r->tx, r->cvq };
	uint64_t count;
	int i, n = 0;

	for (i = 0; i < 3; i++)
		if (vqs[i])
			pfd[n++] = (struct pollfd){ .fd = vqs[i]->call_fd,
						    .events = POLLIN };
	pfd[n++] = (struct pollfd){ .fd = r->n.d.config_fd, .events = POLLIN };
	poll(pfd, n, 20);
	for (i = 0; i < 3; i++)
		if (vqs[i])
			vl_vq_drain_call(vqs[i]);
	if (read(r->n.d.config_fd, &count, sizeof(count)) < 0) {
		/* EAGAIN: no config interrupt */
	}
}

/* Copy @len bytes at @iova, as the device saw them; -1 if not all ours. */
static int vl_r_read(const struct vl_r *r, uint64_t iova, void *dst,
		     size_t len)
{
	const struct vl_region *g;
	unsigned int i;
	size_t n;

	while (len) {
		for (i = 0, g = NULL; i < r->nreg && !g; i++)
			if (iova >= r->reg[i].iova &&
			    iova - r->reg[i].iova < r->reg[i].size)
				g = &r->reg[i];
		if (!g)
			return -1;
		n = g->size - (iova - g->iova);
		n = n < len ? n : len;
		memcpy(dst, g->p + (iova - g->iova), n);
		dst = (uint8_t *)dst + n;
		iova += n;
		len -= n;
	}
	return 0;
}

/* Frame @seq of @len bytes (Ethernet on), a function of both alone. */
static void vl_r_frame_fill(uint8_t *f, uint32_t seq, uint32_t len)
{
	static const uint8_t src[6] = { 0x02, 0x72, 0x69, 0x6e, 0x67, 0x73 };
	uint32_t i;

	memset(f, 0xff, 6);
	memcpy(f + 6, src, sizeof(src));
	f[12] = VL_ETH_TYPE >> 8;
	f[13] = VL_ETH_TYPE & 0xff;
	for (i = 14; i < len; i++)
		f[i] = (uint8_t)(seq * 29 + i * 13 + (i >> 8));
}

/* A zero header and the next frame at @buf; returns the bytes written. */
static uint32_t vl_r_frame(struct vl_r *r, uint8_t *buf, uint32_t len)
{
	memset(buf, 0, VL_NET_HDR_LEN);
	vl_r_frame_fill(buf + VL_NET_HDR_LEN, r->seq, len);
	r->want_seq = r->seq++;
	r->want_len = len;
	return VL_NET_HDR_LEN + len;
}

/* Whether the frame taken off RX is frame @seq of @len bytes, intact. */
static int vl_r_frame_ok(const struct vl_r *r, uint32_t seq, uint32_t len)
{
	static uint8_t want[VL_FRAME_MAX];

	/* no offload was negotiated: none may be claimed */
	if (r->got_hdr[0] || r->got_hdr[1] || r->got_len != len ||
	    len > sizeof(want))
		return 0;
	vl_r_frame_fill(want, seq, len);
	return !memcmp(r->got, want, len);
}

/* The standard receive buffer @id, posted. */
static void vl_r_rx_std(struct vl_r *r, uint16_t id)
{
	struct vl_vq *rx = r->rx;

	vl_r_desc(rx, id, vl_r_iova(r, rx->bufs + (size_t)id * rx->buf_size),
		  rx->buf_size, VRING_DESC_F_WRITE, 0);
	vl_r_post(rx, id);
}

static void vl_r_rx_fill(struct vl_r *r)
{
	uint16_t id;

	for (id = 0; id < r->rx->num; id++)
		vl_r_rx_std(r, id);
	vl_vq_kick(r->rx);
}

/* Forget what the driver side knew of a queue, as after a reset. */
static void vl_r_vq_clear(struct vl_vq *vq)
{
	unsigned int i;

	memset(vq->desc, 0, 3 * vl_page());
	vq->avail_idx = 0;
	vq->last_used = 0;
	for (i = 0; i < vq->num; i++)
		vq->free_ids[i] = vq->num - 1 - i;
	vq->nfree = vq->num;
	vl_vq_drain_call(vq);
}

/*
 * Give the device its queues (the TX rings at @tx_addr if not NULL) and
 * DRIVER_OK: 0, 1 if the kernel refused @tx_addr (EINVAL), else -1.
 */
static int vl_r_start(struct vl_r *r, struct vhost_vring_addr *tx_addr)
{
	if (r->n.d.config_fd >= 0)
		close(r->n.d.config_fd);
	r->n.d.config_fd = -1;
	if (vl_net_program(&r->n))
		return -1;
	if (tx_addr && ioctl(r->n.d.fd, VHOST_SET_VRING_ADDR, tx_addr))
		return errno == EINVAL ? 1 : vl_err("VHOST_SET_VRING_ADDR");
	return vl_net_go(&r->n);
}

/* The bytes chain @id of @vq offers, following its next links. */
static uint64_t vl_r_chain_len(const struct vl_vq *vq, uint16_t id)
{
	uint64_t len = 0;
	unsigned int n;

	for (n = 0; n < vq->num && id < vq->num; n++) {
		len += le32toh(vq->desc[id].len);
		if (!(le16toh(vq->desc[id].flags) & VRING_DESC_F_NEXT))
			break;
		id = le16toh(vq->desc[id].next);
	}
	return len;
}

/*
 * Take the next whole frame off RX into r->got: 1 if there was one, 0 if
 * none is complete, -1 if what the device wrote makes no sense. With
 * @repost its buffers go back to the device as standard ones.
 */
static int vl_r_rx_take(struct vl_r *r, int repost)
{
	struct vl_vq *rx = r->rx;
	uint16_t pending = vl_vq_used_pending(rx), nbufs = 1, k;
	struct vring_used_elem e;
	uint32_t id, skip, total = 0;
	uint64_t addr;

	if (!pending)
		return 0;
	id = le32toh(vl_vq_peek_used(rx, 0)->id);
	if (id >= rx->num)
		return -1;
	addr = le64toh(rx->desc[id].addr);
	if (vl_r_read(r, addr, r->got_hdr, VL_NET_HDR_LEN))
		return -1;
	if (r->n.mrg) {
		memcpy(&nbufs, r->got_hdr + 10, sizeof(nbufs));
		nbufs = le16toh(nbufs);
		if (!nbufs || nbufs > rx->num)
			return -1;
		if (nbufs > pending)
			return 0;
	}
	for (k = 0; k < nbufs; k++) {
		vl_vq_get_used(rx, &e);
		/* every receive chain here is contiguous in the IOVA space */
		if (e.id >= rx->num || e.len > vl_r_chain_len(rx, e.id))
			return -1;
		skip = k ? 0 : VL_NET_HDR_LEN;
		if (e.len < skip || e.len - skip > sizeof(r->got) - total)
			return -1;
		addr = le64toh(rx->desc[e.id].addr);
		if (vl_r_read(r, addr + skip, r->got + total, e.len - skip))
			return -1;
		total += e.len - skip;
		if (repost)
			vl_r_rx_std(r, (uint16_t)e.id);
	}
	r->got_len = total;
	return 1;
}

/*
 * After a single frame (r->want_*) or a chain standing for one was
 * kicked on TX: whether the device reset, dropped it, or looped it.
 */
static enum vl_outcome vl_r_observe(struct vl_r *r)
{
	enum vl_outcome out = VL_O_DROPPED;
	struct vring_used_elem e;
	double until = vl_r_now() + 5;
	int got, reset;

	for (;;) {
		reset = vl_r_needs_reset(r);
		if (reset)
			return reset < 0 ? VL_O_ERROR : VL_O_RESET;
		if (vl_vq_get_used(r->tx, &e))
			break;
		if (vl_r_now() > until)
			return VL_O_STUCK;
		vl_r_sleep(r);
	}
	/* the device publishes RX before TX: a looped frame is there now */
	until = vl_r_now() + 0.3;
	do {
		got = vl_r_rx_take(r, 0);
		if (got) {
			out = got > 0 && vl_r_frame_ok(r, r->want_seq,
							r->want_len) ?
			      VL_O_LOOPED : VL_O_CORRUPT;
			break;
		}
		vl_r_sleep(r);
	} while (vl_r_now() < until);
	reset = vl_r_needs_reset(r);
	if (reset)
		return reset < 0 ? VL_O_ERROR : VL_O_RESET;
	return out;
}

/*
 * Send @count frames of @min to @max bytes with one kick (random virtio
 * headers with @junk) and check that each comes back intact, in order.
 */
static enum vl_outcome vl_r_burst(struct vl_r *r, unsigned int count,
				  uint32_t min, uint32_t max, int junk)
{
	struct vl_vq *tx = r->tx;
	uint32_t lens[VL_QUEUE_MAX], seq0 = r->seq;
	unsigned int i, got = 0, used = 0;
	struct vring_used_elem e;
	double last = vl_r_now();
	uint8_t *buf;
	int k, reset, more;

	if (count > tx->num || count > VL_QUEUE_MAX)
		return VL_O_ERROR;
	for (i = 0; i < count; i++) {
		buf = tx->bufs + (size_t)i * tx->buf_size;
		lens[i] = min + (uint32_t)((r->seq * 37) % (max - min + 1));
		vl_r_frame(r, buf, lens[i]);
		for (k = 0; junk && k < VL_NET_HDR_LEN; k++)
			buf[k] = (uint8_t)vl_r_rand(r);
		vl_r_desc(tx, i, vl_r_iova(r, buf), VL_NET_HDR_LEN + lens[i],
			  0, 0);
		vl_r_post(tx, i);
	}
	vl_vq_kick(tx);
	while (got < count || used < count) {
		reset = vl_r_needs_reset(r);
		if (reset)
			return reset < 0 ? VL_O_ERROR : VL_O_RESET;
		more = 0;
		while (vl_vq_get_used(tx, &e)) {
			used++;
			more = 1;
		}
		while ((k = vl_r_rx_take(r, 1)) > 0) {
			if (got >= count ||
			    !vl_r_frame_ok(r, seq0 + got, lens[got]))
				return VL_O_CORRUPT;
			got++;
			more = 2;
		}
		if (k < 0)
			return VL_O_CORRUPT;
		if (more == 2)
			vl_vq_kick(r->rx);
		if (more) {
			last = vl_r_now();
			continue;
		}
		if (vl_r_now() - last > 5)
			return VL_O_STUCK;
		vl_r_sleep(r);
	}
	return VL_O_LOOPED;
}

/* A frame in TX buffer 0 as one descriptor, kicked. */
static enum vl_outcome vl_r_send_one(struct vl_r *r, uint16_t flags)
{
	struct vl_vq *tx = r->tx;

	vl_r_desc(tx, 0, vl_r_iova(r, tx->bufs),
		  vl_r_frame(r, tx->bufs, VL_R_LEN), flags, 0);
	vl_r_post(tx, 0);
	vl_vq_kick(tx);
	return vl_r_observe(r);
}

/*
 * Map the first @npages extra pages at the hole, each its own IOTLB
 * entry; with @swap in reverse order, so that the IOVA range runs through
 * the user memory backwards: contiguous for the device, not behind it.
 */
static int vl_r_map_extra(struct vl_r *r, unsigned int npages, int swap,
			  uint8_t perm)
{
	size_t page = vl_page();
	unsigned int i;
	uint8_t *p;
	int err;

	for (i = 0; i < npages; i++) {
		p = r->extra + (swap ? npages - 1 - i : i) * page;
		err = vl_iotlb(r->n.d.fd, VHOST_IOTLB_UPDATE,
			       r->hole + i * page, page, p, perm);
		if (err) {
			fprintf(stderr, "vhost_loop: mapping the extra pages: %s\n",
				strerror(-err));
			return -1;
		}
		r->reg[r->nreg++] = (struct vl_region){
			.iova = r->hole + i * page, .p = p, .size = page,
		};
	}
	return 0;
}

/* Whether every byte of @p..@p+@len still holds the canary. */
static int vl_r_canary_ok(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++ != VL_R_CANARY)
			return 0;
	return 1;
}

/* --- the descriptor table and the avail ring --- */

/* desc 0 -> desc 1 -> desc 0 ... */
static int vl_rc_desc_loop(struct vl_r *r)
{
	struct vl_vq *tx = r->tx;
	uint64_t iova = vl_r_iova(r, tx->bufs);
	uint32_t len = vl_r_frame(r, tx->bufs, VL_R_LEN);

	vl_r_desc(tx, 0, iova, 40, VRING_DESC_F_NEXT, 1);
	vl_r_desc(tx, 1, iova + 40, len - 40, VRING_DESC_F_NEXT, 0);
	vl_r_post(tx, 0);
	vl_vq_kick(tx);
	return vl_r_observe(r);
}

static int vl_rc_next_range(struct vl_r *r)
{
	struct vl_vq *tx = r->tx;
	uint64_t iova = vl_r_iova(r, tx->bufs);
	uint32_t len = vl_r_frame(r, tx->bufs, VL_R_LEN);

	vl_r_desc(tx, 0, iova, 40, VRING_DESC_F_NEXT, tx->num);
	vl_r_desc(tx, 1, iova + 40, len - 40, 0, 0);
	vl_r_post(tx, 0);
	vl_vq_kick(tx);
	return vl_r_observe(r);
}

static int vl_rc_head_range(struct vl_r *r)
{
	struct vl_vq *tx = r->tx;

	vl_r_desc(tx, 0, vl_r_iova(r, tx->bufs),
		  vl_r_frame(r, tx->bufs, VL_R_LEN), 0, 0);
	vl_r_post(tx, tx->num);
	vl_vq_kick(tx);
	return vl_r_observe(r);
}

/* avail->idx moves on by one more than there are entries */
static int vl_rc_avail_jump(struct vl_r *r)
{
	struct vl_vq *tx = r->tx;
	unsigned int i;

	vl_r_desc(tx, 0, vl_r_iova(r, tx->bufs),
		  vl_r_frame(r, tx->bufs, VL_R_LEN), 0, 0);
	for (i = 0; i <= tx->num; i++)
		vl_r_post(tx, 0);
	vl_vq_kick(tx);
	return vl_r_observe(r);
}

/* as many chains as the ring has entries, all made available at once */
static int vl_rc_avail_full(struct vl_r *r)
{
	return vl_r_burst(r, r->tx->num, 60, 200, 0);
}

/*
 * A chain of @count descriptors written at @d (a ring or a table): the
 * header, then the frame two bytes each. Returns the frame's length.
 */
static uint32_t vl_r_long_chain(struct vl_r *r, struct vring_desc *d,
				unsigned int count)
{
	uint32_t len = 2 * (count - 1), i;
	uint64_t iova = vl_r_iova(r, r->tx->bufs);

	vl_r_frame(r, r->tx->bufs, len);
	for (i = 0; i < count; i++) {
		d[i].addr = htole64(i ? iova + VL_NET_HDR_LEN + 2 * (i - 1) :
				    iova);
		d[i].len = htole32(i ? 2 : VL_NET_HDR_LEN);
		d[i].flags = htole16(i + 1 < count ? VRING_DESC_F_NEXT : 0);
		d[i].next = htole16(i + 1);
	}
	return len;
}

/* every descriptor of the ring in one chain: as long as a chain may be */
static int vl_rc_chain_full(struct vl_r *r)
{
	struct vl_vq *tx = r->tx;

	vl_r_long_chain(r, tx->desc, tx->num);
	vl_r_post(tx, 0);
	vl_vq_kick(tx);
	return vl_r_observe(r);
}

/*
 * An indirect table in TX buffers 8 on (buffer 0 holds the data), @len
 * bytes long, from descriptor 0 of the ring, with @flags besides.
 */
static struct vring_desc *vl_r_table(struct vl_r *r, uint32_t len,
				     uint16_t flags)
{
	struct vl_vq *tx = r->tx;
	uint8_t *table = tx->bufs + 8 * (size_t)tx->buf_size;

	vl_r_desc(tx, 0, vl_r_iova(r, table), len,
		  VRING_DESC_F_INDIRECT | flags, 1);
	vl_r_post(tx, 0);
	return (struct vring_desc *)table;
}

/* An indirect table of the header and the frame. */
static struct vring_desc *vl_r_table2(struct vl_r *r, uint32_t len,
				      uint16_t flags)
{
	struct vring_desc *t = vl_r_table(r, len, flags);
	uint64_t iova = vl_r_iova(r, r->tx->bufs);

	vl_r_frame(r, r->tx->bufs, VL_R_LEN);
	t[0] = (struct vring_desc){
		.addr = htole64(iova), .len = htole32(VL_NET_HDR_LEN),
		.flags = htole16(VRING_DESC_F_NEXT), .next = htole16(1),
	};
	t[1] = (struct vring_desc){
		.addr = htole64(iova + VL_NET_HDR_LEN),
		.len = htole32(VL_R_LEN),
	};
	return t;
}

static int vl_r_kick_observe(struct vl_r *r)
{
	vl_vq_kick(r->tx);
	return vl_r_observe(r);
}

/* indirect tables of exactly the queue size, and of one entry more */
static int vl_rc_indirect_full(struct vl_r *r)
{
	unsigned int n = r->tx->num;

	vl_r_long_chain(r, vl_r_table(r, n * 16, 0), n);
	return vl_r_kick_observe(r);
}

static int vl_rc_chain_too_long(struct vl_r *r)
{
	unsigned int n = r->tx->num + 1;

	vl_r_long_chain(r, vl_r_table(r, n * 16, 0), n);
	return vl_r_kick_observe(r);
}

static int vl_rc_indirect_ok(struct vl_r *r)
{
	vl_r_table2(r, 32, 0);
	return vl_r_kick_observe(r);
}

static int vl_rc_indirect_nested(struct vl_r *r)
{
	struct vring_desc *t = vl_r_table2(r, 48, 0);

	/* entry 1 points at a table (entry 2, a copy of itself) */
	t[2] = t[1];
	t[1].addr = htole64(vl_r_iova(r, &t[2]));
	t[1].len = htole32(16);
	t[1].flags = htole16(VRING_DESC_F_INDIRECT);
	return vl_r_kick_observe(r);
}

static int vl_rc_indirect_next(struct vl_r *r)
{
	vl_r_table2(r, 32, VRING_DESC_F_NEXT);
	/* a well-formed descriptor 1 for NEXT to point at */
	vl_r_desc(r->tx, 1, vl_r_iova(r, r->tx->bufs), 1, 0, 0);
	return vl_r_kick_observe(r);
}

static int vl_rc_indirect_len_odd(struct vl_r *r)
{
	vl_r_table2(r, 40, 0);
	return vl_r_kick_observe(r);
}

static int vl_rc_indirect_len_zero(struct vl_r *r)
{
	vl_r_table2(r, 0, 0);
	return vl_r_kick_observe(r);
}

/*
 * A table nearly 4 GiB long on one mapped page, its first entry the last
 * 16 bytes of that page: entry 1, which it chains to, is unmapped.
 */
static int vl_rc_indirect_len_huge(struct vl_r *r)
{
	struct vl_vq *tx = r->tx;
	size_t page = vl_page();
	struct vring_desc *t;
	uint64_t iova = vl_r_iova(r, tx->bufs);

	if (vl_r_map_extra(r, 1, 0, VHOST_ACCESS_RO))
		return VL_O_ERROR;
	t = (struct vring_desc *)(r->extra + page - 16);
	vl_r_frame(r, tx->bufs, VL_R_LEN);
	t[0] = (struct vring_desc){
		.addr = htole64(iova), .len = htole32(VL_NET_HDR_LEN),
		.flags = htole16(VRING_DESC_F_NEXT), .next = htole16(1),
	};
	vl_r_desc(tx, 0, r->hole + page - 16, 0xfffffff0,
		  VRING_DESC_F_INDIRECT, 0);
	vl_r_post(tx, 0);
	return vl_r_kick_observe(r);
}

static int vl_rc_indirect_unmapped(struct vl_r *r)
{
	vl_r_frame(r, r->tx->bufs, VL_R_LEN);
	vl_r_desc(r->tx, 0, r->hole, 32, VRING_DESC_F_INDIRECT, 0);
	vl_r_post(r->tx, 0);
	return vl_r_kick_observe(r);
}

static int vl_rc_indirect_loop(struct vl_r *r)
{
	struct vring_desc *t = vl_r_table2(r, 32, 0);

	t[0].len = htole32(VL_NET_HDR_LEN + 40);
	t[1].addr = htole64(le64toh(t[1].addr) + 40);
	t[1].len = htole32(VL_R_LEN - 40);
	t[1].flags = htole16(VRING_DESC_F_NEXT);
	t[1].next = htole16(0);
	return vl_r_kick_observe(r);
}

/* run with VIRTIO_RING_F_INDIRECT_DESC refused */
static int vl_rc_indirect_unneg(struct vl_r *r)
{
	return vl_rc_indirect_ok(r);
}

/* --- buffers --- */

/* a buffer that runs past the end of the 64-bit address space */
static int vl_rc_buf_wrap(struct vl_r *r)
{
	vl_r_frame(r, r->tx->bufs, VL_R_LEN);
	vl_r_desc(r->tx, 0, UINT64_MAX - 0xff, 0x200, 0, 0);
	vl_r_post(r->tx, 0);
	return vl_r_kick_observe(r);
}

/* a zero-length descriptor, at an unmapped address, inside a chain */
static int vl_rc_tx_zero_desc(struct vl_r *r)
{
	struct vl_vq *tx = r->tx;
	uint64_t iova = vl_r_iova(r, tx->bufs);

	vl_r_frame(r, tx->bufs, VL_R_LEN);
	vl_r_desc(tx, 0, iova, VL_NET_HDR_LEN, VRING_DESC_F_NEXT, 1);
	vl_r_desc(tx, 1, r->hole, 0, VRING_DESC_F_NEXT, 2);
	vl_r_desc(tx, 2, iova + VL_NET_HDR_LEN, VL_R_LEN, 0, 0);
	vl_r_post(tx, 0);
	return vl_r_kick_observe(r);
}

/* one zero-length descriptor, at an unmapped address */
static int vl_rc_tx_empty(struct vl_r *r)
{
	vl_r_desc(r->tx, 0, r->hole, 0, 0, 0);
	vl_r_post(r->tx, 0);
	return vl_r_kick_observe(r);
}

/* shorter than the virtio-net header */
static int vl_rc_tx_short(struct vl_r *r)
{
	vl_r_frame(r, r->tx->bufs, VL_R_LEN);
	vl_r_desc(r->tx, 0, vl_r_iova(r, r->tx->bufs), 6, 0, 0);
	vl_r_post(r->tx, 0);
	return vl_r_kick_observe(r);
}

/* a frame larger than the device's largest (9000 MTU, VLAN) */
static int vl_rc_tx_huge(struct vl_r *r)
{
	struct vl_vq *tx = r->tx;

	vl_r_desc(tx, 0, vl_r_iova(r, tx->bufs),
		  vl_r_frame(r, tx->bufs, VL_FRAME_MAX + 100), 0, 0);
	vl_r_post(tx, 0);
	return vl_r_kick_observe(r);
}

static int vl_rc_tx_writable(struct vl_r *r)
{
	return vl_r_send_one(r, VRING_DESC_F_WRITE);
}

/* random gso_type, gso_size, csum_start, csum_offset, flags, ... */
static int vl_rc_tx_hdr_junk(struct vl_r *r)
{
	return vl_r_burst(r, 64, 60, 1514, 1);
}

/* A TX buffer across two IOTLB entries whose user pages are swapped. */
static int vl_rc_straddle_tx(struct vl_r *r)
{
	size_t page = vl_page();
	uint8_t buf[VL_NET_HDR_LEN + VL_R_LEN];
	uint32_t len;

	if (vl_r_map_extra(r, 2, 1, VHOST_ACCESS_RO))
		return VL_O_ERROR;
	len = vl_r_frame(r, buf, VL_R_LEN);
	/* IOVA hole + page - 40 is extra page 1, hole + page extra page 0 */
	memcpy(r->extra + 2 * page - 40, buf, 40);
	memcpy(r->extra, buf + 40, len - 40);
	vl_r_desc(r->tx, 0, r->hole + page - 40, len, 0, 0);
	vl_r_post(r->tx, 0);
	return vl_r_kick_observe(r);
}

/* The receive buffer across the same kind of two IOTLB entries. */
static int vl_rc_straddle_rx(struct vl_r *r)
{
	if (vl_r_map_extra(r, 2, 1, VHOST_ACCESS_WO))
		return VL_O_ERROR;
	vl_r_desc(r->rx, 0, r->hole + vl_page() - 40, VL_MRG_BUF,
		  VRING_DESC_F_WRITE, 0);
	vl_r_post(r->rx, 0);
	vl_vq_kick(r->rx);
	return vl_r_send_one(r, 0);
}

/* A TX buffer that starts mapped and ends where nothing is. */
static int vl_rc_tx_past_mapping(struct vl_r *r)
{
	size_t page = vl_page();
	uint32_t len;

	if (vl_r_map_extra(r, 1, 0, VHOST_ACCESS_RO))
		return VL_O_ERROR;
	len = vl_r_frame(r, r->extra + page - 100, 300);
	vl_r_desc(r->tx, 0, r->hole + page - 100, len, 0, 0);
	vl_r_post(r->tx, 0);
	return vl_r_kick_observe(r);
}

/*
 * A receive buffer that starts mapped and ends where nothing is, for a
 * frame that needs the unmapped part. The user page right after the
 * mapped one must stay as it was, and so must the mapped page before
 * the buffer.
 */
static int vl_rc_rx_past_mapping(struct vl_r *r)
{
	size_t page = vl_page();
	int out;

	if (vl_r_map_extra(r, 1, 0, VHOST_ACCESS_WO))
		return VL_O_ERROR;
	vl_r_desc(r->rx, 0, r->hole + page - 100, VL_MRG_BUF,
		  VRING_DESC_F_WRITE, 0);
	vl_r_post(r->rx, 0);
	vl_vq_kick(r->rx);
	vl_r_desc(r->tx, 0, vl_r_iova(r, r->tx->bufs),
		  vl_r_frame(r, r->tx->bufs, 300), 0, 0);
	vl_r_post(r->tx, 0);
	out = vl_r_kick_observe(r);
	if (!vl_r_canary_ok(r->extra, page - 100) ||
	    !vl_r_canary_ok(r->extra + page, page))
		return VL_O_TOUCHED;
	return out;
}

/* The TX used ring remapped read-only for the device, while it runs. */
static int vl_rc_used_readonly(struct vl_r *r)
{
	struct vl_dev *d = &r->n.d;
	uint8_t *rings = (uint8_t *)r->tx->desc;
	uint64_t iova = vl_r_iova(r, rings), page = vl_page();
	int out;

	if (vl_iotlb_batch(d->fd, VHOST_IOTLB_BATCH_BEGIN) ||
	    vl_iotlb(d->fd, VHOST_IOTLB_INVALIDATE, iova, 3 * page, NULL, 0) ||
	    vl_iotlb(d->fd, VHOST_IOTLB_UPDATE, iova, 2 * page, rings,
		     VHOST_ACCESS_RW) ||
	    vl_iotlb(d->fd, VHOST_IOTLB_UPDATE, iova + 2 * page, page,
		     rings + 2 * page, VHOST_ACCESS_RO) ||
	    vl_iotlb_batch(d->fd, VHOST_IOTLB_BATCH_END))
		return VL_O_ERROR;
	out = vl_r_send_one(r, 0);
	/* back as it was, for the check after the reset */
	if (vl_iotlb(d->fd, VHOST_IOTLB_INVALIDATE, iova, 3 * page, NULL, 0) ||
	    vl_iotlb(d->fd, VHOST_IOTLB_UPDATE, iova, 3 * page, rings,
		     VHOST_ACCESS_RW))
		return VL_O_ERROR;
	return out;
}

/* One receive buffer of @len bytes, @flags, then a frame sent. */
static int vl_r_rx_one(struct vl_r *r, uint32_t len, uint16_t flags)
{
	vl_r_desc(r->rx, 0, vl_r_iova(r, r->rx->bufs), len, flags, 0);
	vl_r_post(r->rx, 0);
	vl_vq_kick(r->rx);
	return vl_r_send_one(r, 0);
}

static int vl_rc_rx_zero(struct vl_r *r)
{
	return vl_r_rx_one(r, 0, VRING_DESC_F_WRITE);
}

static int vl_rc_rx_small(struct vl_r *r)
{
	return vl_r_rx_one(r, 8, VRING_DESC_F_WRITE);
}

/* room for the header and half the frame */
static int vl_rc_rx_short(struct vl_r *r)
{
	return vl_r_rx_one(r, VL_NET_HDR_LEN + VL_R_LEN / 2,
			   VRING_DESC_F_WRITE);
}

static int vl_rc_rx_readonly(struct vl_r *r)
{
	return vl_r_rx_one(r, VL_MRG_BUF, 0);
}

/* mergeable buffers of just the header each: a frame spans ten */
static int vl_rc_rx_mrg_tiny(struct vl_r *r)
{
	struct vl_vq *rx = r->rx;
	uint16_t id;

	for (id = 0; id < rx->num; id++) {
		vl_r_desc(rx, id, vl_r_iova(r, rx->bufs + (size_t)id *
					    rx->buf_size),
			  VL_NET_HDR_LEN, VRING_DESC_F_WRITE, 0);
		vl_r_post(rx, id);
	}
	vl_vq_kick(rx);
	return vl_r_send_one(r, 0);
}

/* a receive buffer said to be 4 GiB - 1 long, of which 256 KiB are mapped */
static int vl_rc_rx_len_huge(struct vl_r *r)
{
	return vl_r_rx_one(r, UINT32_MAX, VRING_DESC_F_WRITE);
}

/* two receive buffers of 2 GiB in one chain: 4 GiB */
static int vl_rc_rx_4g(struct vl_r *r)
{
	uint64_t iova = vl_r_iova(r, r->rx->bufs);

	vl_r_desc(r->rx, 0, iova, 0x80000000U,
		  VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	vl_r_desc(r->rx, 1, iova, 0x80000000U, VRING_DESC_F_WRITE, 0);
	vl_r_post(r->rx, 0);
	vl_vq_kick(r->rx);
	return vl_r_send_one(r, 0);
}

/* a TX buffer said to be 4 GiB - 1 long: more than any frame */
static int vl_rc_tx_len_huge(struct vl_r *r)
{
	vl_r_frame(r, r->tx->bufs, VL_R_LEN);
	vl_r_desc(r->tx, 0, vl_r_iova(r, r->tx->bufs), UINT32_MAX, 0, 0);
	vl_r_post(r->tx, 0);
	return vl_r_kick_observe(r);
}

/* a device-writable buffer, then a device-readable one */
static int vl_rc_tx_order(struct vl_r *r)
{
	uint64_t iova = vl_r_iova(r, r->tx->bufs);
	uint32_t len = vl_r_frame(r, r->tx->bufs, VL_R_LEN);

	vl_r_desc(r->tx, 0, iova, 40, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT,
		  1);
	vl_r_desc(r->tx, 1, iova + 40, len - 40, 0, 0);
	vl_r_post(r->tx, 0);
	return vl_r_kick_observe(r);
}

/* one frame as usual, then avail->idx moved back by two */
static int vl_rc_avail_back(struct vl_r *r)
{
	int out = vl_r_send_one(r, 0);

	if (out != VL_O_LOOPED)
		return out == VL_O_ERROR ? out : VL_O_CORRUPT;
	r->tx->avail_idx -= 2;
	return vl_r_kick_observe(r);
}

/*
 * Start the device again with the TX rings at byte offsets @desc, @avail
 * and @used of the extra pages (which the case mapped), run @fn, and put
 * the rings back where they were (for the check after the reset).
 */
static int vl_r_moved_rings(struct vl_r *r, size_t desc, size_t avail,
			    size_t used, int (*fn)(struct vl_r *r))
{
	struct vl_vq *tx = r->tx, old = *r->tx;
	struct vhost_vring_addr addr = {
		.index = tx->index,
		.desc_user_addr = r->hole + desc,
		.avail_user_addr = r->hole + avail,
		.used_user_addr = r->hole + used,
	};
	struct vl_dev *d = &r->n.d;
	uint8_t status = 0;
	int out = VL_O_ERROR, err = -1;

	if (vl_ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status,
		     "VHOST_VDPA_SET_STATUS"))
		return VL_O_ERROR;
	vl_r_vq_clear(r->rx);
	vl_r_vq_clear(tx);
	memset(r->extra, 0, VL_R_EXTRA * vl_page());
	if (!vl_negotiate(d, d->features, 0))
		err = vl_r_start(r, &addr);
	if (err == 1)
		out = VL_O_REFUSED;
	if (!err) {
		/* only now: programming the queues uses the old addresses */
		tx->desc = (struct vring_desc *)(r->extra + desc);
		tx->avail = (struct vring_avail *)(r->extra + avail);
		tx->used = (struct vring_used *)(r->extra + used);
		vl_r_rx_fill(r);
		out = fn(r);
	}
	tx->desc = old.desc;
	tx->avail = old.avail;
	tx->used = old.used;
	return out;
}

static int vl_r_burst64(struct vl_r *r)
{
	return vl_r_burst(r, 64, 60, 1514, 0);
}

static int vl_r_send_plain(struct vl_r *r)
{
	return vl_r_send_one(r, 0);
}

/*
 * TX rings across four IOTLB entries: the descriptor table, the avail
 * ring and the used ring each cross from one entry into the next.
 */
static int vl_rc_ring_straddle(struct vl_r *r)
{
	size_t page = vl_page();

	if (vl_r_map_extra(r, 4, 0, VHOST_ACCESS_RW))
		return VL_O_ERROR;
	return vl_r_moved_rings(r, page - 2048, 2 * page - 256,
				3 * page - 1024, vl_r_burst64);
}

/* a descriptor table 8-byte aligned, not 16: vhost_vdpa refuses it */
static int vl_rc_ring_misaligned(struct vl_r *r)
{
	size_t page = vl_page();

	if (vl_r_map_extra(r, 4, 0, VHOST_ACCESS_RW))
		return VL_O_ERROR;
	return vl_r_moved_rings(r, page - 2048 + 8, 2 * page - 256,
				3 * page - 1024, vl_r_send_plain);
}

/* a descriptor table whose second half is unmapped */
static int vl_rc_ring_past_mapping(struct vl_r *r)
{
	if (vl_r_map_extra(r, 1, 0, VHOST_ACCESS_RW))
		return VL_O_ERROR;
	return vl_r_moved_rings(r, vl_page() - 1024, 0, 520, vl_r_send_plain);
}

/* the virtio-net header in twelve one-byte descriptors */
static int vl_rc_tx_hdr_split(struct vl_r *r)
{
	uint64_t iova = vl_r_iova(r, r->tx->bufs);
	uint32_t len = vl_r_frame(r, r->tx->bufs, VL_R_LEN);
	uint16_t i;

	for (i = 0; i < VL_NET_HDR_LEN; i++)
		vl_r_desc(r->tx, i, iova + i, 1, VRING_DESC_F_NEXT, i + 1);
	vl_r_desc(r->tx, i, iova + i, len - i, 0, 0);
	vl_r_post(r->tx, 0);
	return vl_r_kick_observe(r);
}

/* one receive chain of 5, 7 and 1000 bytes: the header across two */
static int vl_rc_rx_hdr_split(struct vl_r *r)
{
	uint64_t iova = vl_r_iova(r, r->rx->bufs);
	uint16_t w = VRING_DESC_F_WRITE;

	vl_r_desc(r->rx, 0, iova, 5, w | VRING_DESC_F_NEXT, 1);
	vl_r_desc(r->rx, 1, iova + 5, 7, w | VRING_DESC_F_NEXT, 2);
	vl_r_desc(r->rx, 2, iova + 12, 1000, w, 0);
	vl_r_post(r->rx, 0);
	vl_vq_kick(r->rx);
	return vl_r_send_one(r, 0);
}

/*
 * The TX queue shrunk from 256 to 64 entries while it runs (vhost_vdpa
 * passes VHOST_SET_VRING_NUM on): head 5 still works, head 100, in range
 * only for the old size, does not.
 */
static int vl_rc_ring_shrink(struct vl_r *r)
{
	struct vhost_vring_state s = { .index = r->tx->index, .num = 64 };
	struct vl_vq *tx = r->tx;
	uint16_t heads[2] = { 5, 100 };
	uint8_t *buf;
	int i, out = VL_O_ERROR;

	if (vl_ioctl(r->n.d.fd, VHOST_SET_VRING_NUM, &s,
		     "VHOST_SET_VRING_NUM"))
		return VL_O_ERROR;
	for (i = 0; i < 2; i++) {
		if (i && out != VL_O_LOOPED)
			return out == VL_O_ERROR ? out : VL_O_CORRUPT;
		buf = tx->bufs + (size_t)heads[i] * tx->buf_size;
		vl_r_desc(tx, heads[i], vl_r_iova(r, buf),
			  vl_r_frame(r, buf, VL_R_LEN), 0, 0);
		vl_r_post(tx, heads[i]);
		out = vl_r_kick_observe(r);
	}
	return out;
}

/*
 * The data queues' group moved, while it runs, to address space 1,
 * where nothing is mapped: after one frame that loops, the next finds
 * the rings gone.
 */
static int vl_rc_asid_switch(struct vl_r *r)
{
	struct vhost_vring_state s = { .index = r->tx->index };
	unsigned int nas = 0;
	int out;

	if (vl_ioctl(r->n.d.fd, VHOST_VDPA_GET_AS_NUM, &nas,
		     "VHOST_VDPA_GET_AS_NUM") ||
	    vl_ioctl(r->n.d.fd, VHOST_VDPA_GET_VRING_GROUP, &s,
		     "VHOST_VDPA_GET_VRING_GROUP"))
		return VL_O_ERROR;
	if (nas < 2) {
		fprintf(stderr, "vhost_loop: the device has %u address spaces\n",
			nas);
		return VL_O_ERROR;
	}
	out = vl_r_send_one(r, 0);
	if (out != VL_O_LOOPED)
		return out == VL_O_ERROR ? out : VL_O_CORRUPT;
	s.index = s.num;
	s.num = 1;
	if (vl_ioctl(r->n.d.fd, VHOST_VDPA_SET_GROUP_ASID, &s,
		     "VHOST_VDPA_SET_GROUP_ASID"))
		return VL_O_ERROR;
	return vl_r_send_one(r, 0);
}

/* --- the control queue --- */

/* The ack byte of command slot @slot, as the device last wrote it. */
static uint8_t vl_r_ack(struct vl_r *r, unsigned int slot)
{
	return __atomic_load_n(r->cvq->bufs + (size_t)slot *
			       r->cvq->buf_size + VL_R_ACK, __ATOMIC_ACQUIRE);
}

/*
 * Command @class/@cmd with @len bytes of @data in slot @slot: its buffer,
 * descriptors 2 * slot (the command) and 2 * slot + 1 (the ack), made
 * available but not kicked.
 */
static void vl_r_cmd(struct vl_r *r, unsigned int slot, uint8_t class,
		     uint8_t cmd, const void *data, uint32_t len)
{
	struct vl_vq *cvq = r->cvq;
	uint8_t *buf = cvq->bufs + (size_t)slot * cvq->buf_size;
	uint64_t iova = vl_r_iova(r, buf);
	uint16_t d = 2 * slot;

	buf[0] = class;
	buf[1] = cmd;
	memcpy(buf + 2, data, len);
	buf[VL_R_ACK] = VL_R_NO_ACK;
	vl_r_desc(cvq, d, iova, 2 + len, VRING_DESC_F_NEXT, d + 1);
	vl_r_desc(cvq, d + 1, iova + VL_R_ACK, 1, VRING_DESC_F_WRITE, 0);
	vl_r_post(cvq, d);
}

/* After one command was kicked: its ack, or what else happened. */
static enum vl_outcome vl_r_cvq_observe(struct vl_r *r)
{
	double until = vl_r_now() + 5;
	struct vring_used_elem e;
	int reset;

	for (;;) {
		reset = vl_r_needs_reset(r);
		if (reset < 0)
			return VL_O_ERROR;
		/* a device that gave up on the command must not answer it */
		if (reset)
			return vl_r_ack(r, 0) == VL_R_NO_ACK ? VL_O_RESET :
			       VL_O_LATE_ACK;
		if (vl_vq_get_used(r->cvq, &e))
			break;
		if (vl_r_now() > until)
			return VL_O_STUCK;
		vl_r_sleep(r);
	}
	if (e.id != 0 || e.len != 1)
		return VL_O_CORRUPT;
	if (vl_r_ack(r, 0) == VIRTIO_NET_OK)
		return VL_O_ACK_OK;
	return vl_r_ack(r, 0) == VIRTIO_NET_ERR ? VL_O_ACK_ERR : VL_O_CORRUPT;
}

static int vl_r_get_mac(struct vl_r *r, uint8_t *mac)
{
	uint8_t raw[sizeof(struct vhost_vdpa_config) + 6];
	struct vhost_vdpa_config *c = (struct vhost_vdpa_config *)raw;

	c->off = offsetof(struct virtio_net_config, mac);
	c->len = 6;
	if (vl_ioctl(r->n.d.fd, VHOST_VDPA_GET_CONFIG, c,
		     "VHOST_VDPA_GET_CONFIG"))
		return -1;
	memcpy(mac, c->buf, 6);
	return 0;
}

/* A unicast, locally administered MAC address made of @n. */
static void vl_r_mac(uint8_t *mac, uint32_t n)
{
	mac[0] = 0x02;
	mac[1] = 0x63;
	mac[2] = (uint8_t)(n >> 24);
	mac[3] = (uint8_t)(n >> 16);
	mac[4] = (uint8_t)(n >> 8);
	mac[5] = (uint8_t)n;
}

/* The outcome, but corrupt unless the device's MAC is @mac afterwards. */
static int vl_r_mac_is(struct vl_r *r, int out, const uint8_t *mac)
{
	uint8_t now[6];

	if (out < 0 || vl_r_get_mac(r, now))
		return VL_O_ERROR;
	return memcmp(now, mac, 6) ? VL_O_CORRUPT : out;
}

/* VIRTIO_NET_CTRL_MAC_ADDR_SET of the address made of @n; ack-ok if set. */
static int vl_r_set_mac(struct vl_r *r, uint32_t n)
{
	uint8_t mac[6];

	vl_r_mac(mac, n);
	vl_r_cmd(r, 0, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, mac,
		 6);
	vl_vq_kick(r->cvq);
	return vl_r_mac_is(r, vl_r_cvq_observe(r), mac);
}

static int vl_rc_cvq_ok(struct vl_r *r)
{
	return vl_r_set_mac(r, 0x1234);
}

/* MAC_ADDR_SET cut into 1-, 1-, 3- and 3-byte descriptors */
static int vl_rc_cvq_split(struct vl_r *r)
{
	struct vl_vq *cvq = r->cvq;
	uint64_t iova = vl_r_iova(r, cvq->bufs);
	uint8_t mac[6];

	vl_r_mac(mac, 0x5678);
	vl_r_cmd(r, 0, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, mac,
		 6);
	vl_r_desc(cvq, 0, iova, 1, VRING_DESC_F_NEXT, 2);
	vl_r_desc(cvq, 2, iova + 1, 1, VRING_DESC_F_NEXT, 3);
	vl_r_desc(cvq, 3, iova + 2, 3, VRING_DESC_F_NEXT, 4);
	vl_r_desc(cvq, 4, iova + 5, 3, VRING_DESC_F_NEXT, 1);
	vl_vq_kick(cvq);
	return vl_r_mac_is(r, vl_r_cvq_observe(r), mac);
}

/* just the class byte */
static int vl_rc_cvq_short(struct vl_r *r)
{
	vl_r_cmd(r, 0, VIRTIO_NET_CTRL_MAC, 0, "", 0);
	r->cvq->desc[0].len = htole32(1);
	vl_vq_kick(r->cvq);
	return vl_r_cvq_observe(r);
}

/* MAC_ADDR_SET with half an address: the MAC must not change */
static int vl_rc_cvq_short_mac(struct vl_r *r)
{
	uint8_t mac[6], before[6];

	if (vl_r_get_mac(r, before))
		return VL_O_ERROR;
	vl_r_mac(mac, 0x9abc);
	vl_r_cmd(r, 0, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, mac,
		 3);
	vl_vq_kick(r->cvq);
	return vl_r_mac_is(r, vl_r_cvq_observe(r), before);
}

/*
 * MAC_ADDR_SET whose buffer claims 2 GiB, nearly all of it unmapped: the
 * device reads the six bytes it needs, which are mapped.
 */
static int vl_rc_cvq_huge(struct vl_r *r)
{
	uint8_t mac[6];

	vl_r_mac(mac, 0xdef0);
	vl_r_cmd(r, 0, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, mac,
		 6);
	r->cvq->desc[0].len = htole32(0x80000000U);
	vl_vq_kick(r->cvq);
	return vl_r_mac_is(r, vl_r_cvq_observe(r), mac);
}

/* two 2 GiB buffers: a chain of 4 GiB, more than the spec allows */
static int vl_rc_cvq_4g(struct vl_r *r)
{
	struct vl_vq *cvq = r->cvq;
	uint64_t iova = vl_r_iova(r, cvq->bufs);
	uint8_t mac[6];

	vl_r_mac(mac, 0x4444);
	vl_r_cmd(r, 0, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, mac,
		 6);
	vl_r_desc(cvq, 0, iova, 0x80000000U, VRING_DESC_F_NEXT, 2);
	vl_r_desc(cvq, 2, iova, 0x80000000U, VRING_DESC_F_NEXT, 1);
	vl_vq_kick(cvq);
	return vl_r_cvq_observe(r);
}

static int vl_rc_cvq_bad_class(struct vl_r *r)
{
	vl_r_cmd(r, 0, 0xee, 0, "\0\0\0\0", 4);
	vl_vq_kick(r->cvq);
	return vl_r_cvq_observe(r);
}

static int vl_rc_cvq_bad_cmd(struct vl_r *r)
{
	uint8_t mac[6];

	vl_r_mac(mac, 0x7f7f);
	vl_r_cmd(r, 0, VIRTIO_NET_CTRL_MAC, 0x7f, mac, 6);
	vl_vq_kick(r->cvq);
	return vl_r_cvq_observe(r);
}

/* the command alone, no descriptor for the ack */
static int vl_rc_cvq_no_ack(struct vl_r *r)
{
	uint8_t mac[6];

	vl_r_mac(mac, 0x1111);
	vl_r_cmd(r, 0, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, mac,
		 6);
	r->cvq->desc[0].flags = 0;
	vl_vq_kick(r->cvq);
	return vl_r_cvq_observe(r);
}

/* the ack descriptor device-readable */
static int vl_rc_cvq_ack_ro(struct vl_r *r)
{
	uint8_t mac[6];

	vl_r_mac(mac, 0x2222);
	vl_r_cmd(r, 0, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, mac,
		 6);
	r->cvq->desc[1].flags = 0;
	vl_vq_kick(r->cvq);
	return vl_r_cvq_observe(r);
}

/* the ack descriptor device-writable, its page mapped read-only */
static int vl_rc_cvq_ack_ro_map(struct vl_r *r)
{
	uint8_t mac[6];
	int out;

	if (vl_r_map_extra(r, 1, 0, VHOST_ACCESS_RO))
		return VL_O_ERROR;
	r->extra[0] = VL_R_NO_ACK;
	vl_r_mac(mac, 0x3333);
	vl_r_cmd(r, 0, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, mac,
		 6);
	r->cvq->desc[1].addr = htole64(r->hole);
	vl_vq_kick(r->cvq);
	out = vl_r_cvq_observe(r);
	return r->extra[0] == VL_R_NO_ACK ? out : VL_O_TOUCHED;
}

static int vl_rc_cvq_ack_zero(struct vl_r *r)
{
	uint8_t mac[6];

	vl_r_mac(mac, 0x5555);
	vl_r_cmd(r, 0, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, mac,
		 6);
	r->cvq->desc[1].len = 0;
	vl_vq_kick(r->cvq);
	return vl_r_cvq_observe(r);
}

/* the command's buffer unmapped, the ack's fine */
static int vl_rc_cvq_unmapped(struct vl_r *r)
{
	uint8_t mac[6];

	vl_r_mac(mac, 0x6666);
	vl_r_cmd(r, 0, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, mac,
		 6);
	r->cvq->desc[0].addr = htole64(r->hole);
	vl_vq_kick(r->cvq);
	return vl_r_cvq_observe(r);
}

/*
 * VL_R_FLOOD MAC_ADDR_SET commands, VL_R_CMD_SLOTS in flight: each acked
 * OK, in order, and the last address is the device's.
 */
static int vl_rc_cvq_flood(struct vl_r *r)
{
	struct vl_vq *cvq = r->cvq;
	unsigned int sent = 0, done = 0, slot, added;
	struct vring_used_elem e;
	double last = vl_r_now(), t0 = last;
	uint8_t mac[6];
	int reset;

	if (2 * VL_R_CMD_SLOTS > cvq->num)
		return VL_O_ERROR;
	while (done < VL_R_FLOOD) {
		for (added = 0; sent < VL_R_FLOOD &&
		     sent - done < VL_R_CMD_SLOTS; added++) {
			vl_r_mac(mac, sent);
			vl_r_cmd(r, sent % VL_R_CMD_SLOTS, VIRTIO_NET_CTRL_MAC,
				 VIRTIO_NET_CTRL_MAC_ADDR_SET, mac, 6);
			sent++;
		}
		if (added)
			vl_vq_kick(cvq);
		reset = vl_r_needs_reset(r);
		if (reset)
			return reset < 0 ? VL_O_ERROR : VL_O_RESET;
		if (!vl_vq_get_used(cvq, &e)) {
			if (vl_r_now() - last > 5)
				return VL_O_STUCK;
			vl_r_sleep(r);
			continue;
		}
		slot = done % VL_R_CMD_SLOTS;
		if (e.id != 2 * slot || e.len != 1 ||
		    vl_r_ack(r, slot) != VIRTIO_NET_OK)
			return VL_O_CORRUPT;
		done++;
		last = vl_r_now();
	}
	printf("cvq-flood: %u commands in %.2f s\n", done, vl_r_now() - t0);
	vl_r_mac(mac, VL_R_FLOOD - 1);
	return vl_r_mac_is(r, VL_O_ACK_OK, mac);
}

#define VL_RC(n, f, e, fl) { .name = n, .run = f, .expect = e, .flags = fl }

static const struct vl_rcase vl_rcases[] = {
	VL_RC("desc-loop", vl_rc_desc_loop, VL_O_RESET, 0),
	VL_RC("next-range", vl_rc_next_range, VL_O_RESET, 0),
	VL_RC("head-range", vl_rc_head_range, VL_O_RESET, 0),
	VL_RC("avail-jump", vl_rc_avail_jump, VL_O_RESET, 0),
	VL_RC("avail-full", vl_rc_avail_full, VL_O_LOOPED, 0),
	VL_RC("chain-full", vl_rc_chain_full, VL_O_LOOPED, 0),
	VL_RC("chain-too-long", vl_rc_chain_too_long, VL_O_RESET, 0),
	VL_RC("indirect-full", vl_rc_indirect_full, VL_O_LOOPED, 0),
	VL_RC("indirect-ok", vl_rc_indirect_ok, VL_O_LOOPED, 0),
	VL_RC("indirect-nested", vl_rc_indirect_nested, VL_O_RESET, 0),
	VL_RC("indirect-next", vl_rc_indirect_next, VL_O_RESET, 0),
	VL_RC("indirect-len-odd", vl_rc_indirect_len_odd, VL_O_RESET, 0),
	VL_RC("indirect-len-zero", vl_rc_indirect_len_zero, VL_O_RESET, 0),
	VL_RC("indirect-len-huge", vl_rc_indirect_len_huge, VL_O_RESET, 0),
	VL_RC("indirect-unmapped", vl_rc_indirect_unmapped, VL_O_RESET, 0),
	VL_RC("indirect-loop", vl_rc_indirect_loop, VL_O_RESET, 0),
	VL_RC("indirect-unneg", vl_rc_indirect_unneg, VL_O_RESET,
	      VL_R_NOINDIRECT),
	VL_RC("buf-wrap", vl_rc_buf_wrap, VL_O_RESET, 0),
	VL_RC("tx-zero-desc", vl_rc_tx_zero_desc, VL_O_LOOPED, 0),
	VL_RC("tx-empty", vl_rc_tx_empty, VL_O_DROPPED, 0),
	VL_RC("tx-short", vl_rc_tx_short, VL_O_DROPPED, 0),
	VL_RC("tx-huge", vl_rc_tx_huge, VL_O_DROPPED, 0),
	VL_RC("tx-writable", vl_rc_tx_writable, VL_O_RESET, 0),
	VL_RC("tx-hdr-junk", vl_rc_tx_hdr_junk, VL_O_LOOPED, 0),
	VL_RC("straddle-tx", vl_rc_straddle_tx, VL_O_LOOPED, 0),
	VL_RC("straddle-rx", vl_rc_straddle_rx, VL_O_LOOPED, VL_R_RXOWN),
	VL_RC("tx-past-mapping", vl_rc_tx_past_mapping, VL_O_RESET, 0),
	VL_RC("rx-past-mapping", vl_rc_rx_past_mapping, VL_O_RESET,
	      VL_R_RXOWN),
	VL_RC("used-readonly", vl_rc_used_readonly, VL_O_RESET, 0),
	VL_RC("rx-zero", vl_rc_rx_zero, VL_O_DROPPED, VL_R_RXOWN | VL_R_NOMRG),
	VL_RC("rx-small", vl_rc_rx_small, VL_O_DROPPED,
	      VL_R_RXOWN | VL_R_NOMRG),
	VL_RC("rx-short", vl_rc_rx_short, VL_O_DROPPED,
	      VL_R_RXOWN | VL_R_NOMRG),
	VL_RC("rx-zero-mrg", vl_rc_rx_zero, VL_O_RESET, VL_R_RXOWN),
	VL_RC("rx-small-mrg", vl_rc_rx_small, VL_O_RESET, VL_R_RXOWN),
	VL_RC("rx-readonly", vl_rc_rx_readonly, VL_O_RESET, VL_R_RXOWN),
	VL_RC("rx-mrg-tiny", vl_rc_rx_mrg_tiny, VL_O_LOOPED, VL_R_RXOWN),
	VL_RC("rx-len-huge", vl_rc_rx_len_huge, VL_O_LOOPED, VL_R_RXOWN),
	VL_RC("rx-4g", vl_rc_rx_4g, VL_O_RESET, VL_R_RXOWN),
	VL_RC("tx-len-huge", vl_rc_tx_len_huge, VL_O_DROPPED, 0),
	VL_RC("tx-order", vl_rc_tx_order, VL_O_RESET, 0),
	VL_RC("avail-back", vl_rc_avail_back, VL_O_RESET, 0),
	VL_RC("ring-straddle", vl_rc_ring_straddle, VL_O_LOOPED, 0),
	VL_RC("ring-misaligned", vl_rc_ring_misaligned, VL_O_REFUSED, 0),
	VL_RC("ring-past-mapping", vl_rc_ring_past_mapping, VL_O_RESET, 0),
	VL_RC("tx-hdr-split", vl_rc_tx_hdr_split, VL_O_LOOPED, 0),
	VL_RC("rx-hdr-split", vl_rc_rx_hdr_split, VL_O_LOOPED, VL_R_RXOWN),
	VL_RC("ring-shrink", vl_rc_ring_shrink, VL_O_RESET, 0),
	VL_RC("asid-switch", vl_rc_asid_switch, VL_O_RESET, 0),
	VL_RC("cvq-ok", vl_rc_cvq_ok, VL_O_ACK_OK, VL_R_CVQ),
	VL_RC("cvq-split", vl_rc_cvq_split, VL_O_ACK_OK, VL_R_CVQ),
	VL_RC("cvq-short", vl_rc_cvq_short, VL_O_ACK_ERR, VL_R_CVQ),
	VL_RC("cvq-short-mac", vl_rc_cvq_short_mac, VL_O_ACK_ERR, VL_R_CVQ),
	VL_RC("cvq-huge", vl_rc_cvq_huge, VL_O_ACK_OK, VL_R_CVQ),
	VL_RC("cvq-4g", vl_rc_cvq_4g, VL_O_RESET, VL_R_CVQ),
	VL_RC("cvq-bad-class", vl_rc_cvq_bad_class, VL_O_ACK_ERR, VL_R_CVQ),
	VL_RC("cvq-bad-cmd", vl_rc_cvq_bad_cmd, VL_O_ACK_ERR, VL_R_CVQ),
	VL_RC("cvq-no-ack", vl_rc_cvq_no_ack, VL_O_RESET, VL_R_CVQ),
	VL_RC("cvq-ack-ro", vl_rc_cvq_ack_ro, VL_O_RESET, VL_R_CVQ),
	VL_RC("cvq-ack-ro-map", vl_rc_cvq_ack_ro_map, VL_O_RESET, VL_R_CVQ),
	VL_RC("cvq-ack-zero", vl_rc_cvq_ack_zero, VL_O_RESET, VL_R_CVQ),
	VL_RC("cvq-unmapped", vl_rc_cvq_unmapped, VL_O_RESET, VL_R_CVQ),
	VL_RC("cvq-flood", vl_rc_cvq_flood, VL_O_ACK_OK, VL_R_CVQ),
};

#define VL_NRCASES (sizeof(vl_rcases) / sizeof(vl_rcases[0]))

static const struct vl_rcase *vl_rcase_find(const char *name)
{
	size_t i;

	for (i = 0; i < VL_NRCASES; i++)
		if (!strcmp(name, vl_rcases[i].name))
			return &vl_rcases[i];
	return NULL;
}

int vl_ring_case_known(const char *name)
{
	return !!vl_rcase_find(name);
}

void vl_ring_case_list(FILE *f)
{
	size_t i;

	for (i = 0; i < VL_NRCASES; i++)
		fprintf(f, " %s", vl_rcases[i].name);
}

static const char *vl_outcome_name(int out)
{
	return out >= 0 && out <= VL_O_STUCK ? vl_outcome_names[out] :
	       "setup-failed";
}

/*
 * Reset the device and prove it usable: status 0 clears NEEDS_RESET,
 * then the same mappings, fresh rings, and frames (and a control
 * command) go through.
 */
static int vl_r_again(struct vl_r *r)
{
	struct vl_dev *d = &r->n.d;
	uint8_t status = 0;
	int out;

	if (vl_ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status,
		     "VHOST_VDPA_SET_STATUS") ||
	    vl_status(d, &status))
		return -1;
	if (status) {
		fprintf(stderr, "vhost_loop: status %#x after a reset\n",
			status);
		return -1;
	}
	vl_r_vq_clear(r->rx);
	vl_r_vq_clear(r->tx);
	if (r->cvq)
		vl_r_vq_clear(r->cvq);
	if (vl_negotiate(d, d->features, 0) || vl_r_start(r, NULL))
		return -1;
	vl_r_rx_fill(r);
	out = vl_r_burst(r, VL_R_AFTER, 60, 1514, 0);
	if (out == VL_O_LOOPED && r->cvq)
		out = vl_r_set_mac(r, 0xabcd) == VL_O_ACK_OK ? out :
		      VL_O_CORRUPT;
	printf("after reset: %d frames %s\n", VL_R_AFTER,
	       out == VL_O_LOOPED ? "looped" : vl_outcome_name(out));
	return out == VL_O_LOOPED ? 0 : -1;
}

static int vl_r_open(struct vl_r *r, const struct vl_opts *o,
		     const struct vl_rcase *c)
{
	struct vl_opts one = *o;
	size_t page = vl_page();
	void *p;

	one.pairs = 1;
	one.rx_hold = 1;
	one.feat_need = c->flags & VL_R_NOINDIRECT ? 0 :
			VL_BIT(VIRTIO_RING_F_INDIRECT_DESC);
	if (c->flags & VL_R_CVQ)
		one.feat_need |= VL_BIT(VIRTIO_NET_F_CTRL_VQ) |
				 VL_BIT(VIRTIO_NET_F_CTRL_MAC_ADDR);
	one.feat_refuse = c->flags & VL_R_NOMRG ?
			  VL_BIT(VIRTIO_NET_F_MRG_RXBUF) : 0;
	if (vl_net_open(&r->n, &one))
		return -1;
	r->rx = &r->n.pairs[0].rx;
	r->tx = &r->n.pairs[0].tx;
	r->cvq = r->n.has_cvq ? &r->n.cvq : NULL;
	r->hole = vl_hole(&r->n.d);
	r->reg[r->nreg++] = (struct vl_region){
		.iova = r->n.d.mem.iova, .p = r->n.d.mem.base,
		.size = r->n.d.mem.size,
	};
	p = mmap(NULL, VL_R_EXTRA * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED)
		return vl_err("mmap");
	r->extra = p;
	memset(r->extra, VL_R_CANARY, VL_R_EXTRA * page);
	if (vl_r_start(r, NULL))
		return -1;
	if (!(c->flags & VL_R_RXOWN))
		vl_r_rx_fill(r);
	return 0;
}

/* -x CASE for a ring case; the exit status. */
int vl_ring_case(const struct vl_opts *o)
{
	const struct vl_rcase *c = vl_rcase_find(o->xcase);
	int out = VL_O_ERROR, again = -1;
	struct vl_r *r;

	r = calloc(1, sizeof(*r));
	if (!r) {
		vl_err("calloc");
		return 1;
	}
	r->n.d.fd = r->n.d.config_fd = -1;
	r->rng = o->seed * 0x9e3779b97f4a7c15ULL + 1;
	if (vl_r_open(r, o, c)) {
		printf("%s setup failed\n", c->name);
	} else {
		out = c->run(r);
		printf("%s outcome=%s expected=%s\n", c->name,
		       vl_outcome_name(out), vl_outcome_name(c->expect));
		if (out != VL_O_ERROR)
			again = vl_r_again(r);
	}
	vl_net_close(&r->n);
	if (r->extra)
		munmap(r->extra, VL_R_EXTRA * vl_page());
	free(r);
	return out == (int)c->expect && !again ? 0 : 1;
}
