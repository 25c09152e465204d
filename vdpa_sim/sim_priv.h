/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vdpa_sim internals shared by its source files; device types see only
 * vdpa_sim.h.
 */
#ifndef _VDPA_SIM_PRIV_H
#define _VDPA_SIM_PRIV_H

#include "vdpa_sim.h"

/*
 * Split ring layout (virtio 1.x, little-endian). Descriptors are 16-byte
 * aligned, the driver area 2-byte and the device area 4-byte aligned.
 */
struct vdpasim_desc {
	__le64 addr;
	__le32 len;
	__le16 flags;
	__le16 next;
};

#define VDPASIM_DESC_ALIGN	16
#define VDPASIM_AVAIL_ALIGN	2
#define VDPASIM_USED_ALIGN	4

/* byte offsets into the driver (avail) and device (used) areas */
#define VDPASIM_AVAIL_FLAGS	0
#define VDPASIM_AVAIL_IDX	2
#define VDPASIM_AVAIL_RING(i)	(4 + 2 * (i))
#define VDPASIM_USED_IDX	2
#define VDPASIM_USED_RING(i)	(4 + 8 * (i))

/*
 * The most physically contiguous pieces one ring area may be made of: a
 * descriptor table of VDPASIM_VQ_NUM_LIMIT entries spans 4 pages, 5 when
 * it does not start on a page boundary.
 */
#define VDPASIM_AREA_RUNS	8

/**
 * struct vdpasim_run - a piece of a ring area contiguous in kernel memory
 * @va: kernel address of the piece
 * @start: its offset into the area
 * @end: the offset just past it
 */
struct vdpasim_run {
	u8 *va;
	u32 start;
	u32 end;
};

/**
 * struct vdpasim_area - a ring area translated to kernel addresses
 * @run: its pieces, in order, covering the whole area
 * @nruns: how many
 */
struct vdpasim_area {
	struct vdpasim_run run[VDPASIM_AREA_RUNS];
	unsigned int nruns;
};

/**
 * struct vdpasim_xlate_cache - the last IOTLB entry a queue used
 * @start: first IOVA it maps
 * @last: last IOVA it maps
 * @addr: physical address of @start
 * @perm: its VHOST_MAP_* permission
 * @valid: the entry may be used
 */
struct vdpasim_xlate_cache {
	u64 start;
	u64 last;
	u64 addr;
	u32 perm;
	bool valid;
};

/**
 * struct vdpasim_as - an address space
 * @iotlb: its map; NULL until a bus driver first sets one, which means
 *	identity translation for a device in virtio mode and no access at
 *	all for one in vhost mode. Between dma_batch_begin and
 *	dma_batch_commit it also holds the batch's new mappings, marked
 *	%VDPASIM_MAP_STAGED, which translation skips.
 * @unmaps: the ranges the open batch unmaps from the live map (each
 *	takes whole mappings, applied at the commit), else NULL
 * @staged: the ranges of the batch's staged mappings, else NULL
 */
struct vdpasim_as {
	struct vhost_iotlb *iotlb;
	struct vhost_iotlb *unmaps;
	struct vhost_iotlb *staged;
};

/* the mark of a mapping a batch added and has not committed yet */
#define VDPASIM_MAP_STAGED	BIT(31)

/**
 * struct vdpasim_virtqueue - one virtqueue (all fields under the lock:
 *	written by the config operations or by the queue's own lane)
 * @sim: its device
 * @index: its index
 * @lane: the lane whose work item serves it
 * @desc_addr: descriptor area IOVA, as the driver set it
 * @driver_addr: driver (avail) area IOVA
 * @device_addr: device (used) area IOVA
 * @num: queue size, 0 if the driver set an invalid one
 * @ready: enabled by the driver
 * @cb: used-buffer callback
 * @last_avail: the next avail ring entry the device takes
 * @avail_shadow: avail->idx as last read
 * @used_idx: the next used ring entry the device writes
 * @used_published: used->idx as last written
 * @stats_avail: @last_avail when the counters were last updated
 * @reset_avail: @last_avail when the device was last reset, reported by
 *	get_vq_state until the driver sets the queue up again
 * @stale: reset, and not set up since
 * @mapped: the rings are translated for @map_gen
 * @broken: stopped after the driver broke the ring protocol
 * @map_gen: the device's map_gen the translations are valid for
 * @ring_num: the queue size the rings were translated for
 * @desc: the translated descriptor table
 * @avail: the translated driver area
 * @used: the translated device area
 * @avail_idx_p: avail->idx
 * @avail_flags_p: avail->flags
 * @used_event_p: avail->used_event
 * @used_idx_p: used->idx
 * @avail_event_p: used->avail_event
 * @iotlb: the map of the queue's address space, or NULL
 * @identity: no map, and identity translation is allowed
 * @xc: the last IOTLB entry used for data
 * @segs: room for one chain's buffers (vq_num_max entries)
 * @received_desc: descriptor chains taken from the driver, ever
 * @completed_desc: descriptor chains given back to the driver, ever
 */
struct vdpasim_virtqueue {
	struct vdpasim *sim;
	u16 index;
	u16 lane;

	u64 desc_addr;
	u64 driver_addr;
	u64 device_addr;
	u32 num;
	bool ready;
	struct vdpa_callback cb;

	u16 last_avail;
	u16 avail_shadow;
	u16 used_idx;
	u16 used_published;
	u16 stats_avail;
	u16 reset_avail;
	bool stale;
	bool mapped;
	bool broken;
	u32 map_gen;
	u32 ring_num;
	struct vdpasim_area desc;
	struct vdpasim_area avail;
	struct vdpasim_area used;
	__le16 *avail_idx_p;
	__le16 *avail_flags_p;
	__le16 *used_event_p;
	__le16 *used_idx_p;
	__le16 *avail_event_p;
	struct vhost_iotlb *iotlb;
	bool identity;
	struct vdpasim_xlate_cache xc;
	struct vdpasim_seg *segs;

	u64 received_desc;
	u64 completed_desc;
} ____cacheline_aligned_in_smp;	/* lanes on other CPUs write the next queue */

static inline struct vdpasim *vdpa_to_sim(struct vdpa_device *vdpa)
{
	return container_of(vdpa, struct vdpasim, vdpa);
}

/* sim_core.c */
void _vdpasim_notify_config(struct vdpasim *vdpasim);

/* sim_dma.c */
int vdpasim_as_alloc(struct vdpasim *vdpasim);
void vdpasim_as_free(struct vdpasim *vdpasim);
void _vdpasim_as_reset_groups(struct vdpasim *vdpasim);
void _vdpasim_vq_bind_as(struct vdpasim_virtqueue *vq);
u64 vdpasim_xlate(struct vdpasim_virtqueue *vq, u64 iova, u64 len, u32 perm,
		  phys_addr_t *pa);
struct vdpa_iova_range vdpasim_get_iova_range(struct vdpa_device *vdpa);
int vdpasim_set_group_asid(struct vdpa_device *vdpa, unsigned int group,
			   unsigned int asid);
int vdpasim_set_map(struct vdpa_device *vdpa, unsigned int asid,
		    struct vhost_iotlb *iotlb);
int vdpasim_dma_map(struct vdpa_device *vdpa, unsigned int asid, u64 iova,
		    u64 size, u64 pa, u32 perm, void *opaque);
int vdpasim_dma_unmap(struct vdpa_device *vdpa, unsigned int asid, u64 iova,
		      u64 size);
int vdpasim_dma_batch_begin(struct vdpa_device *vdpa, unsigned int asid);
int vdpasim_dma_batch_commit(struct vdpa_device *vdpa, unsigned int asid);

/* sim_ring.c */
int _vdpasim_vq_map_rings(struct vdpasim_virtqueue *vq);
void _vdpasim_vq_reset(struct vdpasim_virtqueue *vq);

/*
 * Mark memory the device wrote at @iova in the dirty log, if one is set
 * (migration); the caller holds the device's lock.
 */
static inline void vdpasim_vq_log(struct vdpasim_virtqueue *vq, u64 iova,
				  u64 len)
{
	struct vdpa_dirty_log *log = vq->sim->log;

	if (unlikely(log))
		vdpa_log_write(log, iova, len);
}

#endif /* _VDPA_SIM_PRIV_H */
