/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vdpa_sim: a device-type-agnostic vDPA device simulator.
 *
 * A device type (vdpa_sim_net, for one) describes its device in a
 * struct vdpasim_dev_attr and calls vdpasim_create(); the core implements
 * the vDPA config operations, the address spaces and split virtqueue
 * access, and runs the device type's work function whenever a queue is
 * kicked.
 *
 * Lanes: the queues are split into lanes of @vqs_per_lane consecutive
 * queues (a virtio-net queue pair, say), and each lane has its own work
 * item, so the lanes of one device run in parallel on different CPUs.
 *
 * Locking: everything in struct vdpasim after @lock is under @lock. The
 * config operations take it for writing; a lane's work function runs with
 * it held for reading for a whole batch. So a batch never sees a queue, a
 * map or the status change under it, and lanes never wait for each other:
 * a work function touches only its own lane's queues (and device-type
 * state no other lane touches) and never locks anything on its datapath.
 * The vdpasim_vq_*() and vdpasim_iter_*() functions are for the work
 * function only.
 */
#ifndef _VDPA_SIM_H
#define _VDPA_SIM_H

#include <linux/rwsem.h>
#include <linux/workqueue.h>
#include <linux/vdpa_ext.h>
#include <linux/vhost_iotlb.h>

/* The largest queue size a device type may ask for. */
#define VDPASIM_VQ_NUM_LIMIT	1024

struct vdpasim;
struct vdpasim_virtqueue;

/**
 * struct vdpasim_dev_attr - what a device type tells the core
 * @mgmt_dev: the management device creating the device; its device is
 *	the parent of the new vDPA device
 * @name: the device name, or NULL for "vdpaN"
 * @alloc_size: size of the device type's structure, which embeds
 *	struct vdpasim at offset 0
 * @supported_features: the virtio features the device offers; must
 *	include VIRTIO_F_VERSION_1
 * @config_size: size of the device config space
 * @id: the virtio device id
 * @nvqs: number of virtqueues
 * @ngroups: number of virtqueue groups (at least 1)
 * @nas: number of address spaces (at least 1)
 * @vq_num_max: the largest size of any queue, a power of two up to
 *	%VDPASIM_VQ_NUM_LIMIT
 * @vqs_per_lane: queue i belongs to lane i / @vqs_per_lane; 0 puts all
 *	queues in one lane
 * @get_vq_size: the largest size of one queue (a power of two, at most
 *	@vq_num_max); optional, else @vq_num_max
 * @get_vq_group: the group of a queue; optional, else group 0
 * @work_fn: the datapath of one lane; called with the lock held for
 *	reading when one of the lane's queues was kicked and the device
 *	runs, never concurrently for the same lane. Returns true to be
 *	called again soon (its budget ran out or new buffers raced in),
 *	false to wait for the next kick.
 * @get_config: fill the config space buffer before a read; optional
 * @set_config: take what the driver wrote into the config space buffer;
 *	optional, else config space writes are dropped
 * @features_ok: check the driver's features when it sets FEATURES_OK;
 *	optional
 * @reset: reset the device type's own state; optional
 * @get_stats: append a queue's vendor statistics to a netlink message;
 *	optional
 *
 * The other hooks are called with the lock held for writing, and only
 * once the device is
 * registered. The core frees everything it allocated when the device's
 * last reference goes; a device type must not allocate anything that
 * needs freeing beyond its @alloc_size structure.
 */
struct vdpasim_dev_attr {
	struct vdpa_mgmt_dev *mgmt_dev;
	const char *name;
	size_t alloc_size;
	u64 supported_features;
	size_t config_size;
	u32 id;
	u32 nvqs;
	u32 ngroups;
	u32 nas;
	u16 vq_num_max;
	u16 vqs_per_lane;

	u16 (*get_vq_size)(struct vdpasim *vdpasim, u16 idx);
	u32 (*get_vq_group)(struct vdpasim *vdpasim, u16 idx);
	bool (*work_fn)(struct vdpasim *vdpasim, u16 lane);
	void (*get_config)(struct vdpasim *vdpasim, void *config);
	void (*set_config)(struct vdpasim *vdpasim, const void *config);
	bool (*features_ok)(struct vdpasim *vdpasim, u64 features);
	void (*reset)(struct vdpasim *vdpasim);
	int (*get_stats)(struct vdpasim *vdpasim, u16 idx, struct sk_buff *msg,
			 struct netlink_ext_ack *extack);
};

struct vdpasim_as;

/**
 * struct vdpasim_lane - the queues one work item serves
 * @work: runs the device type's work function for the lane
 * @sim: the device
 * @index: the lane's number
 * @first_vq: its first queue
 * @nvqs: how many queues, consecutive from @first_vq
 * @busy: bit 0 set while a batch runs (the work item's, or one served in
 *	a kick), so that the two never run the same lane at once
 * @serve_in_kick: in virtio mode, a kick of the lane is served at once,
 *	in the kicker's context (which may be atomic), rather than by the
 *	work item: for a kernel driver that spins on the CPU for the
 *	answer. Set by the device type before it registers the device.
 */
struct vdpasim_lane {
	struct work_struct work;
	struct vdpasim *sim;
	u16 index;
	u16 first_vq;
	u16 nvqs;
	unsigned long busy;
	bool serve_in_kick;
} ____cacheline_aligned_in_smp;	/* kicks on other CPUs set the next lane's work */

/**
 * struct vdpasim - a simulated vDPA device
 * @vdpa: the vDPA device
 * @dev_attr: a copy of the attributes it was created with
 * @lanes: the lanes, each with its work item
 * @nlanes: how many
 * @needs_reset: bit 0 set once a queue failed; the status reads
 *	NEEDS_RESET from it (lanes set it concurrently, under the lock held
 *	for reading)
 * @lock: taken for writing by the config operations, for reading by the
 *	work functions
 * @vqs: the virtqueues
 * @as: the address spaces
 * @group_asid: the address space of each queue group
 * @config: the config space buffer
 * @config_cb: the config-change callback
 * @features: the features the driver accepted
 * @generation: config generation counter
 * @map_gen: bumped whenever a translation may have changed
 * @status: virtio device status
 * @suspended: stopped by the suspend operation
 * @log: where the device marks the memory it writes, or NULL
 */
struct vdpasim {
	struct vdpa_device vdpa;
	struct vdpasim_dev_attr dev_attr;
	struct vdpasim_lane *lanes;
	u16 nlanes;
	unsigned long needs_reset;
	struct rw_semaphore lock;	/* all the fields below, and the queues */
	struct vdpasim_virtqueue *vqs;
	struct vdpasim_as *as;
	u32 *group_asid;
	void *config;
	struct vdpa_callback config_cb;
	u64 features;
	u32 generation;
	u32 map_gen;
	u8 status;
	bool suspended;
	struct vdpa_dirty_log *log;
};

/**
 * struct vdpasim_seg - one descriptor's buffer, still in device addresses
 * @addr: its IOVA
 * @len: its length in bytes (never 0)
 */
struct vdpasim_seg {
	u64 addr;
	u32 len;
};

/**
 * struct vdpasim_chain - a descriptor chain taken from a queue
 * @seg: its buffers: @nout device-readable ones, then @nin
 *	device-writable ones; valid until the next vdpasim_vq_pop() on the
 *	same queue
 * @out_len: total bytes the device may read
 * @in_len: total bytes the device may write
 * @head: the head descriptor index, for vdpasim_vq_push()
 * @nout: number of device-readable buffers
 * @nin: number of device-writable buffers
 */
struct vdpasim_chain {
	const struct vdpasim_seg *seg;
	u32 out_len;
	u32 in_len;
	u16 head;
	u16 nout;
	u16 nin;
};

/**
 * struct vdpasim_iter - a cursor over one side of a chain
 * @vq: the queue the chain came from (its address space translates)
 * @seg: the buffers
 * @nseg: how many
 * @i: the current buffer
 * @off: offset into the current buffer
 * @perm: the access needed, VHOST_MAP_RO or VHOST_MAP_WO
 */
struct vdpasim_iter {
	struct vdpasim_virtqueue *vq;
	const struct vdpasim_seg *seg;
	u16 nseg;
	u16 i;
	u32 off;
	u32 perm;
};

/**
 * vdpasim_iter_init - start a cursor over a chain
 * @it: the cursor
 * @vq: the queue @chain came from
 * @chain: the chain
 * @in: the device-writable buffers if true, else the device-readable ones
 */
static inline void vdpasim_iter_init(struct vdpasim_iter *it,
				     struct vdpasim_virtqueue *vq,
				     const struct vdpasim_chain *chain, bool in)
{
	it->vq = vq;
	it->seg = in ? chain->seg + chain->nout : chain->seg;
	it->nseg = in ? chain->nin : chain->nout;
	it->i = 0;
	it->off = 0;
	it->perm = in ? VHOST_MAP_WO : VHOST_MAP_RO;
}

/**
 * vdpasim_has_feature - whether the driver accepted a feature
 * @vdpasim: the device
 * @bit: the feature bit
 *
 * The caller holds the lock.
 *
 * Return: true if accepted.
 */
static inline bool vdpasim_has_feature(const struct vdpasim *vdpasim,
				       unsigned int bit)
{
	return vdpasim->features & BIT_ULL(bit);
}

struct vdpasim *vdpasim_create(const struct vdpasim_dev_attr *attr);
void vdpasim_schedule(struct vdpasim *vdpasim);
void _vdpasim_config_changed(struct vdpasim *vdpasim, bool notify);

struct vdpasim_virtqueue *vdpasim_vq(struct vdpasim *vdpasim, u16 idx);
bool vdpasim_vq_live(const struct vdpasim_virtqueue *vq);
int vdpasim_vq_pop(struct vdpasim_virtqueue *vq, struct vdpasim_chain *chain);
void vdpasim_vq_unpop(struct vdpasim_virtqueue *vq, u16 n);
void vdpasim_vq_push(struct vdpasim_virtqueue *vq, u16 head, u32 len);
bool vdpasim_vq_flush(struct vdpasim_virtqueue *vq);
void vdpasim_vq_fail(struct vdpasim_virtqueue *vq, const char *why);
void vdpasim_vq_stats(const struct vdpasim_virtqueue *vq, u64 *received,
		      u64 *completed);

ssize_t vdpasim_iter_read(struct vdpasim_iter *it, void *buf, size_t len);
ssize_t vdpasim_iter_write(struct vdpasim_iter *it, const void *buf,
			   size_t len);
ssize_t vdpasim_iter_copy(struct vdpasim_iter *dst, struct vdpasim_iter *src,
			  size_t len);
size_t vdpasim_iter_skip(struct vdpasim_iter *it, size_t len);

#endif /* _VDPA_SIM_H */
