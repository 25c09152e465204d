// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa_sim core: device creation, the vDPA config operations, and the
 * work items that run a device type's datapath, one per lane.
 *
 * One rw_semaphore per device: the config operations take it for writing,
 * each lane's work function for reading, for a whole batch. A batch never
 * sees a queue, a map or the status change under it, an operation that
 * returns has its effect on the next batch, and the lanes of a device run
 * side by side. kick_vq only queues its lane's work, so it is fine in
 * atomic context. Reset and release cancel the work (never with the lock
 * held) before they touch the queues.
 */
#include <linux/module.h>
#include <linux/dma-mapping.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <uapi/linux/vhost_types.h>
#include <uapi/linux/virtio_config.h>

#include "sim_priv.h"

#define VDPASIM_VERSION		"0.3.0"
#define VDPASIM_VENDOR_ID	0

/* runs every device's work item; unbound, so a kick never waits for its CPU */
static struct workqueue_struct *vdpasim_wq;

static bool vdpasim_running(const struct vdpasim *vdpasim)
{
	u8 status = vdpasim->status;

	return (status & VIRTIO_CONFIG_S_DRIVER_OK) &&
	       (status & VIRTIO_CONFIG_S_FEATURES_OK) &&
	       !(status & VIRTIO_CONFIG_S_FAILED) && !vdpasim->suspended;
}

static void vdpasim_schedule_lane(struct vdpasim_lane *lane)
{
	queue_work(vdpasim_wq, &lane->work);
}

static void vdpasim_schedule_vq(struct vdpasim *vdpasim, u16 idx)
{
	vdpasim_schedule_lane(&vdpasim->lanes[vdpasim->vqs[idx].lane]);
}

/**
 * vdpasim_schedule - run the work function of every lane soon
 * @vdpasim: the device
 *
 * Any context. The work function only runs while the driver has the
 * device running and it is not suspended.
 */
void vdpasim_schedule(struct vdpasim *vdpasim)
{
	u16 i;

	for (i = 0; i < vdpasim->nlanes; i++)
		vdpasim_schedule_lane(&vdpasim->lanes[i]);
}
EXPORT_SYMBOL_GPL(vdpasim_schedule);

/* Wait for every lane's batch; none starts again while the device is stopped. */
static void vdpasim_cancel_work(struct vdpasim *vdpasim)
{
	u16 i;

	for (i = 0; vdpasim->lanes && i < vdpasim->nlanes; i++)
		cancel_work_sync(&vdpasim->lanes[i].work);
}

/**
 * _vdpasim_notify_config - call the config-change callback
 * @vdpasim: the device, lock held
 */
void _vdpasim_notify_config(struct vdpasim *vdpasim)
{
	lockdep_assert_held(&vdpasim->lock);
	if (vdpasim->config_cb.callback)
		vdpasim->config_cb.callback(vdpasim->config_cb.private);
}

/**
 * _vdpasim_config_changed - record a change of the config space
 * @vdpasim: the device, lock held (for reading only by the one lane that
 *	changes the config space)
 * @notify: also call the driver's config-change callback
 *
 * Bumps the generation counter, so a reader that raced with the change
 * reads again.
 */
void _vdpasim_config_changed(struct vdpasim *vdpasim, bool notify)
{
	lockdep_assert_held(&vdpasim->lock);
	vdpasim->generation++;
	if (notify)
		_vdpasim_notify_config(vdpasim);
}
EXPORT_SYMBOL_GPL(_vdpasim_config_changed);

/* Translate the lane's rings again wherever a queue or a map changed. */
static void _vdpasim_prepare_lane(struct vdpasim *vdpasim,
				  const struct vdpasim_lane *lane)
{
	struct vdpasim_virtqueue *vq;
	u16 i;

	for (i = lane->first_vq; i < lane->first_vq + lane->nvqs; i++) {
		vq = &vdpasim->vqs[i];
		if (vq->mapped && vq->map_gen == vdpasim->map_gen)
			continue;
		_vdpasim_vq_bind_as(vq);
		if (!vq->ready || vq->broken)
			continue;
		if (_vdpasim_vq_map_rings(vq))
			vdpasim_vq_fail(vq, "ring misaligned or outside the mapped memory");
	}
}

/*
 * One batch of a lane, lock held for reading; true if the lane should run
 * again (its budget ran out, new buffers raced in, or another context was
 * running it).
 */
static bool _vdpasim_run_lane(struct vdpasim *vdpasim,
			      struct vdpasim_lane *lane)
{
	bool again = false;

	if (test_and_set_bit_lock(0, &lane->busy))
		return true;
	if (vdpasim_running(vdpasim)) {
		_vdpasim_prepare_lane(vdpasim, lane);
		again = vdpasim->dev_attr.work_fn(vdpasim, lane->index);
	}
	clear_bit_unlock(0, &lane->busy);
	return again;
}

static void vdpasim_work(struct work_struct *work)
{
	struct vdpasim_lane *lane = container_of(work, struct vdpasim_lane,
						 work);
	struct vdpasim *vdpasim = lane->sim;
	bool again;

	down_read(&vdpasim->lock);
	again = _vdpasim_run_lane(vdpasim, lane);
	up_read(&vdpasim->lock);
	/* a new work item, so other work (and the scheduler) gets a turn */
	if (again)
		vdpasim_schedule_lane(lane);
}

static struct vdpasim_virtqueue *vdpasim_vdpa_vq(struct vdpa_device *vdpa,
						 u16 idx)
{
	return vdpasim_vq(vdpa_to_sim(vdpa), idx);
}

static u16 _vdpasim_vq_size(struct vdpasim *vdpasim, u16 idx)
{
	u16 max = vdpasim->dev_attr.vq_num_max;

	lockdep_assert_held(&vdpasim->lock);
	if (vdpasim->dev_attr.get_vq_size)
		return min(vdpasim->dev_attr.get_vq_size(vdpasim, idx), max);
	return max;
}

static void _vdpasim_do_reset(struct vdpasim *vdpasim)
{
	u32 i;

	lockdep_assert_held_write(&vdpasim->lock);
	vdpasim->status = 0;
	clear_bit(0, &vdpasim->needs_reset);
	vdpasim->features = 0;
	vdpasim->suspended = false;
	for (i = 0; i < vdpasim->dev_attr.nvqs; i++)
		_vdpasim_vq_reset(&vdpasim->vqs[i]);
	_vdpasim_as_reset_groups(vdpasim);
	if (vdpasim->dev_attr.reset)
		vdpasim->dev_attr.reset(vdpasim);
}

static void vdpasim_do_reset(struct vdpasim *vdpasim)
{
	/*
	 * Wait for a running batch first; a work item queued after this
	 * finds the device stopped once it gets the lock.
	 */
	vdpasim_cancel_work(vdpasim);
	down_write(&vdpasim->lock);
	_vdpasim_do_reset(vdpasim);
	up_write(&vdpasim->lock);
}

static int vdpasim_set_vq_address(struct vdpa_device *vdpa, u16 idx,
				  u64 desc_area, u64 driver_area,
				  u64 device_area)
{
	struct vdpasim_virtqueue *vq = vdpasim_vdpa_vq(vdpa, idx);

	if (!vq)
		return -EINVAL;
	down_write(&vq->sim->lock);
	vq->desc_addr = desc_area;
	vq->driver_addr = driver_area;
	vq->device_addr = device_area;
	vq->mapped = false;
	vq->stale = false;
	up_write(&vq->sim->lock);
	return 0;
}

static void vdpasim_set_vq_num(struct vdpa_device *vdpa, u16 idx, u32 num)
{
	struct vdpasim_virtqueue *vq = vdpasim_vdpa_vq(vdpa, idx);

	if (!vq)
		return;
	down_write(&vq->sim->lock);
	if (!is_power_of_2(num) || num > _vdpasim_vq_size(vq->sim, idx)) {
		dev_warn_ratelimited(&vdpa->dev, "vq %u: bad size %u\n",
				     idx, num);
		num = 0;
	}
	vq->num = num;
	vq->mapped = false;
	up_write(&vq->sim->lock);
}

/*
 * A kick queues the lane's work, except in virtio mode on a lane the
 * device type serves at once (@serve_in_kick): a driver that spins for the answer on the CPU
 * that kicked, as virtio_net before 6.5 does for its control queue (no
 * cond_resched, and with bottom halves off for rx mode changes), never
 * lets the work item run on a machine with one CPU: the kernel hung there
 * in virtnet_send_command. Not if a config operation holds the lock:
 * then the work item answers once it is done.
 */
static void vdpasim_kick_vq(struct vdpa_device *vdpa, u16 idx)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	struct vdpasim_lane *lane;
	bool again = true;

	if (idx >= vdpasim->dev_attr.nvqs)
		return;
	lane = &vdpasim->lanes[vdpasim->vqs[idx].lane];
	if (unlikely(lane->serve_in_kick) &&
	    vdpa_get_mode(vdpa) == VDPA_DEV_MODE_VIRTIO &&
	    down_read_trylock(&vdpasim->lock)) {
		again = _vdpasim_run_lane(vdpasim, lane);
		up_read(&vdpasim->lock);
	}
	if (again)
		vdpasim_schedule_lane(lane);
}

static void vdpasim_set_vq_cb(struct vdpa_device *vdpa, u16 idx,
			      struct vdpa_callback *cb)
{
	struct vdpasim_virtqueue *vq = vdpasim_vdpa_vq(vdpa, idx);

	if (!vq)
		return;
	down_write(&vq->sim->lock);
	if (cb)
		vq->cb = *cb;
	else
		memset(&vq->cb, 0, sizeof(vq->cb));
	up_write(&vq->sim->lock);
}

static void vdpasim_set_vq_ready(struct vdpa_device *vdpa, u16 idx,
				 bool ready)
{
	struct vdpasim_virtqueue *vq = vdpasim_vdpa_vq(vdpa, idx);
	bool run;

	if (!vq)
		return;
	down_write(&vq->sim->lock);
	if (ready && !vq->num) {
		dev_warn_ratelimited(&vdpa->dev,
				     "vq %u: not enabled without a valid size\n",
				     idx);
		ready = false;
	}
	vq->ready = ready;
	vq->mapped = false;
	run = ready && vdpasim_running(vq->sim);
	up_write(&vq->sim->lock);
	if (run)
		vdpasim_schedule_vq(vq->sim, idx);
}

static bool vdpasim_get_vq_ready(struct vdpa_device *vdpa, u16 idx)
{
	struct vdpasim_virtqueue *vq = vdpasim_vdpa_vq(vdpa, idx);
	bool ready;

	if (!vq)
		return false;
	down_write(&vq->sim->lock);
	ready = vq->ready;
	up_write(&vq->sim->lock);
	return ready;
}

static int vdpasim_set_vq_state(struct vdpa_device *vdpa, u16 idx,
				const struct vdpa_vq_state *state)
{
	struct vdpasim_virtqueue *vq = vdpasim_vdpa_vq(vdpa, idx);
	u16 avail = state->split.avail_index;
	int err = 0;

	if (!vq)
		return -EINVAL;
	down_write(&vq->sim->lock);
	if (vdpasim_running(vq->sim)) {
		err = -EBUSY;
	} else {
		/* everything before avail_index was used, as after suspend */
		vq->last_avail = avail;
		vq->stale = false;
		vq->avail_shadow = avail;
		vq->used_idx = avail;
		vq->used_published = avail;
		vq->stats_avail = avail;
	}
	up_write(&vq->sim->lock);
	return err;
}

static int vdpasim_get_vq_state(struct vdpa_device *vdpa, u16 idx,
				struct vdpa_vq_state *state)
{
	struct vdpasim_virtqueue *vq = vdpasim_vdpa_vq(vdpa, idx);

	if (!vq)
		return -EINVAL;
	down_write(&vq->sim->lock);
	state->split.avail_index = vq->stale ? vq->reset_avail : vq->last_avail;
	up_write(&vq->sim->lock);
	return 0;
}

static u16 vdpasim_get_vq_size(struct vdpa_device *vdpa, u16 idx)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	u16 size;

	down_write(&vdpasim->lock);
	size = _vdpasim_vq_size(vdpasim, idx);
	up_write(&vdpasim->lock);
	return size;
}

static u32 vdpasim_get_vq_group(struct vdpa_device *vdpa, u16 idx)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	u32 group;

	if (!vdpasim->dev_attr.get_vq_group)
		return 0;
	down_write(&vdpasim->lock);
	group = vdpasim->dev_attr.get_vq_group(vdpasim, idx);
	up_write(&vdpasim->lock);
	return group;
}

static int vdpasim_get_vendor_vq_stats(struct vdpa_device *vdpa, u16 idx,
				       struct sk_buff *msg,
				       struct netlink_ext_ack *extack)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	int err;

	if (!vdpasim->dev_attr.get_stats)
		return -EOPNOTSUPP;
	if (idx >= vdpasim->dev_attr.nvqs)
		return -EINVAL;
	down_write(&vdpasim->lock);
	err = vdpasim->dev_attr.get_stats(vdpasim, idx, msg, extack);
	up_write(&vdpasim->lock);
	return err;
}

static u32 vdpasim_get_vq_align(struct vdpa_device *vdpa)
{
	return PAGE_SIZE;
}

static u64 vdpasim_get_device_features(struct vdpa_device *vdpa)
{
	return vdpa_to_sim(vdpa)->dev_attr.supported_features;
}

static int vdpasim_set_driver_features(struct vdpa_device *vdpa, u64 features)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	int err = 0;

	down_write(&vdpasim->lock);
	if (vdpasim->status & VIRTIO_CONFIG_S_FEATURES_OK)
		err = -EBUSY;
	else
		vdpasim->features = features &
				    vdpasim->dev_attr.supported_features;
	up_write(&vdpasim->lock);
	return err;
}

static u64 vdpasim_get_driver_features(struct vdpa_device *vdpa)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	u64 features;

	down_write(&vdpasim->lock);
	features = vdpasim->features;
	up_write(&vdpasim->lock);
	return features;
}

static void vdpasim_set_config_cb(struct vdpa_device *vdpa,
				  struct vdpa_callback *cb)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);

	down_write(&vdpasim->lock);
	if (cb)
		vdpasim->config_cb = *cb;
	else
		memset(&vdpasim->config_cb, 0, sizeof(vdpasim->config_cb));
	up_write(&vdpasim->lock);
}

static u16 vdpasim_get_vq_num_max(struct vdpa_device *vdpa)
{
	return vdpa_to_sim(vdpa)->dev_attr.vq_num_max;
}

static u32 vdpasim_get_device_id(struct vdpa_device *vdpa)
{
	return vdpa_to_sim(vdpa)->dev_attr.id;
}

static u32 vdpasim_get_vendor_id(struct vdpa_device *vdpa)
{
	return VDPASIM_VENDOR_ID;
}

static u8 vdpasim_get_status(struct vdpa_device *vdpa)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	u8 status;

	down_write(&vdpasim->lock);
	status = vdpasim->status;
	if (test_bit(0, &vdpasim->needs_reset))
		status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	up_write(&vdpasim->lock);
	return status;
}

static bool _vdpasim_features_ok(struct vdpasim *vdpasim)
{
	u64 features = vdpasim->features;

	lockdep_assert_held(&vdpasim->lock);
	if (!(features & BIT_ULL(VIRTIO_F_VERSION_1)))
		return false;
	return !vdpasim->dev_attr.features_ok ||
	       vdpasim->dev_attr.features_ok(vdpasim, features);
}

static void vdpasim_set_status(struct vdpa_device *vdpa, u8 status)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	bool run;
	u8 old;

	if (!status) {
		vdpasim_do_reset(vdpasim);
		return;
	}
	down_write(&vdpasim->lock);
	old = vdpasim->status;
	/* a feature set the device refuses leaves FEATURES_OK clear */
	if ((status & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    !(old & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    !_vdpasim_features_ok(vdpasim))
		status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	/* only the device sets NEEDS_RESET (in needs_reset), a reset clears it */
	vdpasim->status = status & ~VIRTIO_CONFIG_S_NEEDS_RESET;
	run = vdpasim_running(vdpasim);
	up_write(&vdpasim->lock);
	if (run)
		vdpasim_schedule(vdpasim);
}

static int vdpasim_reset(struct vdpa_device *vdpa)
{
	vdpasim_do_reset(vdpa_to_sim(vdpa));
	return 0;
}

static int vdpasim_suspend(struct vdpa_device *vdpa)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);

	/* a batch holds the lock: none runs once we have it */
	down_write(&vdpasim->lock);
	vdpasim->suspended = true;
	up_write(&vdpasim->lock);
	return 0;
}

static int vdpasim_set_dirty_log(struct vdpa_device *vdpa,
				 struct vdpa_dirty_log *log)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);

	/* the lanes write memory with the lock held for reading */
	down_write(&vdpasim->lock);
	vdpasim->log = log;
	up_write(&vdpasim->lock);
	return 0;
}

static int vdpasim_resume(struct vdpa_device *vdpa)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	bool run;

	down_write(&vdpasim->lock);
	vdpasim->suspended = false;
	run = vdpasim_running(vdpasim);
	up_write(&vdpasim->lock);
	if (run)
		vdpasim_schedule(vdpasim);
	return 0;
}

/*
 * A queue enabled while the device runs is scheduled at once
 * (vdpasim_set_vq_ready): QEMU uses that to restore the control queue's
 * state on a migration's destination before the data queues start.
 */
static u64 vdpasim_get_backend_features(const struct vdpa_device *vdpa)
{
	return BIT_ULL(VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK);
}

static size_t vdpasim_get_config_size(struct vdpa_device *vdpa)
{
	return vdpa_to_sim(vdpa)->dev_attr.config_size;
}

static bool vdpasim_config_range_ok(struct vdpasim *vdpasim,
				    unsigned int offset, unsigned int len)
{
	size_t size = vdpasim->dev_attr.config_size;

	return offset <= size && len <= size - offset;
}

static void vdpasim_get_config(struct vdpa_device *vdpa, unsigned int offset,
			       void *buf, unsigned int len)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);

	if (!vdpasim_config_range_ok(vdpasim, offset, len))
		return;
	down_write(&vdpasim->lock);
	if (vdpasim->dev_attr.get_config)
		vdpasim->dev_attr.get_config(vdpasim, vdpasim->config);
	memcpy(buf, vdpasim->config + offset, len);
	up_write(&vdpasim->lock);
}

static void vdpasim_set_config(struct vdpa_device *vdpa, unsigned int offset,
			       const void *buf, unsigned int len)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);

	if (!vdpasim->dev_attr.set_config ||
	    !vdpasim_config_range_ok(vdpasim, offset, len))
		return;
	down_write(&vdpasim->lock);
	memcpy(vdpasim->config + offset, buf, len);
	vdpasim->dev_attr.set_config(vdpasim, vdpasim->config);
	up_write(&vdpasim->lock);
}

static u32 vdpasim_get_generation(struct vdpa_device *vdpa)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	u32 generation;

	down_write(&vdpasim->lock);
	generation = vdpasim->generation;
	up_write(&vdpasim->lock);
	return generation;
}

/* Safe for every state vdpasim_create() can leave behind. */
static void vdpasim_free(struct vdpa_device *vdpa)
{
	struct vdpasim *vdpasim = vdpa_to_sim(vdpa);
	u32 i;

	vdpasim_cancel_work(vdpasim);
	kfree(vdpasim->lanes);
	for (i = 0; vdpasim->vqs && i < vdpasim->dev_attr.nvqs; i++)
		kvfree(vdpasim->vqs[i].segs);
	kfree(vdpasim->vqs);
	vdpasim_as_free(vdpasim);
	kfree(vdpasim->config);
}

static const struct vdpa_config_ops vdpasim_config_ops = {
	.set_vq_address = vdpasim_set_vq_address,
	.set_vq_num = vdpasim_set_vq_num,
	.kick_vq = vdpasim_kick_vq,
	.set_vq_cb = vdpasim_set_vq_cb,
	.set_vq_ready = vdpasim_set_vq_ready,
	.get_vq_ready = vdpasim_get_vq_ready,
	.set_vq_state = vdpasim_set_vq_state,
	.get_vq_state = vdpasim_get_vq_state,
	.get_vq_size = vdpasim_get_vq_size,
	.get_vq_group = vdpasim_get_vq_group,
	.get_vendor_vq_stats = vdpasim_get_vendor_vq_stats,
	.get_vq_align = vdpasim_get_vq_align,
	.get_device_features = vdpasim_get_device_features,
	.set_driver_features = vdpasim_set_driver_features,
	.get_driver_features = vdpasim_get_driver_features,
	.set_config_cb = vdpasim_set_config_cb,
	.get_vq_num_max = vdpasim_get_vq_num_max,
	.get_device_id = vdpasim_get_device_id,
	.get_vendor_id = vdpasim_get_vendor_id,
	.get_status = vdpasim_get_status,
	.set_status = vdpasim_set_status,
	.reset = vdpasim_reset,
	.suspend = vdpasim_suspend,
	.resume = vdpasim_resume,
	.get_backend_features = vdpasim_get_backend_features,
	.get_config_size = vdpasim_get_config_size,
	.get_config = vdpasim_get_config,
	.set_config = vdpasim_set_config,
	.get_generation = vdpasim_get_generation,
	.get_iova_range = vdpasim_get_iova_range,
	.set_group_asid = vdpasim_set_group_asid,
	.set_map = vdpasim_set_map,
	.dma_map = vdpasim_dma_map,
	.dma_unmap = vdpasim_dma_unmap,
	.free = vdpasim_free,
};

/* what the suite's core adds to upstream's operations */
static const struct vdpa_ext_ops vdpasim_ext_ops = {
	.dma_batch_begin = vdpasim_dma_batch_begin,
	.dma_batch_commit = vdpasim_dma_batch_commit,
	.set_dirty_log = vdpasim_set_dirty_log,
};

static bool vdpasim_attr_ok(const struct vdpasim_dev_attr *attr)
{
	return attr->mgmt_dev && attr->mgmt_dev->device && attr->work_fn &&
	       attr->alloc_size >= sizeof(struct vdpasim) &&
	       attr->nvqs && attr->ngroups && attr->nas &&
	       is_power_of_2(attr->vq_num_max) &&
	       attr->vq_num_max <= VDPASIM_VQ_NUM_LIMIT &&
	       attr->vqs_per_lane <= attr->nvqs &&
	       (attr->supported_features & BIT_ULL(VIRTIO_F_VERSION_1));
}

static int vdpasim_alloc_vqs(struct vdpasim *vdpasim)
{
	const struct vdpasim_dev_attr *attr = &vdpasim->dev_attr;
	struct vdpasim_virtqueue *vq;
	u32 i;

	vdpasim->vqs = kcalloc(attr->nvqs, sizeof(*vdpasim->vqs), GFP_KERNEL);
	if (!vdpasim->vqs)
		return -ENOMEM;
	for (i = 0; i < attr->nvqs; i++) {
		vq = &vdpasim->vqs[i];
		vq->sim = vdpasim;
		vq->index = i;
		vq->lane = attr->vqs_per_lane ? i / attr->vqs_per_lane : 0;
		/* one buffer per descriptor, at most a queue's worth */
		vq->segs = kvcalloc(attr->vq_num_max, sizeof(*vq->segs),
				    GFP_KERNEL);
		if (!vq->segs)
			return -ENOMEM;
	}
	return 0;
}

static int vdpasim_alloc_lanes(struct vdpasim *vdpasim)
{
	u16 per = vdpasim->dev_attr.vqs_per_lane ?: vdpasim->dev_attr.nvqs;
	u16 nvqs = vdpasim->dev_attr.nvqs;
	struct vdpasim_lane *lane;
	u16 i;

	vdpasim->lanes = kcalloc(DIV_ROUND_UP(nvqs, per),
				 sizeof(*vdpasim->lanes), GFP_KERNEL);
	if (!vdpasim->lanes)
		return -ENOMEM;
	vdpasim->nlanes = DIV_ROUND_UP(nvqs, per);
	for (i = 0; i < vdpasim->nlanes; i++) {
		lane = &vdpasim->lanes[i];
		INIT_WORK(&lane->work, vdpasim_work);
		lane->sim = vdpasim;
		lane->index = i;
		lane->first_vq = i * per;
		lane->nvqs = min_t(u16, per, nvqs - i * per);
	}
	return 0;
}

static int vdpasim_setup_dma(struct vdpasim *vdpasim)
{
	struct device *dev = &vdpasim->vdpa.dev;

	/*
	 * virtio_vdpa maps with the DMA API on the vDPA device itself;
	 * without an IOMMU that is dma-direct, so DMA addresses are
	 * physical and identity translation reaches them.
	 */
	dev->dma_mask = &dev->coherent_dma_mask;
	vdpa_set_dma_dev(&vdpasim->vdpa, dev);
	return dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
}

/**
 * vdpasim_create - create a simulated vDPA device
 * @attr: what the device is; copied
 *
 * Allocates @attr->alloc_size bytes for the device type's structure,
 * which embeds struct vdpasim at offset 0, zeroed. The device type then
 * fills in its own fields and registers the device with
 * _vdpa_register_device(); on failure it drops the device with
 * put_device(&vdpasim->vdpa.dev), which frees everything.
 *
 * Return: the device, or an ERR_PTR.
 */
struct vdpasim *vdpasim_create(const struct vdpasim_dev_attr *attr)
{
	struct vdpa_device *vdpa;
	struct vdpasim *vdpasim;
	int err;

	if (!vdpasim_attr_ok(attr))
		return ERR_PTR(-EINVAL);
	vdpa = vdpa_alloc_device_size(attr->mgmt_dev->device,
				      &vdpasim_config_ops, NULL, attr->ngroups,
				      attr->nas, attr->alloc_size, attr->name,
				      false);
	if (IS_ERR(vdpa))
		return ERR_CAST(vdpa);
	/* from here on the free operation cleans up, whatever is set */
	vdpasim = vdpa_to_sim(vdpa);
	vdpasim->dev_attr = *attr;
	vdpasim->dev_attr.name = NULL;
	init_rwsem(&vdpasim->lock);

	err = vdpa_set_ext_ops(vdpa, &vdpasim_ext_ops);
	if (err)
		goto err_put;

	err = vdpasim_setup_dma(vdpasim);
	if (err)
		goto err_put;
	err = vdpasim_alloc_lanes(vdpasim);
	if (err)
		goto err_put;
	err = vdpasim_alloc_vqs(vdpasim);
	if (err)
		goto err_put;
	err = vdpasim_as_alloc(vdpasim);
	if (err)
		goto err_put;
	vdpasim->config = kzalloc(attr->config_size, GFP_KERNEL);
	if (!vdpasim->config) {
		err = -ENOMEM;
		goto err_put;
	}
	return vdpasim;

err_put:
	put_device(&vdpa->dev);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(vdpasim_create);

static int __init vdpasim_init(void)
{
	vdpasim_wq = alloc_workqueue("vdpa_sim", WQ_UNBOUND | WQ_SYSFS, 0);
	return vdpasim_wq ? 0 : -ENOMEM;
}

static void __exit vdpasim_exit(void)
{
	destroy_workqueue(vdpasim_wq);
}

module_init(vdpasim_init);
module_exit(vdpasim_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The vDPA suite developers");
MODULE_DESCRIPTION("vDPA device simulator core");
MODULE_VERSION(VDPASIM_VERSION);
