// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_loop -x CASE: do one thing the kernel must refuse and report what
 * it said, as "CASE errno=N (text)"; exit 0 only for the expected errno.
 * unmapped-ring and unmapped-buffer are the exceptions: they report
 * whether the device flagged NEEDS_RESET after being given a ring, or a
 * transmit buffer, at an IOVA nobody mapped.
 *
 * The IOTLB cases run on an owned device with backend features
 * negotiated and some memory to map, none of it mapped yet.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/virtio_config.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vhost_loop.h"

/* memory for the IOTLB cases; memlock maps half of it */
#define VL_CASE_MEM	(2UL << 20)
/* the RLIMIT_MEMLOCK memlock sets, far below VL_CASE_MEM / 2 */
#define VL_CASE_MEMLOCK	(64UL << 10)

/*
 * A case returns the errno the bad thing got, 0 if it worked, or -1 if
 * the setup failed. @run gets the prepared device (with two pages mapped
 * at the start of its memory if @premap), @run_raw opens the device itself.
 */
struct vl_case {
	const char *name;
	int (*run)(struct vl_dev *d);
	int (*run_raw)(const char *path);
	int premap;
	int expect;
	int also;	/* another acceptable errno, or 0 */
};

static int vl_case_fail(const char *what, int err)
{
	fprintf(stderr, "vhost_loop: setup: %s: %s\n", what, strerror(-err));
	return -1;
}

/* Map @size bytes at offset @off of the memory, at the matching IOVA. */
static int vl_case_map(struct vl_dev *d, size_t off, uint64_t size)
{
	return vl_iotlb(d->fd, VHOST_IOTLB_UPDATE, d->mem.iova + off, size,
			d->mem.base + off, VHOST_ACCESS_RW);
}

static int vl_case_msg(struct vl_dev *d, const struct vhost_msg_v2 *msg,
		       size_t len)
{
	return write(d->fd, msg, len) < 0 ? errno : 0;
}

static int vl_x_overlap(struct vl_dev *d)
{
	return -vl_case_map(d, vl_page(), 2 * vl_page());
}

static int vl_x_zero_size(struct vl_dev *d)
{
	return -vl_case_map(d, 0, 0);
}

static int vl_x_wrap(struct vl_dev *d)
{
	size_t page = vl_page();

	return -vl_iotlb(d->fd, VHOST_IOTLB_UPDATE, UINT64_MAX & ~(page - 1),
			 2 * page, d->mem.base, VHOST_ACCESS_RW);
}

/*
 * Just past the IOVA range, or just before it; when it is the whole
 * 64-bit space, a user address outside user space instead.
 */
static int vl_x_out_of_range(struct vl_dev *d)
{
	const struct vhost_vdpa_iova_range *range = &d->range;
	uint64_t page = vl_page(), iova = d->mem.iova;
	const void *uaddr = d->mem.base;

	if (range->last < UINT64_MAX - 2 * page) {
		iova = VL_ALIGN(range->last + 1, page);
	} else if (range->first >= page) {
		iova = (range->first - page) & ~(page - 1);
	} else {
		fprintf(stderr, "vhost_loop: the IOVA range is the whole space: mapping a kernel address\n");
		uaddr = (const void *)0xffff800000000000UL;
	}
	return -vl_iotlb(d->fd, VHOST_IOTLB_UPDATE, iova, page, uaddr,
			 VHOST_ACCESS_RW);
}

static int vl_x_bad_type(struct vl_dev *d)
{
	return -vl_iotlb(d->fd, 0x7f, d->mem.iova, vl_page(), d->mem.base,
			 VHOST_ACCESS_RW);
}

static int vl_x_bad_perm(struct vl_dev *d)
{
	return -vl_iotlb(d->fd, VHOST_IOTLB_UPDATE, d->mem.iova, vl_page(),
			 d->mem.base, 0);
}

static int vl_x_bad_asid(struct vl_dev *d)
{
	struct vhost_msg_v2 msg = {
		.type = VHOST_IOTLB_MSG_V2,
		.iotlb = {
			.iova = d->mem.iova,
			.size = vl_page(),
			.uaddr = (uint64_t)(uintptr_t)d->mem.base,
			.perm = VHOST_ACCESS_RW,
			.type = VHOST_IOTLB_UPDATE,
		},
	};
	unsigned int nas;

	if (!(d->backend & VL_BIT(VHOST_BACKEND_F_IOTLB_ASID)))
		return vl_case_fail("VHOST_BACKEND_F_IOTLB_ASID", -EOPNOTSUPP);
	if (vl_ioctl(d->fd, VHOST_VDPA_GET_AS_NUM, &nas,
		     "VHOST_VDPA_GET_AS_NUM"))
		return -1;
	msg.asid = nas;
	return vl_case_msg(d, &msg, sizeof(msg));
}

static int vl_x_short_write(struct vl_dev *d)
{
	struct vhost_msg_v2 msg = { .type = VHOST_IOTLB_MSG_V2 };

	return vl_case_msg(d, &msg, 16);
}

static int vl_x_partial_invalidate(struct vl_dev *d)
{
	return -vl_iotlb(d->fd, VHOST_IOTLB_INVALIDATE, d->mem.iova, vl_page(),
			 NULL, 0);
}

/* Without CAP_IPC_LOCK, so that RLIMIT_MEMLOCK applies even to root. */
static int vl_drop_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return vl_err("capget");
	data[CAP_TO_INDEX(CAP_IPC_LOCK)].effective &=
		~CAP_TO_MASK(CAP_IPC_LOCK);
	if (syscall(SYS_capset, &hdr, data))
		return vl_err("capset");
	return 0;
}

static int vl_x_memlock(struct vl_dev *d)
{
	struct rlimit lim;

	if (getrlimit(RLIMIT_MEMLOCK, &lim))
		return vl_case_fail("getrlimit", -errno);
	lim.rlim_cur = VL_CASE_MEMLOCK;
	if (setrlimit(RLIMIT_MEMLOCK, &lim))
		return vl_case_fail("setrlimit", -errno);
	if (vl_drop_ipc_lock())
		return -1;
	return -vl_case_map(d, 0, VL_CASE_MEM / 2);
}

static int vl_x_no_owner(const char *path)
{
	struct vhost_vring_state s = { .index = 0, .num = 64 };
	int fd = open(path, O_RDWR | O_CLOEXEC), err;

	if (fd < 0)
		return vl_case_fail(path, -errno);
	err = ioctl(fd, VHOST_SET_VRING_NUM, &s) ? errno : 0;
	close(fd);
	return err;
}

static int vl_x_second_open(const char *path)
{
	struct vl_dev first;
	int fd, err;

	if (vl_dev_open(&first, path)) {
		vl_dev_close(&first);
		return -1;
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	err = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	vl_dev_close(&first);
	return err;
}

static const struct vl_case vl_cases[] = {
	{ .name = "overlap", .run = vl_x_overlap, .premap = 1,
	  .expect = EEXIST },
	{ .name = "zero-size", .run = vl_x_zero_size, .expect = EINVAL },
	{ .name = "wrap", .run = vl_x_wrap, .expect = EINVAL },
	{ .name = "out-of-range", .run = vl_x_out_of_range, .expect = EINVAL,
	  .also = EFAULT },
	{ .name = "bad-type", .run = vl_x_bad_type, .expect = EINVAL },
	{ .name = "bad-perm", .run = vl_x_bad_perm, .expect = EINVAL },
	{ .name = "bad-asid", .run = vl_x_bad_asid, .expect = EINVAL },
	{ .name = "short-write", .run = vl_x_short_write, .expect = EINVAL },
	{ .name = "partial-invalidate", .run = vl_x_partial_invalidate,
	  .premap = 1, .expect = EINVAL },
	{ .name = "memlock", .run = vl_x_memlock, .expect = ENOMEM },
	{ .name = "no-owner", .run_raw = vl_x_no_owner, .expect = EPERM },
	{ .name = "second-open", .run_raw = vl_x_second_open, .expect = EBUSY },
};

#define VL_NCASES (sizeof(vl_cases) / sizeof(vl_cases[0]))

/* An IOVA range of three pages nothing is mapped at, in the device's range. */
uint64_t vl_hole(const struct vl_dev *d)
{
	uint64_t gap = 2UL << 20, need = 3 * vl_page();

	if (d->range.last - (d->mem.iova + d->mem.size - 1) > gap + need)
		return d->mem.iova + d->mem.size + gap;
	return d->mem.iova - gap - need;
}

/* Wait up to 3 s for the device to want a reset. */
int vl_wait_needs_reset(struct vl_dev *d, uint8_t *status,
			       int *config_call)
{
	struct pollfd pfd = { .fd = d->config_fd, .events = POLLIN };
	uint64_t count;
	int tries;

	*config_call = 0;
	for (tries = 0; tries < 60; tries++) {
		if (poll(&pfd, 1, 50) > 0 &&
		    read(d->config_fd, &count, sizeof(count)) > 0)
			*config_call = 1;
		if (vl_status(d, status))
			return -1;
		if (*status & VIRTIO_CONFIG_S_NEEDS_RESET)
			break;
	}
	return 0;
}

static int vl_x_unmapped_ring(const struct vl_opts *o)
{
	struct vl_opts one = *o;
	struct vhost_vring_addr addr;
	int config_call = 0, ok = 0;
	struct vl_net n;
	uint8_t status = 0;
	uint64_t hole;

	one.pairs = 1;
	if (vl_net_open(&n, &one) || vl_net_program(&n))
		goto out;
	hole = vl_hole(&n.d);
	addr = (struct vhost_vring_addr){
		.index = n.pairs[0].tx.index,
		.desc_user_addr = hole,
		.avail_user_addr = hole + vl_page(),
		.used_user_addr = hole + 2 * vl_page(),
	};
	if (vl_ioctl(n.d.fd, VHOST_SET_VRING_ADDR, &addr,
		     "VHOST_SET_VRING_ADDR") || vl_net_go(&n))
		goto out;
	vl_vq_kick(&n.pairs[0].tx);
	if (vl_wait_needs_reset(&n.d, &status, &config_call))
		goto out;
	ok = !!(status & VIRTIO_CONFIG_S_NEEDS_RESET);
	printf("unmapped-ring needs_reset=%d status=%#x config_call=%d\n", ok,
	       status, config_call);
out:
	vl_net_close(&n);
	return ok ? 0 : 1;
}

/* A transmit buffer at an IOVA nothing is mapped at, on working rings. */
static int vl_x_unmapped_buffer(const struct vl_opts *o)
{
	struct vl_opts one = *o;
	int config_call = 0, ok = 0;
	struct vl_vq *tx;
	struct vl_net n;
	uint8_t status = 0;

	one.pairs = 1;
	if (vl_net_open(&n, &one) || vl_net_program(&n) || vl_net_go(&n))
		goto out;
	tx = &n.pairs[0].tx;
	vl_vq_add(tx, tx->free_ids[--tx->nfree], vl_hole(&n.d), 128, 0);
	vl_vq_kick(tx);
	if (vl_wait_needs_reset(&n.d, &status, &config_call))
		goto out;
	ok = !!(status & VIRTIO_CONFIG_S_NEEDS_RESET);
	printf("unmapped-buffer needs_reset=%d status=%#x config_call=%d\n", ok,
	       status, config_call);
out:
	vl_net_close(&n);
	return ok ? 0 : 1;
}

void vl_case_list(FILE *f)
{
	size_t i;

	for (i = 0; i < VL_NCASES; i++)
		fprintf(f, " %s", vl_cases[i].name);
	fprintf(f, " batch-atomic vring-running dirty-log unmapped-ring unmapped-buffer");
	vl_ring_case_list(f);
	fprintf(f, "\n");
}

static int vl_case_run(const struct vl_case *c, const struct vl_opts *o)
{
	struct vl_dev d;
	int got = -1, err;

	if (c->run_raw)
		return c->run_raw(o->dev);
	if (vl_dev_open(&d, o->dev))
		goto out;
	d.shared = o->shared;
	if (vl_mem_alloc(&d, VL_CASE_MEM))
		goto out;
	err = c->premap ? vl_case_map(&d, 0, 2 * vl_page()) : 0;
	if (err)
		vl_case_fail("mapping two pages", err);
	else
		got = c->run(&d);
out:
	vl_dev_close(&d);
	return got;
}

/* -x CASE; the exit status. */
int vl_case(const struct vl_opts *o)
{
	const struct vl_case *c = NULL;
	size_t i;
	int got;

	if (!strcmp(o->xcase, "list")) {
		vl_case_list(stdout);
		return 0;
	}
	if (vl_ring_case_known(o->xcase))
		return vl_ring_case(o);
	if (!strcmp(o->xcase, "unmapped-ring"))
		return vl_x_unmapped_ring(o);
	if (!strcmp(o->xcase, "unmapped-buffer"))
		return vl_x_unmapped_buffer(o);
	if (!strcmp(o->xcase, "batch-atomic"))
		return vl_x_batch_atomic(o);
	if (!strcmp(o->xcase, "vring-running"))
		return vl_x_vring_running(o);
	if (!strcmp(o->xcase, "dirty-log"))
		return vl_x_dirty_log(o);
	for (i = 0; i < VL_NCASES; i++)
		if (!strcmp(o->xcase, vl_cases[i].name))
			c = &vl_cases[i];
	if (!c) {
		fprintf(stderr, "vhost_loop: no case %s; cases:", o->xcase);
		vl_case_list(stderr);
		return 2;
	}
	got = vl_case_run(c, o);
	if (got < 0)
		return 1;
	printf("%s errno=%d (%s)\n", c->name, got, strerror(got));
	return got == c->expect || (c->also && got == c->also) ? 0 : 1;
}
