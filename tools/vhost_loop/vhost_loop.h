/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhost_loop: a user-space virtio-net driver on a vhost-vdpa device.
 *
 * dev.c   the device: open, ownership, features, status, IOTLB messages,
 *         the memory the device sees, virtqueue programming
 * ring.c  split virtqueues, driver side
 * net.c   a virtio-net device set up with its queue pairs
 * loop.c  the traffic test: numbered frames out on TX, checked on RX
 * cases.c the negative tests (-x CASE)
 * rings.c the ring cases: hostile split rings on a running device
 */
#ifndef VHOST_LOOP_H
#define VHOST_LOOP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/vhost.h>
#include <linux/virtio_ring.h>

/* the virtio-net header with VIRTIO_F_VERSION_1: struct virtio_net_hdr_v1 */
#define VL_NET_HDR_LEN	12
/* the smallest frame: Ethernet header, sequence number, length, pair */
#define VL_FRAME_MIN	22
/* the largest frame the tool sends: 9000 bytes of MTU, Ethernet and VLAN */
#define VL_FRAME_MAX	9018
/* receive buffer size with mergeable buffers: small, so frames span some */
#define VL_MRG_BUF	1024
/* the largest queue the tool uses */
#define VL_QUEUE_MAX	256
/* the most queue pairs the tool drives */
#define VL_PAIRS_MAX	64
#define VL_BIT(b)	(1ULL << (b))
#define VL_ALIGN(x, a)	(((x) + (a) - 1) & ~((uint64_t)(a) - 1))

struct vl_opts {
	const char *dev;
	unsigned long count;
	unsigned int min, max;
	unsigned int pairs;
	unsigned int batch;
	unsigned int window;
	unsigned int timeout;
	unsigned int map_mib;	/* -M: the IOTLB map benchmark */
	int fragment;		/* -F: ... mapping a page per update */
	int hold;		/* -H: keep the device open until stdin ends */
	int shared;
	int json;
	int pin;		/* -a: pair k's thread on the k-th allowed CPU */
	const char *xcase;
	unsigned long seed;	/* -S: for the cases that draw random numbers */
	uint64_t feat_need;	/* device features to insist on, besides the usual */
	uint64_t feat_refuse;	/* device features not to accept */
	int rx_hold;		/* leave the receive queues empty */
	int late_enable;	/* -E: data queues enabled after DRIVER_OK */
};

/* The memory the device sees: one mapping, carved up front to back. */
struct vl_mem {
	uint8_t *base;
	size_t size;
	size_t used;
	uint64_t iova;		/* IOVA of base */
	int huge;		/* backed by hugepages */
};

/* One split virtqueue, driver side; descriptor i always owns buffer i. */
struct vl_vq {
	unsigned int index;
	unsigned int num;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t avail_idx;	/* the next avail entry to fill */
	uint16_t last_used;	/* the next used entry to read */
	int kick_fd;
	int call_fd;
	uint8_t *bufs;
	uint32_t buf_size;
	uint16_t *free_ids;	/* descriptors not in the device's hands */
	unsigned int nfree;
};

struct vl_dev {
	int fd;
	uint64_t features;	/* negotiated */
	uint64_t backend;	/* backend features negotiated */
	struct vhost_vdpa_iova_range range;
	uint32_t nvqs;
	uint16_t max_pairs;	/* from the config space, 1 without MQ */
	int config_fd;		/* config change eventfd */
	int shared;		/* memory is a shared memfd, not anonymous */
	struct vl_mem mem;
};

/*
 * Queue pair k is RX queue 2k and TX queue 2k + 1. Each pair's thread
 * writes its pair's fields for every frame: a cache line of its own, so
 * pairs on different CPUs do not bounce one between them.
 */
#define VL_CACHELINE	64

/* calloc() for an array of cache-line aligned elements. */
static inline void *vl_calloc_aligned(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = aligned_alloc(VL_CACHELINE, n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

struct __attribute__((aligned(VL_CACHELINE))) vl_pair {
	struct vl_vq rx;
	struct vl_vq tx;
	unsigned long next_seq;	/* the next frame to send */
	unsigned long expect;	/* the next frame expected back */
};

struct vl_net {
	struct vl_dev d;
	struct vl_pair *pairs;
	unsigned int npairs;
	struct vl_vq cvq;	/* with VIRTIO_NET_F_CTRL_VQ only */
	int has_cvq;
	int mrg;		/* VIRTIO_NET_F_MRG_RXBUF */
	uint32_t rx_buf;	/* receive buffer size */
	uint32_t tx_buf;	/* transmit buffer size */
	int rx_hold;		/* vl_net_program() posts no receive buffers */
	int late_enable;	/* data queues enabled after DRIVER_OK */
};

/* dev.c */
int vl_err(const char *what);
int vl_ioctl(int fd, unsigned long req, void *arg, const char *what);
int vl_iotlb(int fd, uint8_t type, uint64_t iova, uint64_t size,
	     const void *uaddr, uint8_t perm);
int vl_iotlb_batch(int fd, uint8_t type);
int vl_dev_open(struct vl_dev *d, const char *path);
void vl_dev_close(struct vl_dev *d);
int vl_status_add(struct vl_dev *d, uint8_t bits);
int vl_status(struct vl_dev *d, uint8_t *status);
int vl_negotiate(struct vl_dev *d, uint64_t need, uint64_t want);
size_t vl_page(void);
int vl_mem_alloc(struct vl_dev *d, size_t size);
void *vl_mem_take(struct vl_mem *m, size_t size);
uint64_t vl_iova(const struct vl_mem *m, const void *p);
unsigned int vl_vq_num(struct vl_dev *d, unsigned int index);
size_t vl_vq_bytes(unsigned int num, uint32_t buf_size);
int vl_vq_alloc(struct vl_dev *d, struct vl_vq *vq, unsigned int index,
		unsigned int num, uint32_t buf_size, uint8_t perm);
int vl_vq_setup(struct vl_dev *d, struct vl_vq *vq);
int vl_vq_enable(struct vl_dev *d, struct vl_vq *vq);
int vl_vq_program(struct vl_dev *d, struct vl_vq *vq);
void vl_vq_free(struct vl_vq *vq);

/* ring.c */
void vl_vq_add(struct vl_vq *vq, uint16_t id, uint64_t addr, uint32_t len,
	       uint16_t flags);
void vl_vq_kick(struct vl_vq *vq);
int vl_vq_get_used(struct vl_vq *vq, struct vring_used_elem *elem);
uint16_t vl_vq_used_pending(const struct vl_vq *vq);
const struct vring_used_elem *vl_vq_peek_used(const struct vl_vq *vq,
					      uint16_t ahead);
void vl_vq_drain_call(struct vl_vq *vq);

/* net.c */
int vl_net_open(struct vl_net *n, const struct vl_opts *o);
int vl_net_program(struct vl_net *n);
int vl_net_go(struct vl_net *n);
void vl_net_close(struct vl_net *n);

/* loop.c */
int vl_loop(const struct vl_opts *o);

/* mapbench.c */
int vl_map_bench(const struct vl_opts *o);

/* cases.c */
int vl_case(const struct vl_opts *o);
int vl_wait_needs_reset(struct vl_dev *d, uint8_t *status, int *config_call);

/* batch.c */
int vl_x_batch_atomic(const struct vl_opts *o);
int vl_x_vring_running(const struct vl_opts *o);

/* dirty.c */
int vl_x_dirty_log(const struct vl_opts *o);
void vl_case_list(FILE *f);
uint64_t vl_hole(const struct vl_dev *d);

/* rings.c */
int vl_ring_case_known(const char *name);
int vl_ring_case(const struct vl_opts *o);
void vl_ring_case_list(FILE *f);

#endif /* VHOST_LOOP_H */
