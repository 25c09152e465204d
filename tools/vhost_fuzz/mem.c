// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_fuzz operations on memory: IOTLB messages (struct vhost_msg_v2
 * written to the device) for a pool of random bytes and for decoys
 * around it, hostile split rings written into the pool and run by the
 * device, and mappings of the device's doorbells.
 *
 * The pool sits at pool_iova in the IOVA space, at the same offsets as in
 * the process, so plausible messages map it piecewise, overlapping what
 * is mapped already, and cut through mappings when they invalidate. The
 * device may write wherever it was given write access: the pool and the
 * read-write decoy only, never the tool's own state.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/virtio_ring.h>

#include "vhost_fuzz.h"

#define VF_PAGE		4096UL
#define VF_POOL_PAGES	(VF_POOL_SIZE / VF_PAGE)
#define VF_HUGE		(2UL << 20)
#define VF_ALIGN(x, a)	(((x) + (a) - 1) & ~((uint64_t)(a) - 1))

static void *vf_map(size_t size, int prot, int flags, int fd)
{
	void *p = mmap(NULL, size, prot, flags, fd, 0);

	if (p == MAP_FAILED) {
		perror("vhost_fuzz: mmap");
		return NULL;
	}
	return p;
}

static int vf_eventfd(int *fd)
{
	*fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (*fd < 0)
		perror("vhost_fuzz: eventfd");
	return *fd < 0;
}

/* The pool, the decoys, the scratch memory and the file descriptors. */
int vf_mem_init(struct vf *v)
{
	int anon = MAP_PRIVATE | MAP_ANONYMOUS, shm, i;

	v->pool = vf_map(VF_POOL_SIZE, PROT_READ | PROT_WRITE,
			 anon | MAP_POPULATE, -1);
	v->decoy_rw = vf_map(VF_DECOY_SIZE, PROT_READ | PROT_WRITE, anon, -1);
	v->decoy_ro = vf_map(VF_DECOY_SIZE, PROT_READ, anon, -1);
	v->decoy_none = vf_map(VF_DECOY_SIZE, PROT_NONE, anon, -1);
	v->hole = vf_map(VF_DECOY_SIZE, PROT_NONE, anon, -1);
	v->scratch = vf_map(VF_SCRATCH, PROT_READ | PROT_WRITE, anon, -1);
	/*
	 * The log, with a PROT_NONE page after it: a log the device wants
	 * larger than VF_LOG_SIZE cannot be pinned, so it never marks bits
	 * in the fuzzer's other memory.
	 */
	v->log = vf_map(VF_LOG_SIZE + VF_PAGE, PROT_NONE, anon, -1);
	if (v->log && mprotect(v->log, VF_LOG_SIZE, PROT_READ | PROT_WRITE))
		v->log = NULL;
	shm = memfd_create("vhost_fuzz", MFD_CLOEXEC);
	if (shm < 0 || ftruncate(shm, VF_DECOY_SIZE)) {
		perror("vhost_fuzz: memfd");
		return -1;
	}
	v->decoy_shm = vf_map(VF_DECOY_SIZE, PROT_READ | PROT_WRITE,
			      MAP_SHARED, shm);
	close(shm);
	if (!v->pool || !v->decoy_rw || !v->decoy_ro || !v->decoy_none ||
	    !v->hole || !v->scratch || !v->decoy_shm || !v->log)
		return -1;
	/* an address range that was user memory and is no more */
	munmap(v->hole, VF_DECOY_SIZE);
	vf_fill(v, v->pool, VF_POOL_SIZE);
	for (i = 0; i < VF_MAX_VQS; i++)
		if (vf_eventfd(&v->kick[i]) || vf_eventfd(&v->call[i]))
			return -1;
	if (vf_eventfd(&v->config_call))
		return -1;
	v->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (v->devnull < 0 || pipe2(v->pipe, O_CLOEXEC)) {
		perror("vhost_fuzz: /dev/null or pipe");
		return -1;
	}
	return 0;
}

/*
 * Where the pool goes in the IOVA space: the first 2 MiB boundary of the
 * device's range past 0, the decoys 1 MiB after it.
 */
int vf_mem_place(struct vf *v)
{
	uint64_t first = v->range.first ? v->range.first : 1;
	uint64_t need = VF_POOL_SIZE + (1UL << 20) + 6 * VF_DECOY_SIZE;

	v->pool_iova = VF_ALIGN(first, VF_HUGE);
	v->decoy_iova = v->pool_iova + VF_POOL_SIZE + (1UL << 20);
	if (v->pool_iova < v->range.first || v->pool_iova > v->range.last ||
	    need - 1 > v->range.last - v->pool_iova) {
		fprintf(stderr, "vhost_fuzz: the IOVA range %#llx-%#llx is too small\n",
			(unsigned long long)v->range.first,
			(unsigned long long)v->range.last);
		return -1;
	}
	return 0;
}

/* An address space: mostly 0, sometimes another one, one too many, any. */
static uint32_t vf_asid(struct vf *v)
{
	unsigned int r = vf_below(v, 100);

	if (r < 60)
		return 0;
	if (r < 85)
		return vf_below(v, v->nas);
	if (r < 95)
		return v->nas;
	return vf_wild(v);
}

static uint8_t vf_perm(struct vf *v)
{
	static const uint8_t ok[] = {
		VHOST_ACCESS_RO, VHOST_ACCESS_WO, VHOST_ACCESS_RW,
		VHOST_ACCESS_RW,
	};

	return vf_chance(v, 80) ? ok[vf_below(v, 4)] : vf_below(v, 256);
}

/* After a successful UPDATE: the pinned pages stay within the limit. */
static void vf_check_limit(struct vf *v)
{
	unsigned long kib = vf_vmpin(v);

	if (kib * 1024 > v->memlock)
		vf_fail(v, "VmPin is %lu kB after an IOTLB update, RLIMIT_MEMLOCK is %lu kB",
			kib, v->memlock / 1024);
}

/*
 * Write @len bytes of a message (@len may be short or long: the scratch
 * memory past the message is random). A write that works consumes the
 * message and no more.
 */
static int vf_write_msg(struct vf *v, enum vf_call c,
			const struct vhost_msg_v2 *m, size_t len)
{
	size_t want = len < sizeof(*m) ? len : sizeof(*m);
	ssize_t n;
	int err;

	if (len > sizeof(*m)) {
		memcpy(v->scratch, m, sizeof(*m));
		vf_fill(v, v->scratch + sizeof(*m), len - sizeof(*m));
		m = (const struct vhost_msg_v2 *)v->scratch;
	}
	v->msgs++;
	n = write(v->fd, m, len);
	err = vf_count(v, c, n);
	if (n >= 0 && (size_t)n != want)
		vf_fail(v, "a write of %zu bytes returned %zd", len, n);
	if (!err && m->iotlb.type == VHOST_IOTLB_UPDATE)
		vf_check_limit(v);
	return err;
}

static int vf_send(struct vf *v, enum vf_call c, uint8_t type, uint32_t asid,
		   uint64_t iova, uint64_t size, uint64_t uaddr, uint8_t perm)
{
	struct vhost_msg_v2 m = {
		.type = VHOST_IOTLB_MSG_V2,
		.asid = asid,
		.iotlb = {
			.iova = iova,
			.size = size,
			.uaddr = uaddr,
			.perm = perm,
			.type = type,
		},
	};

	return vf_write_msg(v, c, &m, sizeof(m));
}

/*
 * A piece of the pool: *iova and *uaddr at the same offset, *size bytes,
 * mostly whole pages, mostly a few of them.
 */
static void vf_pool_piece(struct vf *v, __u64 *iova, __u64 *uaddr,
			  __u64 *size)
{
	uint64_t page = vf_below(v, VF_POOL_PAGES), max = VF_POOL_PAGES - page;
	uint64_t npages = 1 + vf_below(v, vf_chance(v, 80) && max > 64 ?
					       64 : max);
	uint64_t off = vf_chance(v, 80) ? 0 : vf_below(v, VF_PAGE);

	*iova = v->pool_iova + page * VF_PAGE + off;
	*uaddr = (uint64_t)(uintptr_t)v->pool + page * VF_PAGE + off;
	*size = npages * VF_PAGE - off;
	if (vf_chance(v, 10))
		*size = 1 + vf_below(v, *size);
}

/* One of the decoys, at its own IOVA. */
static void vf_decoy_piece(struct vf *v, __u64 *iova, __u64 *uaddr,
			   __u64 *size)
{
	uint8_t *decoys[] = {
		v->decoy_rw, v->decoy_ro, v->decoy_none, v->decoy_shm, v->hole,
		/* the tool's code: readable, not writable */
		(uint8_t *)((uintptr_t)vf_rand & ~(VF_PAGE - 1)),
	};
	unsigned int d = vf_below(v, 6);
	uint64_t page = vf_below(v, VF_DECOY_SIZE / VF_PAGE);

	*iova = v->decoy_iova + d * VF_DECOY_SIZE + page * VF_PAGE;
	*uaddr = (uint64_t)(uintptr_t)decoys[d] + page * VF_PAGE;
	*size = (1 + vf_below(v, 16)) * VF_PAGE;
	if (d == 5)
		*size = VF_PAGE;
}

/* User addresses the kernel must refuse to pin. */
static uint64_t vf_odd_uaddr(struct vf *v)
{
	static const uint64_t odd[] = {
		0, 0x1000, 0x7ffffffff000ULL, 0x800000000000ULL,
		0x8000000000000000ULL, 0xffff888000000000ULL,
		0xffffffff81000000ULL, 0xfffffffffffff000ULL,
	};

	return odd[vf_below(v, VF_ARRAY_SIZE(odd))];
}

void vf_op_iotlb_update(struct vf *v)
{
	__u64 iova, uaddr, size;
	unsigned int r = vf_below(v, 100);
	uint32_t asid = vf_asid(v);
	uint8_t perm = vf_perm(v);

	if (r < 55) {
		vf_pool_piece(v, &iova, &uaddr, &size);
	} else if (r < 75) {
		vf_decoy_piece(v, &iova, &uaddr, &size);
	} else if (r < 85) {
		vf_pool_piece(v, &iova, &uaddr, &size);
		uaddr = vf_odd_uaddr(v) + (iova & (VF_PAGE - 1));
	} else {
		vf_pool_piece(v, &iova, &uaddr, &size);
		iova = vf_chance(v, 50) ? vf_wild(v) : iova;
		size = vf_chance(v, 50) ? vf_wild(v) : size;
		uaddr = vf_chance(v, 20) ? vf_wild(v) : uaddr;
	}
	vf_send(v, VF_C_IOTLB_UPDATE, VHOST_IOTLB_UPDATE, asid, iova, size,
		uaddr, perm);
}

void vf_op_iotlb_invalidate(struct vf *v)
{
	__u64 iova, uaddr, size;
	unsigned int r = vf_below(v, 100);
	uint32_t asid = vf_asid(v);

	vf_pool_piece(v, &iova, &uaddr, &size);
	if (r < 50) {
		;
	} else if (r < 65) {
		iova = v->pool_iova;
		size = VF_POOL_SIZE;
	} else if (r < 75) {
		iova = v->decoy_iova;
		size = 6 * VF_DECOY_SIZE;
	} else if (r < 85) {
		iova = 0;
		size = ~0ULL;
	} else {
		iova = vf_wild(v);
		size = vf_wild(v);
	}
	uaddr = vf_chance(v, 90) ? 0 : uaddr;
	vf_send(v, VF_C_IOTLB_INVALIDATE, VHOST_IOTLB_INVALIDATE, asid, iova,
		size, uaddr, vf_perm(v));
}

void vf_op_iotlb_batch(struct vf *v)
{
	uint32_t asid = vf_asid(v);

	if (vf_chance(v, 50))
		vf_send(v, VF_C_IOTLB_BATCH_BEGIN, VHOST_IOTLB_BATCH_BEGIN,
			asid, 0, 0, 0, 0);
	else
		vf_send(v, VF_C_IOTLB_BATCH_END, VHOST_IOTLB_BATCH_END, asid,
			0, 0, 0, 0);
}

/* A pool UPDATE in two or three pieces of one writev(). */
static void vf_writev_update(struct vf *v)
{
	struct vhost_msg_v2 m = {
		.type = VHOST_IOTLB_MSG_V2,
		.iotlb.type = VHOST_IOTLB_UPDATE,
		.iotlb.perm = VHOST_ACCESS_RW,
	};
	size_t a = 1 + vf_below(v, sizeof(m) - 2);
	size_t b = a + vf_below(v, sizeof(m) - a);
	struct iovec iov[3] = {
		{ .iov_base = &m, .iov_len = a },
		{ .iov_base = (uint8_t *)&m + a, .iov_len = b - a },
		{ .iov_base = (uint8_t *)&m + b, .iov_len = sizeof(m) - b },
	};
	ssize_t n;
	int err;

	vf_pool_piece(v, &m.iotlb.iova, &m.iotlb.uaddr, &m.iotlb.size);
	v->msgs++;
	n = writev(v->fd, iov, 3);
	err = vf_count(v, VF_C_IOTLB_OTHER, n);
	if (n >= 0 && (size_t)n != sizeof(m))
		vf_fail(v, "a writev of %zu bytes returned %zd", sizeof(m), n);
	if (!err)
		vf_check_limit(v);
}

/*
 * Messages the device does not take: other types (MISS, ACCESS_FAIL,
 * anything), the v1 header, cut short, too long, from a bad buffer.
 */
void vf_op_iotlb_odd(struct vf *v)
{
	static const uint8_t types[] = {
		VHOST_IOTLB_MISS, VHOST_IOTLB_ACCESS_FAIL, 0, 7, 0xff,
	};
	struct vhost_msg_v2 m = { .type = VHOST_IOTLB_MSG_V2 };
	unsigned int r = vf_below(v, 8);
	ssize_t n;

	vf_pool_piece(v, &m.iotlb.iova, &m.iotlb.uaddr, &m.iotlb.size);
	m.asid = vf_asid(v);
	m.iotlb.perm = vf_perm(v);
	m.iotlb.type = vf_chance(v, 70) ? VHOST_IOTLB_UPDATE :
		       types[vf_below(v, 5)];
	switch (r) {
	case 0:
		m.iotlb.type = types[vf_below(v, 5)];
		vf_write_msg(v, VF_C_IOTLB_OTHER, &m, sizeof(m));
		break;
	case 1:
		m.type = vf_chance(v, 50) ? VHOST_IOTLB_MSG : vf_rand(v);
		vf_write_msg(v, VF_C_IOTLB_OTHER, &m, sizeof(m));
		break;
	case 2:
		vf_write_msg(v, VF_C_IOTLB_OTHER, &m, vf_below(v, sizeof(m)));
		break;
	case 3:
		vf_write_msg(v, VF_C_IOTLB_OTHER, &m,
			     sizeof(m) + 1 + vf_below(v, 4096));
		break;
	case 4:
		v->msgs++;
		n = write(v->fd, vf_chance(v, 50) ? NULL : v->decoy_none,
			  sizeof(m));
		if (!vf_count(v, VF_C_IOTLB_OTHER, n))
			vf_fail(v, "a write from a bad buffer worked");
		break;
	default:
		vf_writev_update(v);
		break;
	}
}

/*
 * The whole pool mapped read-write, in one to four pieces, in a batch
 * most of the time: what a driver does before it starts the device.
 */
void vf_op_map_pool(struct vf *v)
{
	int batch = vf_chance(v, 70);
	uint32_t asid = vf_chance(v, 85) ? 0 : vf_asid(v);
	unsigned int pieces = 1 + vf_below(v, 4), i;
	uint64_t per = VF_POOL_SIZE / pieces & ~(VF_PAGE - 1), at = 0, size;

	if (batch)
		vf_send(v, VF_C_IOTLB_BATCH_BEGIN, VHOST_IOTLB_BATCH_BEGIN, 0,
			0, 0, 0, 0);
	for (i = 0; i < pieces; i++, at += per) {
		size = i == pieces - 1 ? VF_POOL_SIZE - at : per;
		vf_send(v, VF_C_IOTLB_UPDATE, VHOST_IOTLB_UPDATE, asid,
			v->pool_iova + at, size,
			(uint64_t)(uintptr_t)v->pool + at, VHOST_ACCESS_RW);
	}
	if (batch)
		vf_send(v, VF_C_IOTLB_BATCH_END, VHOST_IOTLB_BATCH_END, 0, 0,
			0, 0, 0);
}

void vf_db_unmap_all(struct vf *v)
{
	int i;

	for (i = 0; i < VF_DB_MAX; i++) {
		if (v->db[i])
			munmap(v->db[i], v->db_len[i]);
		v->db[i] = NULL;
	}
}

/*
 * The doorbell area at random offsets, lengths and protections; a
 * writable mapping gets a write (a queue index, as a doorbell takes), and
 * stays until the slot is needed or the device is closed.
 */
void vf_op_mmap(struct vf *v)
{
	static const int prots[] = {
		PROT_WRITE, PROT_WRITE, PROT_WRITE, PROT_READ | PROT_WRITE,
		PROT_READ, PROT_NONE, PROT_WRITE | PROT_EXEC,
	};
	unsigned int slot = vf_below(v, VF_DB_MAX);
	size_t len = vf_chance(v, 70) ? VF_PAGE :
		     vf_chance(v, 50) ? VF_PAGE * (1 + vf_below(v, 4)) :
		     1 + vf_below(v, 3 * VF_PAGE);
	int prot = prots[vf_below(v, 7)];
	int flags = vf_chance(v, 85) ? MAP_SHARED : MAP_PRIVATE;
	off_t off = vf_chance(v, 80) ? (off_t)(vf_below(v, v->nvqs + 2) * VF_PAGE) :
		    (off_t)(vf_wild(v) & ~(VF_PAGE - 1));
	uint16_t q = vf_below(v, v->nvqs);
	void *p;

	if (v->db[slot])
		munmap(v->db[slot], v->db_len[slot]);
	v->db[slot] = NULL;
	v->mmaps++;
	p = mmap(NULL, len, prot, flags, v->fd, off);
	if (vf_count(v, VF_C_MMAP, p == MAP_FAILED ? -1 : 0))
		return;
	v->db[slot] = p;
	v->db_len[slot] = len;
	/* a doorbell is MMIO: one 16-bit store, not optimized away */
	if (prot & PROT_WRITE)
		*(volatile uint16_t *)p = q;
}

/* A descriptor's buffer: mostly in the pool's buffer area, or anywhere. */
static uint64_t vf_desc_addr(struct vf *v)
{
	unsigned int r = vf_below(v, 10);

	if (r < 7)
		return v->pool_iova + VF_RING_AREA +
		       vf_below(v, VF_POOL_SIZE - VF_RING_AREA);
	if (r < 8)
		return v->pool_iova + vf_below(v, VF_RING_AREA);
	if (r < 9)
		return v->decoy_iova + vf_below(v, 6 * VF_DECOY_SIZE);
	return vf_wild(v);
}

static uint32_t vf_desc_len(struct vf *v)
{
	unsigned int r = vf_below(v, 10);

	if (r < 6)
		return 1 + vf_below(v, 2048);
	if (r < 8)
		return vf_below(v, 65536);
	if (r < 9)
		return 0;
	return vf_wild(v);
}

static uint16_t vf_desc_flags(struct vf *v)
{
	static const uint16_t flags[] = {
		0, VRING_DESC_F_WRITE, 0, VRING_DESC_F_WRITE,
		VRING_DESC_F_NEXT, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE,
		VRING_DESC_F_INDIRECT,
		VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT,
		VRING_DESC_F_INDIRECT | VRING_DESC_F_WRITE,
	};

	if (vf_chance(v, 5))
		return vf_rand(v);
	return flags[vf_below(v, VF_ARRAY_SIZE(flags))];
}

/* A descriptor a driver could have written: a buffer inside the pool. */
static void vf_sane_desc(struct vf *v, struct vring_desc *d, int rx)
{
	d->addr = v->pool_iova + VF_RING_AREA +
		  vf_below(v, VF_POOL_SIZE - VF_RING_AREA - VF_PAGE);
	d->len = 64 + vf_below(v, 1985);
	d->flags = rx ? VRING_DESC_F_WRITE : 0;
	d->next = 0;
}

static void vf_hostile_desc(struct vf *v, struct vring_desc *d, uint32_t num)
{
	d->addr = vf_desc_addr(v);
	d->len = vf_desc_len(v);
	d->flags = vf_desc_flags(v);
	d->next = vf_chance(v, 80) ? vf_below(v, num ? num : 1) : vf_rand(v);
	if ((d->flags & VRING_DESC_F_INDIRECT) && vf_chance(v, 70))
		d->len &= ~15U;
}

/*
 * Split rings of @num entries at @ring in the pool, @hostile percent of
 * their entries random but plausible: descriptors into the pool (and
 * beyond), chains that loop or run off, indirect tables of random bytes,
 * ring entries past the ring. With none hostile, the available index is
 * at most a ring ahead of @base, else up to two. The sane ones keep the
 * datapath going deeper: frames of random bytes (virtio-net headers
 * included) looped from a transmit queue to a receive queue (@rx).
 */
static void vf_write_ring(struct vf *v, uint8_t *ring, uint32_t num,
			  uint16_t base, unsigned int hostile, int rx)
{
	struct vring_desc *desc = (struct vring_desc *)ring;
	struct vring_avail *avail =
		(struct vring_avail *)(ring + VF_RING_SLOT / 4);
	uint32_t n = num < 256 ? num : 256, i;

	for (i = 0; i < n; i++) {
		if (vf_chance(v, hostile))
			vf_hostile_desc(v, &desc[i], num);
		else
			vf_sane_desc(v, &desc[i], rx);
	}
	avail->flags = vf_below(v, 2);
	avail->idx = base + (hostile ? vf_below(v, 2 * n + 1) :
			     1 + vf_below(v, n));
	for (i = 0; i < n; i++)
		avail->ring[i] = !vf_chance(v, hostile) ? i :
				 vf_chance(v, 85) ? vf_below(v, num ? num : 1) :
				 vf_rand(v);
	/* used_event, after the ring */
	avail->ring[n] = vf_rand(v);
	if (hostile == 0 || vf_chance(v, 50))
		memset(ring + VF_RING_SLOT / 2, 0, VF_RING_SLOT / 4);
}

/* Wait up to 5 ms for the device to signal a call eventfd, and drain it. */
static void vf_wait_call(struct vf *v, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t got;

	if (poll(&p, 1, 5) < 0)
		vf_fail(v, "poll: %s", strerror(errno));
	if (read(fd, &got, sizeof(got)) < 0 && errno != EAGAIN)
		vf_fail(v, "eventfd read: %s", strerror(errno));
}

/*
 * Write queue @q's rings into ring slot @slot of the pool and give the
 * device the queue, as a driver does between FEATURES_OK and DRIVER_OK.
 */
static void vf_ring_program(struct vf *v, uint32_t q, uint32_t slot,
			    unsigned int hostile)
{
	uint64_t iova = v->pool_iova + slot * VF_RING_SLOT;
	uint32_t max = v->vq_num_max < 256 ? v->vq_num_max : 256;
	struct vhost_vring_state num = { .index = q, .num = 1 };
	struct vhost_vring_state base = { .index = q };
	struct vhost_vring_state on = { .index = q, .num = 1 };
	struct vhost_vring_addr addr = {
		.index = q,
		.desc_user_addr = iova,
		.avail_user_addr = iova + VF_RING_SLOT / 4,
		.used_user_addr = iova + VF_RING_SLOT / 2,
	};
	struct vhost_vring_file kick = {
		.index = q,
		.fd = v->kick[q % VF_MAX_VQS],
	};
	struct vhost_vring_file call = {
		.index = q,
		.fd = v->call[q % VF_MAX_VQS],
	};

	while (num.num * 2 <= max && vf_chance(v, 75))
		num.num *= 2;
	base.num = vf_chance(v, 70) ? 0 : vf_below(v, 0x10000);
	vf_write_ring(v, v->pool + slot * VF_RING_SLOT, num.num, base.num,
		      hostile, !(q & 1));
	vf_ioctl(v, VF_C_SET_VRING_NUM, VHOST_SET_VRING_NUM, &num);
	vf_ioctl(v, VF_C_SET_VRING_BASE, VHOST_SET_VRING_BASE, &base);
	vf_ioctl(v, VF_C_SET_VRING_ADDR, VHOST_SET_VRING_ADDR, &addr);
	vf_ioctl(v, VF_C_SET_VRING_KICK, VHOST_SET_VRING_KICK, &kick);
	vf_ioctl(v, VF_C_SET_VRING_CALL, VHOST_SET_VRING_CALL, &call);
	vf_ioctl(v, VF_C_SET_VRING_ENABLE, VHOST_VDPA_SET_VRING_ENABLE, &on);
}

static void vf_kick(struct vf *v, uint32_t q)
{
	uint64_t one = 1;

	if (write(v->kick[q % VF_MAX_VQS], &one, sizeof(one)) != sizeof(one))
		vf_fail(v, "eventfd write: %s", strerror(errno));
}

/* The used index of the rings in slot @slot, as the device last wrote it. */
static uint16_t vf_used_idx(struct vf *v, uint32_t slot)
{
	uint16_t *idx = (uint16_t *)(v->pool + slot * VF_RING_SLOT +
				     VF_RING_SLOT / 2 + 2);

	return __atomic_load_n(idx, __ATOMIC_ACQUIRE);
}

/*
 * A queue pair (or the control queue) on rings from sane to hostile:
 * programmed, started with DRIVER_OK and kicked, so that the device's
 * datapath walks them; then, half the time, a moment for it to do so.
 * Other queues keep what earlier operations gave them.
 */
void vf_op_ring(struct vf *v)
{
	static const unsigned int hostility[] = { 0, 0, 5, 30, 100, 100 };
	uint32_t q = vf_below(v, v->nvqs) & ~1U, slot = vf_below(v, 8) * 2;
	unsigned int hostile = hostility[vf_below(v, 6)], kicks, i;
	int pair = q + 1 < v->nvqs;
	uint16_t was[2];

	/* rings a driver could have written are in mapped memory */
	if (!hostile || vf_chance(v, 50))
		vf_op_map_pool(v);
	vf_status_negotiate(v, vf_chance(v, 60));
	for (i = 0; i <= (unsigned int)pair; i++) {
		vf_ring_program(v, q + i, slot + i, hostile);
		was[i] = vf_used_idx(v, slot + i);
	}
	vf_status_go(v);
	kicks = 1 + vf_below(v, 3);
	for (i = 0; i < kicks; i++)
		vf_kick(v, q + (pair && (i & 1) == 0));
	if (!vf_chance(v, 50))
		return;
	vf_wait_call(v, v->call[q % VF_MAX_VQS]);
	for (i = 0; i <= (unsigned int)pair; i++)
		if (vf_used_idx(v, slot + i) != was[i])
			v->used_moved++;
	vf_get_status(v);
}

/* Kick a queue through its eventfd; drain a call eventfd now and then. */
void vf_op_kick(struct vf *v)
{
	uint32_t q = vf_below(v, v->nvqs) % VF_MAX_VQS;
	uint64_t got;

	vf_kick(v, q);
	if (vf_chance(v, 30) &&
	    read(v->call[q], &got, sizeof(got)) < 0 && errno != EAGAIN)
		vf_fail(v, "eventfd read: %s", strerror(errno));
}

/* Random bytes over a piece of the pool, rings included, maybe in use. */
void vf_op_scribble(struct vf *v)
{
	uint64_t off = vf_below(v, VF_POOL_SIZE);
	uint64_t len = 1 + vf_below(v, 16384);

	if (len > VF_POOL_SIZE - off)
		len = VF_POOL_SIZE - off;
	vf_fill(v, v->pool + off, len);
}

/*
 * VHOST_SET_LOG_BASE (beyond upstream, on devices that can log): the log
 * buffer, at an odd offset into it, or an address that cannot be pinned.
 */
void vf_op_log(struct vf *v)
{
	uint64_t base;

	switch (vf_below(v, 5)) {
	case 0:
		base = (uintptr_t)v->log;
		break;
	case 1:
		base = (uintptr_t)v->log + vf_below(v, VF_LOG_SIZE);
		break;
	case 2:
		base = (uintptr_t)v->decoy_ro;
		break;
	case 3:
		base = (uintptr_t)v->hole;
		break;
	default:
		base = vf_wild(v);
	}
	vf_ioctl(v, VF_C_SET_LOG_BASE, VHOST_SET_LOG_BASE, &base);
}
