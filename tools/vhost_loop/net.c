// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_loop: a virtio-net device with its queue pairs (and, for more
 * than one pair, its control queue) set up in three steps: open (features
 * negotiated, memory carved and mapped in one IOTLB batch), program (the
 * queues given to the device, receive buffers posted) and go (DRIVER_OK,
 * and the number of pairs set through the control queue).
 */
#define _GNU_SOURCE
#include <endian.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>

#include "vhost_loop.h"

/* where the control command and its ack sit in the control queue's buffer */
#define VL_CTRL_ACK	64
#define VL_CTRL_BUF	128

static int vl_net_max_pairs(struct vl_net *n)
{
	uint8_t raw[sizeof(struct vhost_vdpa_config) + sizeof(uint16_t)];
	struct vhost_vdpa_config *c = (struct vhost_vdpa_config *)raw;
	uint16_t pairs;

	n->d.max_pairs = 1;
	if (!(n->d.features & VL_BIT(VIRTIO_NET_F_MQ)))
		return 0;
	c->off = offsetof(struct virtio_net_config, max_virtqueue_pairs);
	c->len = sizeof(pairs);
	if (vl_ioctl(n->d.fd, VHOST_VDPA_GET_CONFIG, c,
		     "VHOST_VDPA_GET_CONFIG"))
		return -1;
	memcpy(&pairs, c->buf, sizeof(pairs));
	n->d.max_pairs = le16toh(pairs);
	return 0;
}

static int vl_net_features(struct vl_net *n, const struct vl_opts *o)
{
	uint64_t need = VL_BIT(VIRTIO_F_VERSION_1) | o->feat_need;
	uint64_t want = (VL_BIT(VIRTIO_F_ACCESS_PLATFORM) |
			 VL_BIT(VIRTIO_NET_F_MRG_RXBUF)) & ~o->feat_refuse;

	if (o->pairs > 1)
		need |= VL_BIT(VIRTIO_NET_F_MQ) |
			VL_BIT(VIRTIO_NET_F_CTRL_VQ);
	if (vl_negotiate(&n->d, need, want) || vl_net_max_pairs(n))
		return -1;
	if (o->pairs > n->d.max_pairs) {
		fprintf(stderr, "vhost_loop: the device has %u queue pairs\n",
			n->d.max_pairs);
		return -1;
	}
	n->mrg = !!(n->d.features & VL_BIT(VIRTIO_NET_F_MRG_RXBUF));
	n->has_cvq = !!(n->d.features & VL_BIT(VIRTIO_NET_F_CTRL_VQ));
	n->tx_buf = VL_ALIGN(VL_NET_HDR_LEN + o->max, 64);
	n->rx_buf = n->mrg ? VL_MRG_BUF : n->tx_buf;
	return 0;
}

/* The queue sizes, and the memory everything needs. */
static size_t vl_net_size(struct vl_net *n, unsigned int *num)
{
	unsigned int p, i = 0;
	size_t size = 0;

	for (p = 0; p < n->npairs; p++) {
		num[i] = vl_vq_num(&n->d, 2 * p);
		size += vl_vq_bytes(num[i++], n->rx_buf);
		num[i] = vl_vq_num(&n->d, 2 * p + 1);
		size += vl_vq_bytes(num[i++], n->tx_buf);
	}
	if (n->has_cvq) {
		num[i] = vl_vq_num(&n->d, 2 * n->d.max_pairs);
		size += vl_vq_bytes(num[i], VL_CTRL_BUF);
	}
	return size;
}

static int vl_net_alloc(struct vl_net *n, const unsigned int *num)
{
	struct vl_dev *d = &n->d;
	unsigned int p, i = 0;

	for (p = 0; p < n->npairs; p++) {
		if (vl_vq_alloc(d, &n->pairs[p].rx, 2 * p, num[i++], n->rx_buf,
				VHOST_ACCESS_WO) ||
		    vl_vq_alloc(d, &n->pairs[p].tx, 2 * p + 1, num[i++],
				n->tx_buf, VHOST_ACCESS_RO))
			return -1;
		n->pairs[p].next_seq = n->pairs[p].expect = p;
	}
	if (n->has_cvq &&
	    vl_vq_alloc(d, &n->cvq, 2 * d->max_pairs, num[i], VL_CTRL_BUF,
			VHOST_ACCESS_RW))
		return -1;
	return 0;
}

/* Map all the memory in one batch, a mapping per ring and buffer area. */
static int vl_net_map(struct vl_net *n)
{
	unsigned int num[2 * VL_PAIRS_MAX + 1];

	if (vl_mem_alloc(&n->d, vl_net_size(n, num)) ||
	    vl_iotlb_batch(n->d.fd, VHOST_IOTLB_BATCH_BEGIN) ||
	    vl_net_alloc(n, num) ||
	    vl_iotlb_batch(n->d.fd, VHOST_IOTLB_BATCH_END))
		return -1;
	return 0;
}

/* Open the device and set up o->pairs queue pairs, not yet given to it. */
int vl_net_open(struct vl_net *n, const struct vl_opts *o)
{
	memset(n, 0, sizeof(*n));
	n->d.fd = n->d.config_fd = -1;
	n->npairs = o->pairs;
	n->rx_hold = o->rx_hold;
	n->late_enable = o->late_enable;
	n->pairs = vl_calloc_aligned(n->npairs, sizeof(*n->pairs));
	if (!n->pairs)
		return vl_err("calloc");
	if (vl_dev_open(&n->d, o->dev) || vl_net_features(n, o))
		return -1;
	if (n->late_enable &&
	    !(n->d.backend & VL_BIT(VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK))) {
		fprintf(stderr, "vhost_loop: -E: the device does not offer VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK\n");
		return -1;
	}
	n->d.shared = o->shared;
	return vl_net_map(n);
}

static void vl_net_post_rx(struct vl_net *n, struct vl_vq *rx)
{
	uint8_t *buf;
	uint16_t id;

	for (id = 0; id < rx->num; id++) {
		buf = rx->bufs + (size_t)id * rx->buf_size;
		vl_vq_add(rx, id, vl_iova(&n->d.mem, buf), rx->buf_size,
			  VRING_DESC_F_WRITE);
	}
	rx->nfree = 0;
}

/* Give the device every queue, with all receive buffers posted (unless
 * the caller posts its own); with late_enable, the data queues stay
 * disabled until vl_net_go().
 */
int vl_net_program(struct vl_net *n)
{
	int (*program)(struct vl_dev *d, struct vl_vq *vq) =
		n->late_enable ? vl_vq_setup : vl_vq_program;
	unsigned int p;

	for (p = 0; p < n->npairs; p++) {
		if (program(&n->d, &n->pairs[p].rx) ||
		    program(&n->d, &n->pairs[p].tx))
			return -1;
		if (!n->rx_hold)
			vl_net_post_rx(n, &n->pairs[p].rx);
	}
	if (n->has_cvq && vl_vq_program(&n->d, &n->cvq))
		return -1;
	n->d.config_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (n->d.config_fd < 0)
		return vl_err("eventfd");
	return vl_ioctl(n->d.fd, VHOST_VDPA_SET_CONFIG_CALL, &n->d.config_fd,
			"VHOST_VDPA_SET_CONFIG_CALL");
}

/* Wait for the control queue to use the command; 0 once it did. */
static int vl_net_ctrl_wait(struct vl_net *n)
{
	struct pollfd pfd = { .fd = n->cvq.call_fd, .events = POLLIN };
	struct vring_used_elem elem;
	int tries;

	for (tries = 0; tries < 40; tries++) {
		if (vl_vq_get_used(&n->cvq, &elem))
			return 0;
		poll(&pfd, 1, 50);
		vl_vq_drain_call(&n->cvq);
	}
	fprintf(stderr, "vhost_loop: the control queue did not answer\n");
	return -1;
}

/* VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET on the control queue. */
static int vl_net_set_pairs(struct vl_net *n)
{
	struct vl_vq *cvq = &n->cvq;
	struct virtio_net_ctrl_hdr hdr = {
		.class = VIRTIO_NET_CTRL_MQ,
		.cmd = VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
	};
	uint16_t pairs = htole16(n->npairs);
	uint8_t *buf = cvq->bufs;
	uint64_t iova = vl_iova(&n->d.mem, buf);

	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), &pairs, sizeof(pairs));
	buf[VL_CTRL_ACK] = 0xff;
	cvq->desc[1].addr = htole64(iova + VL_CTRL_ACK);
	cvq->desc[1].len = htole32(1);
	cvq->desc[1].flags = htole16(VRING_DESC_F_WRITE);
	vl_vq_add(cvq, 0, iova, sizeof(hdr) + sizeof(pairs), VRING_DESC_F_NEXT);
	cvq->desc[0].next = htole16(1);
	vl_vq_kick(cvq);
	if (vl_net_ctrl_wait(n))
		return -1;
	if (__atomic_load_n(&buf[VL_CTRL_ACK], __ATOMIC_ACQUIRE) !=
	    VIRTIO_NET_OK) {
		fprintf(stderr, "vhost_loop: the device refused %u queue pairs\n",
			n->npairs);
		return -1;
	}
	return 0;
}

/*
 * DRIVER_OK, receive queues kicked, and the queue pairs in use set. With
 * late_enable, as QEMU restores a migrated device: the control queue
 * sets the pairs first, then the data queues are enabled.
 */
int vl_net_go(struct vl_net *n)
{
	unsigned int p;

	if (vl_status_add(&n->d, VIRTIO_CONFIG_S_DRIVER_OK))
		return -1;
	if (n->late_enable) {
		if ((n->d.features & VL_BIT(VIRTIO_NET_F_MQ)) &&
		    vl_net_set_pairs(n))
			return -1;
		for (p = 0; p < n->npairs; p++)
			if (vl_vq_enable(&n->d, &n->pairs[p].rx) ||
			    vl_vq_enable(&n->d, &n->pairs[p].tx))
				return -1;
	}
	for (p = 0; p < n->npairs; p++)
		vl_vq_kick(&n->pairs[p].rx);
	if (!n->late_enable && (n->d.features & VL_BIT(VIRTIO_NET_F_MQ)))
		return vl_net_set_pairs(n);
	return 0;
}

void vl_net_close(struct vl_net *n)
{
	unsigned int p;

	for (p = 0; n->pairs && p < n->npairs; p++) {
		vl_vq_free(&n->pairs[p].rx);
		vl_vq_free(&n->pairs[p].tx);
	}
	if (n->has_cvq)
		vl_vq_free(&n->cvq);
	free(n->pairs);
	n->pairs = NULL;
	vl_dev_close(&n->d);
}
