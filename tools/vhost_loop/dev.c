// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_loop: the vhost-vdpa device. Open and own it, negotiate backend
 * and virtio features, drive the status, map memory for it with IOTLB
 * messages, and program its virtqueues.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vhost_loop.h"

#define VL_HUGE		(2UL << 20)

/* the backend features the tool can use, besides the two it needs */
#define VL_BACKEND_NEED	(VL_BIT(VHOST_BACKEND_F_IOTLB_MSG_V2) |		\
			 VL_BIT(VHOST_BACKEND_F_IOTLB_BATCH))
#define VL_BACKEND_WANT	(VL_BIT(VHOST_BACKEND_F_IOTLB_ASID) |		\
			 VL_BIT(VHOST_BACKEND_F_IOTLB_PERSIST) |	\
			 VL_BIT(VHOST_BACKEND_F_SUSPEND) |		\
			 VL_BIT(VHOST_BACKEND_F_RESUME) |		\
			 VL_BIT(VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK))

/* Report what failed with errno; returns -errno. */
int vl_err(const char *what)
{
	int err = errno;

	fprintf(stderr, "vhost_loop: %s: %s\n", what, strerror(err));
	return -err;
}

int vl_ioctl(int fd, unsigned long req, void *arg, const char *what)
{
	return ioctl(fd, req, arg) < 0 ? vl_err(what) : 0;
}

/* One IOTLB message; 0 or -errno, nothing printed. */
int vl_iotlb(int fd, uint8_t type, uint64_t iova, uint64_t size,
	     const void *uaddr, uint8_t perm)
{
	struct vhost_msg_v2 msg = {
		.type = VHOST_IOTLB_MSG_V2,
		.iotlb = {
			.iova = iova,
			.size = size,
			.uaddr = (uint64_t)(uintptr_t)uaddr,
			.perm = perm,
			.type = type,
		},
	};
	ssize_t n = write(fd, &msg, sizeof(msg));

	if (n < 0)
		return -errno;
	return n == sizeof(msg) ? 0 : -EIO;
}

/* IOTLB BATCH_BEGIN or BATCH_END, reporting a failure. */
int vl_iotlb_batch(int fd, uint8_t type)
{
	int err = vl_iotlb(fd, type, 0, 0, NULL, 0);

	if (err) {
		errno = -err;
		return vl_err(type == VHOST_IOTLB_BATCH_BEGIN ?
			      "IOTLB batch begin" : "IOTLB batch end");
	}
	return 0;
}

int vl_status(struct vl_dev *d, uint8_t *status)
{
	return vl_ioctl(d->fd, VHOST_VDPA_GET_STATUS, status,
			"VHOST_VDPA_GET_STATUS");
}

int vl_status_add(struct vl_dev *d, uint8_t bits)
{
	uint8_t status;

	if (vl_status(d, &status))
		return -1;
	status |= bits;
	return vl_ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status,
			"VHOST_VDPA_SET_STATUS");
}

static int vl_backend(struct vl_dev *d)
{
	uint64_t offer;

	if (vl_ioctl(d->fd, VHOST_GET_BACKEND_FEATURES, &offer,
		     "VHOST_GET_BACKEND_FEATURES"))
		return -1;
	if ((offer & VL_BACKEND_NEED) != VL_BACKEND_NEED) {
		fprintf(stderr, "vhost_loop: backend features %#llx lack IOTLB_MSG_V2 or IOTLB_BATCH\n",
			(unsigned long long)offer);
		return -1;
	}
	d->backend = offer & (VL_BACKEND_NEED | VL_BACKEND_WANT);
	return vl_ioctl(d->fd, VHOST_SET_BACKEND_FEATURES, &d->backend,
			"VHOST_SET_BACKEND_FEATURES");
}

/*
 * Open, own and reset a virtio-net vhost-vdpa device, with the backend
 * features negotiated.
 */
int vl_dev_open(struct vl_dev *d, const char *path)
{
	uint8_t reset = 0;
	uint32_t id;

	memset(d, 0, sizeof(*d));
	d->config_fd = -1;
	d->fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0)
		return vl_err(path);
	if (vl_ioctl(d->fd, VHOST_SET_OWNER, NULL, "VHOST_SET_OWNER") ||
	    vl_ioctl(d->fd, VHOST_VDPA_GET_DEVICE_ID, &id,
		     "VHOST_VDPA_GET_DEVICE_ID"))
		return -1;
	if (id != VIRTIO_ID_NET) {
		fprintf(stderr, "vhost_loop: %s is virtio device %u, not net\n",
			path, id);
		return -1;
	}
	if (vl_backend(d) ||
	    vl_ioctl(d->fd, VHOST_VDPA_SET_STATUS, &reset,
		     "VHOST_VDPA_SET_STATUS") ||
	    vl_ioctl(d->fd, VHOST_VDPA_GET_IOVA_RANGE, &d->range,
		     "VHOST_VDPA_GET_IOVA_RANGE") ||
	    vl_ioctl(d->fd, VHOST_VDPA_GET_VQS_COUNT, &d->nvqs,
		     "VHOST_VDPA_GET_VQS_COUNT"))
		return -1;
	d->max_pairs = 1;
	return 0;
}

/* Close the device first: it may use the memory until then. */
void vl_dev_close(struct vl_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->config_fd >= 0)
		close(d->config_fd);
	if (d->mem.base)
		munmap(d->mem.base, d->mem.size);
	d->mem.base = NULL;
	d->config_fd = d->fd = -1;
}

/*
 * Accept the features in @need (failing if one is missing) and those of
 * @want the device offers, up to FEATURES_OK.
 */
int vl_negotiate(struct vl_dev *d, uint64_t need, uint64_t want)
{
	uint64_t offer;
	uint8_t status;

	if (vl_ioctl(d->fd, VHOST_GET_FEATURES, &offer, "VHOST_GET_FEATURES"))
		return -1;
	if ((offer & need) != need) {
		fprintf(stderr, "vhost_loop: device features %#llx lack %#llx\n",
			(unsigned long long)offer,
			(unsigned long long)(need & ~offer));
		return -1;
	}
	d->features = offer & (need | want);
	if (vl_status_add(d, VIRTIO_CONFIG_S_ACKNOWLEDGE) ||
	    vl_status_add(d, VIRTIO_CONFIG_S_DRIVER) ||
	    vl_ioctl(d->fd, VHOST_SET_FEATURES, &d->features,
		     "VHOST_SET_FEATURES") ||
	    vl_status_add(d, VIRTIO_CONFIG_S_FEATURES_OK) ||
	    vl_status(d, &status))
		return -1;
	if (!(status & VIRTIO_CONFIG_S_FEATURES_OK)) {
		fprintf(stderr, "vhost_loop: device refused features %#llx\n",
			(unsigned long long)d->features);
		return -1;
	}
	return 0;
}

size_t vl_page(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

/*
 * Reserve @size bytes the device will see, on hugepages if there are
 * any, and choose their IOVA: the first 2 MiB boundary in the device's
 * range, and not 0. Nothing is mapped for the device yet.
 */
/*
 * Shared file-backed memory (a memfd, huge pages if there are any), as
 * QEMU's memory-backend-memfd,share=on gives: what upstream's simulator
 * needs in its VA mode, which maps only shared file-backed memory.
 */
static void *vl_mem_shared(size_t size, int *huge)
{
	int flags = MAP_SHARED | MAP_POPULATE;
	void *p = MAP_FAILED;
	int fd;

	fd = memfd_create("vhost_loop", MFD_CLOEXEC | MFD_HUGETLB);
	*huge = fd >= 0 && !ftruncate(fd, size);
	if (*huge)
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (fd >= 0)
		close(fd);
	*huge = p != MAP_FAILED;
	if (*huge)
		return p;
	fd = memfd_create("vhost_loop", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, size)) {
		if (fd >= 0)
			close(fd);
		return MAP_FAILED;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, fd, 0);
	close(fd);
	return p;
}

int vl_mem_alloc(struct vl_dev *d, size_t size)
{
	struct vl_mem *m = &d->mem;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE;

	size = VL_ALIGN(size, VL_HUGE);
	if (d->shared) {
		m->base = vl_mem_shared(size, &m->huge);
	} else {
		m->base = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       flags | MAP_HUGETLB, -1, 0);
		m->huge = m->base != MAP_FAILED;
		if (!m->huge)
			m->base = mmap(NULL, size, PROT_READ | PROT_WRITE,
				       flags, -1, 0);
	}
	if (m->base == MAP_FAILED) {
		m->base = NULL;
		return vl_err("mmap");
	}
	/* touched, so that every page is the process's own before pinning */
	memset(m->base, 0, size);
	m->size = size;
	m->used = 0;
	m->iova = VL_ALIGN(d->range.first ? d->range.first : 1, VL_HUGE);
	if (m->iova < d->range.first || m->iova > d->range.last ||
	    size - 1 > d->range.last - m->iova) {
		fprintf(stderr, "vhost_loop: %zu bytes do not fit the IOVA range %#llx-%#llx\n",
			size, (unsigned long long)d->range.first,
			(unsigned long long)d->range.last);
		return -1;
	}
	return 0;
}

/* The next @size bytes of the memory, page-aligned. */
void *vl_mem_take(struct vl_mem *m, size_t size)
{
	void *p = m->base + m->used;

	size = VL_ALIGN(size, vl_page());
	if (size > m->size - m->used)
		return NULL;
	m->used += size;
	return p;
}

uint64_t vl_iova(const struct vl_mem *m, const void *p)
{
	return m->iova + (uint64_t)((const uint8_t *)p - m->base);
}

/* The size the tool uses for queue @index: the largest power of two it
 * may have, at most VL_QUEUE_MAX.
 */
unsigned int vl_vq_num(struct vl_dev *d, unsigned int index)
{
	struct vhost_vring_state s = { .index = index };
	uint16_t max = 0;
	unsigned int num = VL_QUEUE_MAX;

	if (ioctl(d->fd, VHOST_VDPA_GET_VRING_SIZE, &s) == 0)
		max = s.num;
	else if (vl_ioctl(d->fd, VHOST_VDPA_GET_VRING_NUM, &max,
			  "VHOST_VDPA_GET_VRING_NUM"))
		return 0;
	while (num > max)
		num /= 2;
	return num;
}

/* Memory for a queue: a page per ring part (enough up to VL_QUEUE_MAX),
 * then the buffers.
 */
size_t vl_vq_bytes(unsigned int num, uint32_t buf_size)
{
	return 3 * vl_page() + VL_ALIGN((size_t)num * buf_size, vl_page());
}

static int vl_map(struct vl_dev *d, const void *p, size_t size, uint8_t perm)
{
	int err = vl_iotlb(d->fd, VHOST_IOTLB_UPDATE, vl_iova(&d->mem, p),
			   VL_ALIGN(size, vl_page()), p, perm);

	if (err) {
		errno = -err;
		return vl_err("IOTLB update");
	}
	return 0;
}

/*
 * Carve a queue of @num entries out of the memory, with buffers of
 * @buf_size bytes the device may access as @perm, and map it. Call
 * between IOTLB BATCH_BEGIN and BATCH_END.
 */
int vl_vq_alloc(struct vl_dev *d, struct vl_vq *vq, unsigned int index,
		unsigned int num, uint32_t buf_size, uint8_t perm)
{
	size_t page = vl_page();
	uint8_t *rings;
	unsigned int i;

	memset(vq, 0, sizeof(*vq));
	vq->kick_fd = vq->call_fd = -1;
	vq->index = index;
	vq->num = num;
	vq->buf_size = buf_size;
	rings = vl_mem_take(&d->mem, 3 * page);
	vq->bufs = vl_mem_take(&d->mem, (size_t)num * buf_size);
	vq->free_ids = num ? calloc(num, sizeof(*vq->free_ids)) : NULL;
	if (!rings || !vq->bufs || !vq->free_ids) {
		fprintf(stderr, "vhost_loop: no room for queue %u\n", index);
		return -1;
	}
	vq->desc = (struct vring_desc *)rings;
	vq->avail = (struct vring_avail *)(rings + page);
	vq->used = (struct vring_used *)(rings + 2 * page);
	for (i = 0; i < num; i++)
		vq->free_ids[i] = num - 1 - i;
	vq->nfree = num;
	vq->kick_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	vq->call_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (vq->kick_fd < 0 || vq->call_fd < 0)
		return vl_err("eventfd");
	if (vl_map(d, rings, 3 * page, VHOST_ACCESS_RW) ||
	    vl_map(d, vq->bufs, (size_t)num * buf_size, perm))
		return -1;
	return 0;
}

/* Give the device the queue: size, base, addresses, eventfds. */
int vl_vq_setup(struct vl_dev *d, struct vl_vq *vq)
{
	struct vhost_vring_state num = { .index = vq->index, .num = vq->num };
	struct vhost_vring_state base = { .index = vq->index };
	struct vhost_vring_addr addr = {
		.index = vq->index,
		.desc_user_addr = vl_iova(&d->mem, vq->desc),
		.avail_user_addr = vl_iova(&d->mem, vq->avail),
		.used_user_addr = vl_iova(&d->mem, vq->used),
	};
	struct vhost_vring_file kick = {
		.index = vq->index,
		.fd = vq->kick_fd,
	};
	struct vhost_vring_file call = {
		.index = vq->index,
		.fd = vq->call_fd,
	};

	if (vl_ioctl(d->fd, VHOST_SET_VRING_NUM, &num, "VHOST_SET_VRING_NUM") ||
	    vl_ioctl(d->fd, VHOST_SET_VRING_BASE, &base,
		     "VHOST_SET_VRING_BASE") ||
	    vl_ioctl(d->fd, VHOST_SET_VRING_ADDR, &addr,
		     "VHOST_SET_VRING_ADDR") ||
	    vl_ioctl(d->fd, VHOST_SET_VRING_KICK, &kick,
		     "VHOST_SET_VRING_KICK") ||
	    vl_ioctl(d->fd, VHOST_SET_VRING_CALL, &call,
		     "VHOST_SET_VRING_CALL"))
		return -1;
	return 0;
}

int vl_vq_enable(struct vl_dev *d, struct vl_vq *vq)
{
	struct vhost_vring_state enable = { .index = vq->index, .num = 1 };

	return vl_ioctl(d->fd, VHOST_VDPA_SET_VRING_ENABLE, &enable,
			"VHOST_VDPA_SET_VRING_ENABLE");
}

/* vl_vq_setup(), then enable the queue. */
int vl_vq_program(struct vl_dev *d, struct vl_vq *vq)
{
	return vl_vq_setup(d, vq) || vl_vq_enable(d, vq) ? -1 : 0;
}

/* Safe for a queue vl_vq_alloc() never saw (all zero) or gave up on. */
void vl_vq_free(struct vl_vq *vq)
{
	if (!vq->num)
		return;
	if (vq->kick_fd >= 0)
		close(vq->kick_fd);
	if (vq->call_fd >= 0)
		close(vq->call_fd);
	free(vq->free_ids);
	memset(vq, 0, sizeof(*vq));
	vq->kick_fd = vq->call_fd = -1;
}
