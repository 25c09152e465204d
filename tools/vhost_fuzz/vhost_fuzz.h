/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhost_fuzz: a seeded fuzzer of a /dev/vhost-vdpa-N device.
 *
 * vhost_fuzz.c  options, the PRNG, result counting, the watchdog, the
 *               pinned-memory checks, opening and closing the device
 * ops.c         the operations: the vhost and vhost-vdpa ioctls
 * mem.c         the operations on memory: IOTLB messages, the pool the
 *               device is given, hostile rings in it, doorbell mmaps
 *
 * Every choice comes from the PRNG, never from what the kernel answered,
 * so one seed is one sequence of operations and arguments.
 */
#ifndef VHOST_FUZZ_H
#define VHOST_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <linux/vhost.h>

/*
 * the memory the device is mostly given, filled with random bytes; small,
 * as every map of it pins each page (slow on a KASAN kernel)
 */
#define VF_POOL_SIZE	(2UL << 20)
/* its first part holds the rings, the rest the buffers they point to */
#define VF_RING_AREA	(1UL << 20)
#define VF_RING_SLOT	(64UL << 10)
/* RLIMIT_MEMLOCK: the pool fits twice, not three times */
#define VF_MEMLOCK	(4UL << 20)
/* decoy memory outside the pool, each this big */
#define VF_DECOY_SIZE	(256UL << 10)
/* the queues the tool keeps eventfds for; higher indexes share them */
#define VF_MAX_VQS	64
/* live doorbell mappings at most */
#define VF_DB_MAX	4
/* scratch memory for ioctl arguments: more than _IOC_SIZE's 16 KiB */
#define VF_SCRATCH	(64UL << 10)
/* a dirty log (beyond upstream: VHOST_F_LOG_ALL) for 8 GiB of IOVA */
#define VF_LOG_SIZE	(256UL << 10)
/* seconds one operation may take */
#define VF_WATCHDOG	10
/* errno values counted one by one; higher ones share the last slot */
#define VF_ERRNO_MAX	160

#define VF_BIT(b)	(1ULL << (b))
#define VF_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Every call whose results are counted, by name. */
#define VF_CALLS(X)							\
	X(OPEN) X(SET_OWNER) X(RESET_OWNER)				\
	X(GET_FEATURES) X(SET_FEATURES)					\
	X(GET_BACKEND_FEATURES) X(SET_BACKEND_FEATURES)			\
	X(GET_DEVICE_ID) X(GET_STATUS) X(SET_STATUS) X(GET_VRING_NUM)	\
	X(GET_CONFIG_SIZE) X(GET_VQS_COUNT) X(GET_IOVA_RANGE)		\
	X(GET_GROUP_NUM) X(GET_AS_NUM) X(GET_VRING_GROUP)		\
	X(GET_VRING_DESC_GROUP) X(GET_VRING_SIZE) X(SET_GROUP_ASID)	\
	X(SET_VRING_NUM) X(SET_VRING_ADDR) X(SET_VRING_BASE)		\
	X(GET_VRING_BASE) X(SET_VRING_KICK) X(SET_VRING_CALL)		\
	X(SET_CONFIG_CALL) X(SET_VRING_ENABLE) X(GET_CONFIG)		\
	X(SET_CONFIG) X(SUSPEND) X(RESUME) X(RANDOM_IOCTL) X(BAD_ARG)	\
	X(IOTLB_UPDATE) X(IOTLB_INVALIDATE) X(IOTLB_BATCH_BEGIN)	\
	X(IOTLB_BATCH_END) X(IOTLB_OTHER) X(READ) X(MMAP) X(SET_LOG_BASE)

#define VF_ENUM(name)	VF_C_##name,
enum vf_call { VF_CALLS(VF_ENUM) VF_NCALLS };
#undef VF_ENUM

struct vf {
	/* options */
	const char *path;
	uint64_t seed;
	unsigned long count;
	int verbose;
	/* the PRNG */
	uint64_t rng;
	/* the operation running, from 0 */
	unsigned long op;

	int fd;
	/* the device, as the first open found it: must never change */
	uint32_t device_id;
	uint32_t nvqs;
	uint32_t ngroups;
	uint32_t nas;
	uint32_t config_size;
	uint16_t vq_num_max;
	uint64_t dev_features;
	uint64_t backend_offer;
	struct vhost_vdpa_iova_range range;

	/* memory */
	uint8_t *pool;
	uint64_t pool_iova;
	uint64_t decoy_iova;
	uint8_t *decoy_rw;	/* read-write, the device may scribble on it */
	uint8_t *decoy_ro;	/* read-only */
	uint8_t *decoy_none;	/* PROT_NONE */
	uint8_t *decoy_shm;	/* a shared memfd */
	uint8_t *hole;		/* unmapped */
	uint8_t *scratch;
	uint8_t *log;		/* VF_LOG_SIZE for a dirty log, then PROT_NONE */
	unsigned long memlock;	/* RLIMIT_MEMLOCK in effect */

	/* file descriptors the device is given */
	int kick[VF_MAX_VQS];
	int call[VF_MAX_VQS];
	int config_call;
	int devnull;
	int pipe[2];

	void *db[VF_DB_MAX];
	size_t db_len[VF_DB_MAX];

	/* counters */
	unsigned long ioctls, msgs, mmaps, reopens;
	/*
	 * times DRIVER_OK was set, the device asked for a reset, and the used
	 * index of a fuzzed ring moved while the tool waited
	 */
	unsigned long started, needs_reset, used_moved;
	unsigned long res[VF_NCALLS][VF_ERRNO_MAX];
};

/* vhost_fuzz.c */
uint64_t vf_rand(struct vf *v);
uint64_t vf_below(struct vf *v, uint64_t n);
int vf_chance(struct vf *v, unsigned int percent);
uint64_t vf_wild(struct vf *v);
void vf_fill(struct vf *v, void *p, size_t len);
int vf_count(struct vf *v, enum vf_call c, long ret);
int vf_ioctl(struct vf *v, enum vf_call c, unsigned long req, void *arg);
__attribute__((noreturn, format(printf, 2, 3)))
void vf_fail(struct vf *v, const char *fmt, ...);
unsigned long vf_vmpin(struct vf *v);
void vf_check_unpinned(struct vf *v, const char *after);
void vf_reopen(struct vf *v);

/* ops.c */
void vf_op_run(struct vf *v);
void vf_status_negotiate(struct vf *v, int reset);
void vf_status_go(struct vf *v);
void vf_get_status(struct vf *v);
uint64_t vf_valid_features(struct vf *v);

/* mem.c */
int vf_mem_init(struct vf *v);
int vf_mem_place(struct vf *v);
void vf_db_unmap_all(struct vf *v);
void vf_op_iotlb_update(struct vf *v);
void vf_op_iotlb_invalidate(struct vf *v);
void vf_op_iotlb_batch(struct vf *v);
void vf_op_iotlb_odd(struct vf *v);
void vf_op_map_pool(struct vf *v);
void vf_op_mmap(struct vf *v);
void vf_op_log(struct vf *v);
void vf_op_ring(struct vf *v);
void vf_op_kick(struct vf *v);
void vf_op_scribble(struct vf *v);

#endif /* VHOST_FUZZ_H */
