/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhost_vdpa internals shared by its source files: main.c (the character
 * device, the device-wide ioctls, probe and remove), vq.c (virtqueue
 * ioctls, kick and call eventfds), iotlb.c (IOTLB messages, page
 * pinning, and the parent's DMA mapping) and log.c (dirty page logging).
 *
 * Locking: struct vhost_vdpa's @mutex protects everything in it but the
 * fields documented otherwise. A leading underscore means "caller holds
 * the mutex", checked with lockdep_assert_held(). The mutex nests outside
 * the owner's mmap_lock (page pinning and user copies take it with the
 * mutex held), so paths entered with mmap_lock held (mmap and page faults
 * on the doorbell mapping) never take the mutex: they use @db_lock.
 */
#ifndef _VHOST_VDPA_H
#define _VHOST_VDPA_H

/* first, so that the suite's complete uAPI wins over a kernel's older one */
#include <uapi/linux/vhost.h>

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/uio.h>
#include <linux/vdpa_ext.h>
#include <linux/vhost_iotlb.h>
#include <linux/wait.h>

struct vhost_vdpa;
struct vhost_vdpa_log;

/**
 * struct vhost_vdpa_vq - the vhost side of one virtqueue
 * @v: its device
 * @index: its index
 * @kick: the kick eventfd's file, polled while set
 * @kick_wqh: the wait queue @kick_wait is on, or NULL
 * @kick_wait: wakes up on a kick and forwards it to the parent
 * @kick_pt: puts @kick_wait on the eventfd's wait queue
 * @call: the call eventfd, or NULL; written under the mutex and
 *	@v->cb_lock, read under either
 * @desc: the descriptor area IOVA last set, if @addr_set
 * @avail: the driver area IOVA likewise
 * @used: the device area IOVA likewise
 * @addr_set: the addresses were set since the last reset
 */
struct vhost_vdpa_vq {
	struct vhost_vdpa *v;
	u16 index;
	struct file *kick;
	wait_queue_head_t *kick_wqh;
	wait_queue_entry_t kick_wait;
	poll_table kick_pt;
	struct eventfd_ctx *call;
	u64 desc;
	u64 avail;
	u64 used;
	bool addr_set;
};

/**
 * struct vhost_vdpa_as - one address space
 * @iotlb: what user space mapped in it: one entry per physically
 *	contiguous run of pinned pages, its opaque a struct vhost_vdpa_pin
 * @parent_batch: the parent's dma_batch_begin was called for it and its
 *	dma_batch_commit is due
 * @dirty: changed since the parent's set_map last saw it
 */
struct vhost_vdpa_as {
	struct vhost_iotlb *iotlb;
	bool parent_batch;
	bool dirty;
};

/**
 * struct vhost_vdpa - a vhost-vdpa character device
 * @dev: the character device's device, /dev/vhost-vdpa-@minor; its
 *	release frees this structure
 * @cdev: the character device; keeps @dev alive while a file has it open
 * @minor: the minor number, from vhost_vdpa_ida
 * @nvqs: number of virtqueues (the vDPA device's, kept for after removal)
 * @nas: number of address spaces (likewise)
 * @platform: the parent has neither dma_map nor set_map: mappings go to
 *	an IOMMU domain of its DMA device
 * @backend_offer: the backend features offered
 * @vqs: the virtqueues
 * @db_lock: taken for writing to clear @vdpa, for reading where the
 *	mutex cannot be taken (mmap and faults)
 * @vdpa: the vDPA device; NULL once removed. Written under the mutex and
 *	@db_lock, read under either
 * @wq: readers and pollers of the file wait here for removal
 * @cb_lock: the call eventfd pointers, for the parent's callbacks, which
 *	may run in interrupt context
 * @config_call: the config eventfd, or NULL; written under the mutex and
 *	@cb_lock, read under either
 * @mutex: everything from here on, and the virtqueues' kick fields
 * @opened: a file has the device open (one at a time)
 * @mapping: that file's address space, where doorbells are mapped
 * @mm: the owner's memory (VHOST_SET_OWNER), grabbed; pinned pages are
 *	charged to it
 * @backend_features: the backend features negotiated
 * @as: the address spaces, while open
 * @in_batch: between IOTLB BATCH_BEGIN and BATCH_END
 * @retired: pins (struct vhost_vdpa_pin) of mappings removed, to unpin
 *	once the parent no longer uses them
 * @parent_stale: the parent failed to drop a mapping: @retired stays
 *	pinned until teardown
 * @domain: the IOMMU domain of a @platform device, while open
 * @range: the IOVA range user space may map, while open
 * @log_all: the driver accepted VHOST_F_LOG_ALL (log.c)
 * @log_base_set: VHOST_SET_LOG_BASE gave @log_base
 * @log_base: the owner's address of the dirty log
 * @log: the log installed in the parent while logging is on, else NULL
 */
struct vhost_vdpa {
	struct device dev;
	struct cdev cdev;
	int minor;
	u32 nvqs;
	u32 nas;
	bool platform;
	u64 backend_offer;
	struct vhost_vdpa_vq *vqs;

	struct rw_semaphore db_lock;	/* @vdpa for mmap and faults */
	struct vdpa_device *vdpa;
	wait_queue_head_t wq;
	spinlock_t cb_lock;		/* the call eventfd pointers */
	struct eventfd_ctx *config_call;

	struct mutex mutex;		/* the rest, and the kick fields */
	bool opened;
	struct address_space *mapping;
	struct mm_struct *mm;
	u64 backend_features;
	struct vhost_vdpa_as *as;
	bool in_batch;
	bool suspended;			/* by VHOST_VDPA_SUSPEND, till reset */
	struct list_head retired;
	bool parent_stale;
	struct iommu_domain *domain;
	struct vdpa_iova_range range;
	bool log_all;
	bool log_base_set;
	u64 log_base;
	struct vhost_vdpa_log *log;
};

static inline bool vhost_vdpa_has_backend(const struct vhost_vdpa *v,
					  unsigned int bit)
{
	return v->backend_features & BIT_ULL(bit);
}

/* vq.c */
void vhost_vdpa_vq_init(struct vhost_vdpa *v);
long _vhost_vdpa_vq_ioctl(struct vhost_vdpa *v, unsigned int cmd,
			  void __user *argp);
long _vhost_vdpa_vq_set_config_call(struct vhost_vdpa *v, int __user *argp);
void _vhost_vdpa_vq_wire_all(struct vhost_vdpa *v);
void _vhost_vdpa_vq_unwire_all(struct vhost_vdpa *v);
void _vhost_vdpa_vq_stop_kicks(struct vhost_vdpa *v);
void _vhost_vdpa_vq_put_eventfds(struct vhost_vdpa *v);

/* iotlb.c */
int _vhost_vdpa_iotlb_open(struct vhost_vdpa *v);
void _vhost_vdpa_iotlb_unmap_all(struct vhost_vdpa *v);
void _vhost_vdpa_iotlb_detach(struct vhost_vdpa *v);
void _vhost_vdpa_iotlb_free(struct vhost_vdpa *v);
ssize_t _vhost_vdpa_iotlb_write(struct vhost_vdpa *v, struct iov_iter *from);
int vhost_vdpa_charge(struct vhost_vdpa *v, unsigned long npages);
void vhost_vdpa_uncharge(struct vhost_vdpa *v, unsigned long npages);

/* log.c */
bool vhost_vdpa_can_log(const struct vhost_vdpa *v);
bool vhost_vdpa_offers_log(const struct vhost_vdpa *v);
int _vhost_vdpa_log_switch(struct vhost_vdpa *v, bool on);
long _vhost_vdpa_log_set_base(struct vhost_vdpa *v, u64 __user *argp);
int _vhost_vdpa_log_cover(struct vhost_vdpa *v, u64 last, u32 perm);
void _vhost_vdpa_log_stop(struct vhost_vdpa *v, bool forget_base);

#endif /* _VHOST_VDPA_H */
