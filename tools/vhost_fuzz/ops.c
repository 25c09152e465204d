// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_fuzz operations on the ioctls: random arguments, plausible ones
 * and the sequences a driver uses, chosen with weights that keep the
 * device in interesting states (owned, mapped, running) often enough.
 * The answers are only checked where the uAPI fixes them: what the
 * device is never changes, a bad pointer never works, an in-range config
 * read always does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/virtio_config.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vhost_fuzz.h"

/* A queue index: mostly a real one, sometimes just past, sometimes any. */
static uint32_t vf_vq_index(struct vf *v)
{
	if (vf_chance(v, 85))
		return vf_below(v, v->nvqs);
	if (vf_chance(v, 66))
		return v->nvqs + vf_below(v, 4);
	return vf_wild(v);
}

/* The device's features with VIRTIO_F_VERSION_1 (mostly) and some others. */
uint64_t vf_valid_features(struct vf *v)
{
	uint64_t f = vf_rand(v);

	if (vf_chance(v, 90))
		f |= VF_BIT(VIRTIO_F_VERSION_1);
	return f & v->dev_features;
}

static void vf_set_status(struct vf *v, uint8_t status)
{
	if (!vf_ioctl(v, VF_C_SET_STATUS, VHOST_VDPA_SET_STATUS, &status) &&
	    (status & VIRTIO_CONFIG_S_DRIVER_OK))
		v->started++;
}

void vf_get_status(struct vf *v)
{
	uint8_t status;

	if (vf_ioctl(v, VF_C_GET_STATUS, VHOST_VDPA_GET_STATUS, &status))
		vf_fail(v, "VHOST_VDPA_GET_STATUS: %s", strerror(errno));
	if (status & VIRTIO_CONFIG_S_NEEDS_RESET)
		v->needs_reset++;
}

/*
 * What a driver does before it sets up its queues: maybe reset, then
 * ACKNOWLEDGE, DRIVER, a random valid feature set and FEATURES_OK.
 */
void vf_status_negotiate(struct vf *v, int reset)
{
	uint8_t s = VIRTIO_CONFIG_S_ACKNOWLEDGE;
	uint64_t f = vf_valid_features(v);

	if (reset)
		vf_set_status(v, 0);
	vf_set_status(v, s);
	vf_set_status(v, s |= VIRTIO_CONFIG_S_DRIVER);
	vf_ioctl(v, VF_C_SET_FEATURES, VHOST_SET_FEATURES, &f);
	vf_set_status(v, s |= VIRTIO_CONFIG_S_FEATURES_OK);
	vf_get_status(v);
}

/* ... and after: DRIVER_OK. */
void vf_status_go(struct vf *v)
{
	vf_set_status(v, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		      VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
}

static void vf_op_reopen(struct vf *v)
{
	vf_reopen(v);
}

/* Mostly owned: unowned, every vring ioctl and message is just EPERM. */
static void vf_op_owner(struct vf *v)
{
	if (vf_chance(v, 85)) {
		vf_ioctl(v, VF_C_SET_OWNER, VHOST_SET_OWNER, NULL);
		return;
	}
	/* the owner gone, nothing it mapped stays pinned */
	if (!vf_ioctl(v, VF_C_RESET_OWNER, VHOST_RESET_OWNER, NULL))
		vf_check_unpinned(v, "VHOST_RESET_OWNER");
}

static void vf_op_features(struct vf *v)
{
	uint64_t f = 0;

	if (vf_chance(v, 30)) {
		/* VHOST_F_LOG_ALL comes and goes with the owner (log.c) */
		if (!vf_ioctl(v, VF_C_GET_FEATURES, VHOST_GET_FEATURES, &f) &&
		    (f & ~VF_BIT(VHOST_F_LOG_ALL)) != v->dev_features)
			vf_fail(v, "device features %#llx, were %#llx",
				(unsigned long long)f,
				(unsigned long long)v->dev_features);
		return;
	}
	f = vf_chance(v, 25) ? vf_wild(v) : vf_valid_features(v);
	/* logging on or off, which works even after negotiation */
	if (vf_chance(v, 30))
		f |= VF_BIT(VHOST_F_LOG_ALL);
	vf_ioctl(v, VF_C_SET_FEATURES, VHOST_SET_FEATURES, &f);
}

static void vf_op_backend(struct vf *v)
{
	uint64_t f = 0;

	if (vf_chance(v, 30)) {
		if (!vf_ioctl(v, VF_C_GET_BACKEND_FEATURES,
			      VHOST_GET_BACKEND_FEATURES, &f) &&
		    f != v->backend_offer)
			vf_fail(v, "backend features %#llx, were %#llx",
				(unsigned long long)f,
				(unsigned long long)v->backend_offer);
		return;
	}
	if (vf_chance(v, 20)) {
		f = vf_wild(v);
	} else {
		f = vf_rand(v) & v->backend_offer;
		if (vf_chance(v, 85))
			f |= VF_BIT(VHOST_BACKEND_F_IOTLB_MSG_V2) |
			     VF_BIT(VHOST_BACKEND_F_IOTLB_BATCH);
	}
	vf_ioctl(v, VF_C_SET_BACKEND_FEATURES, VHOST_SET_BACKEND_FEATURES, &f);
}

/* A get that must work, for whoever holds the file, and never change. */
static void vf_get_same(struct vf *v, enum vf_call c, unsigned long req,
			uint64_t was, size_t size, const char *what)
{
	uint64_t got = 0;

	if (vf_ioctl(v, c, req, &got))
		vf_fail(v, "%s: %s", what, strerror(errno));
	if (size < sizeof(got))
		got &= (1ULL << (8 * size)) - 1;
	if (got != was)
		vf_fail(v, "%s is %llu, was %llu", what,
			(unsigned long long)got, (unsigned long long)was);
}

static void vf_op_info(struct vf *v)
{
	struct vhost_vdpa_iova_range r;

	switch (vf_below(v, 8)) {
	case 0:
		vf_get_same(v, VF_C_GET_DEVICE_ID, VHOST_VDPA_GET_DEVICE_ID,
			    v->device_id, 4, "device id");
		break;
	case 1:
		vf_get_status(v);
		break;
	case 2:
		vf_get_same(v, VF_C_GET_VRING_NUM, VHOST_VDPA_GET_VRING_NUM,
			    v->vq_num_max, 2, "the largest queue");
		break;
	case 3:
		vf_get_same(v, VF_C_GET_CONFIG_SIZE, VHOST_VDPA_GET_CONFIG_SIZE,
			    v->config_size, 4, "the config size");
		break;
	case 4:
		vf_get_same(v, VF_C_GET_VQS_COUNT, VHOST_VDPA_GET_VQS_COUNT,
			    v->nvqs, 4, "the queue count");
		break;
	case 5:
		if (vf_ioctl(v, VF_C_GET_IOVA_RANGE, VHOST_VDPA_GET_IOVA_RANGE,
			     &r))
			vf_fail(v, "VHOST_VDPA_GET_IOVA_RANGE: %s",
				strerror(errno));
		if (r.first != v->range.first || r.last != v->range.last)
			vf_fail(v, "the IOVA range changed");
		break;
	case 6:
		vf_get_same(v, VF_C_GET_GROUP_NUM, VHOST_VDPA_GET_GROUP_NUM,
			    v->ngroups, 4, "the group count");
		break;
	default:
		vf_get_same(v, VF_C_GET_AS_NUM, VHOST_VDPA_GET_AS_NUM, v->nas,
			    sizeof(unsigned int), "the address space count");
		break;
	}
}

/* The per-queue gets; what they return for a real queue is bounded. */
static void vf_op_vq_get(struct vf *v)
{
	struct vhost_vring_state s = { .index = vf_vq_index(v) };
	unsigned int which = vf_below(v, 4);

	s.num = vf_rand(v);
	switch (which) {
	case 0:
		if (!vf_ioctl(v, VF_C_GET_VRING_GROUP,
			      VHOST_VDPA_GET_VRING_GROUP, &s) &&
		    s.num >= v->ngroups)
			vf_fail(v, "queue %u is in group %u of %u", s.index,
				s.num, v->ngroups);
		break;
	case 1:
		vf_ioctl(v, VF_C_GET_VRING_DESC_GROUP,
			 VHOST_VDPA_GET_VRING_DESC_GROUP, &s);
		break;
	case 2:
		if (!vf_ioctl(v, VF_C_GET_VRING_SIZE,
			      VHOST_VDPA_GET_VRING_SIZE, &s) &&
		    (!s.num || s.num > v->vq_num_max))
			vf_fail(v, "queue %u has size %u, the largest is %u",
				s.index, s.num, v->vq_num_max);
		break;
	default:
		vf_ioctl(v, VF_C_GET_VRING_BASE, VHOST_GET_VRING_BASE, &s);
		break;
	}
}

static void vf_op_group_asid(struct vf *v)
{
	struct vhost_vring_state s;

	s.index = vf_chance(v, 90) ? vf_below(v, v->ngroups + 1) : vf_wild(v);
	s.num = vf_chance(v, 90) ? vf_below(v, v->nas + 1) : vf_wild(v);
	vf_ioctl(v, VF_C_SET_GROUP_ASID, VHOST_VDPA_SET_GROUP_ASID, &s);
}

static void vf_op_status_random(struct vf *v)
{
	vf_set_status(v, vf_chance(v, 20) ? 0 : vf_rand(v));
}

static void vf_op_status_sequence(struct vf *v)
{
	vf_status_negotiate(v, vf_chance(v, 50));
	vf_status_go(v);
}

/* A power of two up to the largest queue, or anything. */
static uint32_t vf_vq_num(struct vf *v)
{
	unsigned int log = 0;

	if (vf_chance(v, 30))
		return vf_wild(v);
	while ((2U << log) <= v->vq_num_max)
		log++;
	return 1U << vf_below(v, log + 1);
}

static void vf_op_vring_num(struct vf *v)
{
	struct vhost_vring_state s = { .index = vf_vq_index(v) };

	s.num = vf_vq_num(v);
	vf_ioctl(v, VF_C_SET_VRING_NUM, VHOST_SET_VRING_NUM, &s);
}

/* Ring addresses in the pool's ring area, misaligned or anywhere. */
static void vf_op_vring_addr(struct vf *v)
{
	struct vhost_vring_addr a = { .index = vf_vq_index(v) };
	uint64_t ring = v->pool_iova +
			vf_below(v, VF_RING_AREA / VF_RING_SLOT) * VF_RING_SLOT;

	a.desc_user_addr = ring;
	a.avail_user_addr = ring + VF_RING_SLOT / 4;
	a.used_user_addr = ring + VF_RING_SLOT / 2;
	switch (vf_below(v, 8)) {
	case 0:
		a.desc_user_addr = vf_wild(v);
		a.avail_user_addr = vf_wild(v);
		a.used_user_addr = vf_wild(v);
		break;
	case 1:
		a.desc_user_addr += vf_below(v, 16);
		a.avail_user_addr += vf_below(v, 2);
		a.used_user_addr += vf_below(v, 4);
		break;
	case 2:
		a.flags = vf_wild(v);
		a.log_guest_addr = vf_wild(v);
		break;
	}
	vf_ioctl(v, VF_C_SET_VRING_ADDR, VHOST_SET_VRING_ADDR, &a);
}

static void vf_op_vring_base(struct vf *v)
{
	struct vhost_vring_state s = { .index = vf_vq_index(v) };

	s.num = vf_chance(v, 70) ? vf_below(v, 0x10000) : vf_wild(v);
	vf_ioctl(v, VF_C_SET_VRING_BASE, VHOST_SET_VRING_BASE, &s);
}

static void vf_op_vring_enable(struct vf *v)
{
	struct vhost_vring_state s = { .index = vf_vq_index(v) };
	unsigned int r = vf_below(v, 10);

	s.num = r < 7 ? 1 : r < 9 ? 0 : vf_wild(v);
	vf_ioctl(v, VF_C_SET_VRING_ENABLE, VHOST_VDPA_SET_VRING_ENABLE, &s);
}

/* A file descriptor that is no eventfd, or no file at all. */
static int vf_bogus_fd(struct vf *v)
{
	switch (vf_below(v, 8)) {
	case 0:
		return v->devnull;
	case 1:
		return v->pipe[vf_below(v, 2)];
	case 2:
		return v->fd;
	case 3:
		return 1000 + vf_below(v, 1000);
	case 4:
		return INT_MAX;
	case 5:
		return -2;
	case 6:
		return INT_MIN;
	}
	return vf_wild(v);
}

/*
 * A fresh eventfd in slot *fd; the device may still hold the old one,
 * which it must keep alive by itself.
 */
static void vf_renew_eventfd(struct vf *v, int *fd)
{
	int n = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

	if (n < 0)
		vf_fail(v, "eventfd: %s", strerror(errno));
	close(*fd);
	*fd = n;
}

/* A kick, call or config eventfd: ours, none, or a bogus one. */
static void vf_op_vring_fd(struct vf *v)
{
	struct vhost_vring_file f = { .index = vf_vq_index(v) };
	unsigned int which = vf_below(v, 3), r = vf_below(v, 100);
	int renew = vf_chance(v, 10);
	int *mine = which == 0 ? &v->kick[f.index % VF_MAX_VQS] :
		    which == 1 ? &v->call[f.index % VF_MAX_VQS] :
		    &v->config_call;

	if (renew)
		vf_renew_eventfd(v, mine);
	f.fd = r < 60 ? *mine : r < 75 ? VHOST_FILE_UNBIND : vf_bogus_fd(v);
	if (which == 0)
		vf_ioctl(v, VF_C_SET_VRING_KICK, VHOST_SET_VRING_KICK, &f);
	else if (which == 1)
		vf_ioctl(v, VF_C_SET_VRING_CALL, VHOST_SET_VRING_CALL, &f);
	else
		vf_ioctl(v, VF_C_SET_CONFIG_CALL, VHOST_VDPA_SET_CONFIG_CALL,
			 &f.fd);
}

/*
 * The config space at random offsets and lengths; a read inside it must
 * work. The argument is a struct vhost_vdpa_config with its buffer right
 * after it, in the scratch memory.
 */
static void vf_op_config(struct vf *v)
{
	struct vhost_vdpa_config *c = (struct vhost_vdpa_config *)v->scratch;
	size_t room = VF_SCRATCH - sizeof(*c);
	int get = vf_chance(v, 60), inside, err;
	unsigned int r = vf_below(v, 10);

	c->off = vf_chance(v, 70) ? vf_below(v, v->config_size + 2) :
		 (uint32_t)vf_wild(v);
	c->len = r < 6 ? 1 + vf_below(v, v->config_size + 2) :
		 r < 7 ? 0 : (uint32_t)vf_wild(v);
	inside = c->len && c->off <= v->config_size &&
		 c->len <= v->config_size - c->off;
	if (!get)
		vf_fill(v, c->buf, c->len < room ? c->len : room);
	if (get) {
		err = vf_ioctl(v, VF_C_GET_CONFIG, VHOST_VDPA_GET_CONFIG, c);
		if (inside && err)
			vf_fail(v, "config read of %u bytes at %u: %s", c->len,
				c->off, strerror(err));
	} else {
		vf_ioctl(v, VF_C_SET_CONFIG, VHOST_VDPA_SET_CONFIG, c);
	}
}

static void vf_op_suspend(struct vf *v)
{
	if (vf_chance(v, 50))
		vf_ioctl(v, VF_C_SUSPEND, VHOST_VDPA_SUSPEND, NULL);
	else
		vf_ioctl(v, VF_C_RESUME, VHOST_VDPA_RESUME, NULL);
}

/* An address no read or write of the kernel may get through. */
static void *vf_bad_ptr(struct vf *v)
{
	switch (vf_below(v, 5)) {
	case 0:
		return NULL;
	case 1:
		return (void *)0x1000UL;
	case 2:
		return v->decoy_none;
	case 3:
		return (void *)0xffff888000000000UL;
	}
	return (void *)0x8000000000000000UL;
}

/* Any request number of type VHOST_VIRTIO, random argument bytes. */
static void vf_op_random_ioctl(struct vf *v)
{
	static const unsigned int sizes[] = { 0, 1, 2, 4, 8, 12, 16, 24, 40 };
	unsigned int dir = vf_below(v, 4), nr, size, fill;
	unsigned long req;
	void *arg = v->scratch;

	nr = vf_chance(v, 50) ? vf_below(v, 0x90) : vf_below(v, 0x100);
	size = vf_chance(v, 60) ? sizes[vf_below(v, 9)] :
	       vf_below(v, 1U << _IOC_SIZEBITS);
	fill = size < 512 ? size : 512;
	vf_fill(v, v->scratch, fill);
	memset(v->scratch + fill, 0, size - fill);
	if (vf_chance(v, 10))
		arg = vf_bad_ptr(v);
	req = _IOC(dir, VHOST_VIRTIO, nr, size);
	vf_ioctl(v, VF_C_RANDOM_IOCTL, req, arg);
}

/* A known request with a pointer that cannot be followed: must fail. */
static void vf_op_bad_arg(struct vf *v)
{
	static const unsigned long reqs[] = {
		VHOST_GET_FEATURES, VHOST_SET_FEATURES,
		VHOST_GET_BACKEND_FEATURES, VHOST_SET_BACKEND_FEATURES,
		VHOST_VDPA_GET_DEVICE_ID, VHOST_VDPA_GET_STATUS,
		VHOST_VDPA_SET_STATUS, VHOST_VDPA_GET_CONFIG,
		VHOST_VDPA_SET_CONFIG, VHOST_VDPA_GET_VRING_NUM,
		VHOST_VDPA_GET_CONFIG_SIZE, VHOST_VDPA_GET_VQS_COUNT,
		VHOST_VDPA_GET_IOVA_RANGE, VHOST_VDPA_GET_GROUP_NUM,
		VHOST_VDPA_GET_AS_NUM, VHOST_VDPA_GET_VRING_GROUP,
		VHOST_VDPA_SET_GROUP_ASID, VHOST_SET_VRING_NUM,
		VHOST_SET_VRING_ADDR, VHOST_SET_VRING_BASE,
		VHOST_GET_VRING_BASE, VHOST_SET_VRING_KICK,
		VHOST_SET_VRING_CALL, VHOST_VDPA_SET_CONFIG_CALL,
		VHOST_VDPA_SET_VRING_ENABLE, VHOST_VDPA_GET_VRING_SIZE,
	};
	unsigned long req = reqs[vf_below(v, VF_ARRAY_SIZE(reqs))];
	void *arg = vf_bad_ptr(v);

	if (!vf_ioctl(v, VF_C_BAD_ARG, req, arg))
		vf_fail(v, "ioctl %#lx with argument %p worked", req, arg);
}

/*
 * Nothing is ever there to read: a non-blocking read says so, and poll
 * says the device can be written to and is not gone.
 */
static void vf_op_read(struct vf *v)
{
	struct pollfd p = { .fd = v->fd, .events = POLLIN | POLLOUT };
	int fl = fcntl(v->fd, F_GETFL), err;
	ssize_t n;

	if (fl < 0 || fcntl(v->fd, F_SETFL, fl | O_NONBLOCK))
		vf_fail(v, "fcntl: %s", strerror(errno));
	n = read(v->fd, v->scratch, 64);
	err = vf_count(v, VF_C_READ, n);
	if (n >= 0 || err != EAGAIN)
		vf_fail(v, "a non-blocking read returned %zd (%s)", n,
			n < 0 ? strerror(err) : "no error");
	if (fcntl(v->fd, F_SETFL, fl))
		vf_fail(v, "fcntl: %s", strerror(errno));
	if (poll(&p, 1, 0) != 1 || p.revents != (POLLOUT))
		vf_fail(v, "poll: revents %#x", p.revents);
}

struct vf_op {
	const char *name;
	void (*run)(struct vf *v);
	unsigned int weight;
};

static const struct vf_op vf_ops[] = {
	{ "reopen", vf_op_reopen, 1 },
	{ "owner", vf_op_owner, 3 },
	{ "features", vf_op_features, 4 },
	{ "backend", vf_op_backend, 3 },
	{ "info", vf_op_info, 4 },
	{ "vq-get", vf_op_vq_get, 3 },
	{ "group-asid", vf_op_group_asid, 2 },
	{ "status-random", vf_op_status_random, 3 },
	{ "status-sequence", vf_op_status_sequence, 3 },
	{ "vring-num", vf_op_vring_num, 3 },
	{ "vring-addr", vf_op_vring_addr, 3 },
	{ "vring-base", vf_op_vring_base, 3 },
	{ "vring-enable", vf_op_vring_enable, 3 },
	{ "vring-fd", vf_op_vring_fd, 4 },
	{ "config", vf_op_config, 3 },
	{ "suspend", vf_op_suspend, 2 },
	{ "random-ioctl", vf_op_random_ioctl, 3 },
	{ "bad-arg", vf_op_bad_arg, 2 },
	{ "read", vf_op_read, 1 },
	{ "iotlb-update", vf_op_iotlb_update, 10 },
	{ "iotlb-invalidate", vf_op_iotlb_invalidate, 6 },
	{ "iotlb-batch", vf_op_iotlb_batch, 3 },
	{ "iotlb-odd", vf_op_iotlb_odd, 3 },
	{ "map-pool", vf_op_map_pool, 3 },
	{ "mmap", vf_op_mmap, 2 },
	{ "log", vf_op_log, 2 },
	{ "ring", vf_op_ring, 4 },
	{ "kick", vf_op_kick, 5 },
	{ "scribble", vf_op_scribble, 2 },
};

#define VF_NOPS (VF_ARRAY_SIZE(vf_ops))

/* Run one operation, chosen by weight. */
void vf_op_run(struct vf *v)
{
	static unsigned int total;
	unsigned int i, r;

	if (!total)
		for (i = 0; i < VF_NOPS; i++)
			total += vf_ops[i].weight;
	r = vf_below(v, total);
	for (i = 0; r >= vf_ops[i].weight; i++)
		r -= vf_ops[i].weight;
	if (v->verbose > 1)
		fprintf(stderr, "vhost_fuzz: op %lu: %s\n", v->op,
			vf_ops[i].name);
	vf_ops[i].run(v);
}
