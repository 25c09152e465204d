// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_vdpa virtqueues: the vring ioctls, and the two eventfds of each
 * queue.
 *
 * Kick: the queue's wait entry sits on the kick eventfd's wait queue, as
 * an epoll entry would; a write to the eventfd wakes it up in the
 * writer's context, with the eventfd's wait queue lock held and interrupts
 * off, and the wakeup calls the parent's kick_vq directly (which the vDPA
 * API requires to be atomic-safe). Nothing is deferred, so there is no
 * worker thread. remove_wait_queue() takes the same lock, so once a kick
 * is stopped no wakeup is still running.
 *
 * Call: the parent calls the queue's callback when it used buffers, in
 * any context; the callback signals the call eventfd under cb_lock, which
 * also guards the pointer against SET_VRING_CALL. The eventfd also goes
 * to the parent as the callback's trigger, for parents that signal it
 * themselves; a replaced eventfd is put only after the parent was given
 * the new one. The config eventfd works the same way.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/log2.h>
#include <linux/nospec.h>
#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_ring.h>

#include "../compat/compat-eventfd.h"
#include "vhost_vdpa.h"

static struct vhost_vdpa_vq *vhost_vdpa_vq_lookup(struct vhost_vdpa *v,
						  u32 idx)
{
	if (idx >= v->nvqs)
		return NULL;
	return &v->vqs[array_index_nospec(idx, v->nvqs)];
}

static int vhost_vdpa_vq_kick_wake(wait_queue_entry_t *wait,
				   unsigned int mode, int sync, void *key)
{
	struct vhost_vdpa_vq *vq = container_of(wait, struct vhost_vdpa_vq,
						kick_wait);
	/* stopped before the device goes, so never NULL here */
	struct vdpa_device *vdpa = vq->v->vdpa;

	if (key_to_poll(key) & EPOLLIN)
		vdpa->config->kick_vq(vdpa, vq->index);
	return 0;
}

static void vhost_vdpa_vq_kick_queue(struct file *file,
				     wait_queue_head_t *wqh, poll_table *pt)
{
	struct vhost_vdpa_vq *vq = container_of(pt, struct vhost_vdpa_vq,
						kick_pt);

	vq->kick_wqh = wqh;
	add_wait_queue(wqh, &vq->kick_wait);
}

/**
 * vhost_vdpa_vq_init - initialize the virtqueues of a new device
 * @v: the device, with @vqs allocated and zeroed
 */
void vhost_vdpa_vq_init(struct vhost_vdpa *v)
{
	struct vhost_vdpa_vq *vq;
	u32 i;

	for (i = 0; i < v->nvqs; i++) {
		vq = &v->vqs[i];
		vq->v = v;
		vq->index = i;
		init_waitqueue_func_entry(&vq->kick_wait,
					  vhost_vdpa_vq_kick_wake);
		init_poll_funcptr(&vq->kick_pt, vhost_vdpa_vq_kick_queue);
	}
}

static void _vhost_vdpa_vq_kick_stop(struct vhost_vdpa_vq *vq)
{
	lockdep_assert_held(&vq->v->mutex);
	if (vq->kick_wqh) {
		remove_wait_queue(vq->kick_wqh, &vq->kick_wait);
		vq->kick_wqh = NULL;
	}
}

static void _vhost_vdpa_vq_kick_start(struct vhost_vdpa_vq *vq)
{
	struct vdpa_device *vdpa = vq->v->vdpa;

	lockdep_assert_held(&vq->v->mutex);
	/* a kick written before polling started is not lost */
	if (vfs_poll(vq->kick, &vq->kick_pt) & EPOLLIN)
		vdpa->config->kick_vq(vdpa, vq->index);
}

static long _vhost_vdpa_vq_set_kick(struct vhost_vdpa_vq *vq, int fd)
{
	struct file *file = NULL;

	if (fd != VHOST_FILE_UNBIND) {
		file = eventfd_fget(fd);
		if (IS_ERR(file))
			return PTR_ERR(file);
	}
	_vhost_vdpa_vq_kick_stop(vq);
	if (vq->kick)
		fput(vq->kick);
	vq->kick = file;
	if (file)
		_vhost_vdpa_vq_kick_start(vq);
	return 0;
}

/**
 * _vhost_vdpa_vq_stop_kicks - stop forwarding kicks of every queue
 * @v: the device, mutex held
 *
 * The kick eventfds stay set; nothing restarts them but SET_VRING_KICK.
 */
void _vhost_vdpa_vq_stop_kicks(struct vhost_vdpa *v)
{
	u32 i;

	for (i = 0; i < v->nvqs; i++)
		_vhost_vdpa_vq_kick_stop(&v->vqs[i]);
}

static void vhost_vdpa_vq_signal(struct vhost_vdpa *v,
				 struct eventfd_ctx *const *ctx)
{
	unsigned long flags;

	spin_lock_irqsave(&v->cb_lock, flags);
	if (*ctx)
		eventfd_signal(*ctx);
	spin_unlock_irqrestore(&v->cb_lock, flags);
}

static irqreturn_t vhost_vdpa_vq_call_cb(void *private)
{
	struct vhost_vdpa_vq *vq = private;

	vhost_vdpa_vq_signal(vq->v, &vq->call);
	return IRQ_HANDLED;
}

static irqreturn_t vhost_vdpa_vq_config_cb(void *private)
{
	struct vhost_vdpa *v = private;

	vhost_vdpa_vq_signal(v, &v->config_call);
	return IRQ_HANDLED;
}

/*
 * Point *slot at the eventfd @fd names, or at none for VHOST_FILE_UNBIND.
 * Returns the previous one (maybe NULL), for the caller to put once the
 * parent has the new one, or an ERR_PTR.
 */
static struct eventfd_ctx *_vhost_vdpa_vq_swap(struct vhost_vdpa *v,
					       struct eventfd_ctx **slot,
					       int fd)
{
	struct eventfd_ctx *ctx = NULL, *old;

	lockdep_assert_held(&v->mutex);
	if (fd != VHOST_FILE_UNBIND) {
		ctx = eventfd_ctx_fdget(fd);
		if (IS_ERR(ctx))
			return ctx;
	}
	spin_lock_irq(&v->cb_lock);
	old = *slot;
	*slot = ctx;
	spin_unlock_irq(&v->cb_lock);
	return old;
}

static void _vhost_vdpa_vq_wire(struct vhost_vdpa_vq *vq)
{
	struct vdpa_device *vdpa = vq->v->vdpa;
	struct vdpa_callback cb = {};

	if (vq->call) {
		cb.callback = vhost_vdpa_vq_call_cb;
		cb.private = vq;
		cb.trigger = vq->call;
	}
	vdpa->config->set_vq_cb(vdpa, vq->index, &cb);
}

static void _vhost_vdpa_vq_wire_config(struct vhost_vdpa *v)
{
	struct vdpa_callback cb = {};

	if (v->config_call) {
		cb.callback = vhost_vdpa_vq_config_cb;
		cb.private = v;
		cb.trigger = v->config_call;
	}
	v->vdpa->config->set_config_cb(v->vdpa, &cb);
}

static long _vhost_vdpa_vq_set_call(struct vhost_vdpa_vq *vq, int fd)
{
	struct eventfd_ctx *old = _vhost_vdpa_vq_swap(vq->v, &vq->call, fd);

	if (IS_ERR(old))
		return PTR_ERR(old);
	_vhost_vdpa_vq_wire(vq);
	if (old)
		eventfd_ctx_put(old);
	return 0;
}

/**
 * _vhost_vdpa_vq_set_config_call - VHOST_VDPA_SET_CONFIG_CALL
 * @v: the device, mutex held
 * @argp: the eventfd, or VHOST_FILE_UNBIND
 *
 * Return: 0 or a negative errno.
 */
long _vhost_vdpa_vq_set_config_call(struct vhost_vdpa *v, int __user *argp)
{
	struct eventfd_ctx *old;
	int fd;

	if (get_user(fd, argp))
		return -EFAULT;
	old = _vhost_vdpa_vq_swap(v, &v->config_call, fd);
	if (IS_ERR(old))
		return PTR_ERR(old);
	_vhost_vdpa_vq_wire_config(v);
	if (old)
		eventfd_ctx_put(old);
	return 0;
}

/**
 * _vhost_vdpa_vq_wire_all - give the parent every callback again
 * @v: the device, mutex held
 *
 * A device reset may drop the parent's callbacks while the eventfds stay
 * set, so they are given again whenever the driver sets DRIVER_OK.
 */
void _vhost_vdpa_vq_wire_all(struct vhost_vdpa *v)
{
	u32 i;

	lockdep_assert_held(&v->mutex);
	for (i = 0; i < v->nvqs; i++)
		_vhost_vdpa_vq_wire(&v->vqs[i]);
	_vhost_vdpa_vq_wire_config(v);
}

/**
 * _vhost_vdpa_vq_unwire_all - take every callback back from the parent
 * @v: the device, mutex held
 */
void _vhost_vdpa_vq_unwire_all(struct vhost_vdpa *v)
{
	struct vdpa_device *vdpa = v->vdpa;
	struct vdpa_callback none = {};
	u32 i;

	lockdep_assert_held(&v->mutex);
	for (i = 0; i < v->nvqs; i++)
		vdpa->config->set_vq_cb(vdpa, i, &none);
	vdpa->config->set_config_cb(vdpa, &none);
}

static void _vhost_vdpa_vq_unbind(struct vhost_vdpa *v,
				  struct eventfd_ctx **slot)
{
	struct eventfd_ctx *old = _vhost_vdpa_vq_swap(v, slot,
						      VHOST_FILE_UNBIND);

	if (old)
		eventfd_ctx_put(old);
}

/**
 * _vhost_vdpa_vq_put_eventfds - drop every eventfd
 * @v: the device, mutex held, kicks stopped and callbacks taken back
 */
void _vhost_vdpa_vq_put_eventfds(struct vhost_vdpa *v)
{
	struct vhost_vdpa_vq *vq;
	u32 i;

	lockdep_assert_held(&v->mutex);
	for (i = 0; i < v->nvqs; i++) {
		vq = &v->vqs[i];
		if (vq->kick)
			fput(vq->kick);
		vq->kick = NULL;
		_vhost_vdpa_vq_unbind(v, &vq->call);
	}
	_vhost_vdpa_vq_unbind(v, &v->config_call);
}

/*
 * Whether a queue's address and base may change now: before DRIVER_OK,
 * or while suspended (as upstream: a running device would read its
 * rings from under the change).
 */
static bool vhost_vdpa_vq_changeable(const struct vhost_vdpa *v)
{
	return v->suspended ||
	       !(v->vdpa->config->get_status(v->vdpa) &
		 VIRTIO_CONFIG_S_DRIVER_OK);
}

static bool vhost_vdpa_vq_packed(struct vdpa_device *vdpa)
{
	const struct vdpa_config_ops *ops = vdpa->config;

	return ops->get_driver_features &&
	       (ops->get_driver_features(vdpa) & BIT_ULL(VIRTIO_F_RING_PACKED));
}

/*
 * The base of a packed queue is two 16-bit halves, the next available
 * index and the next used one, each with its wrap counter in bit 15.
 */
static long vhost_vdpa_vq_set_base(struct vhost_vdpa_vq *vq, u32 num)
{
	struct vdpa_device *vdpa = vq->v->vdpa;
	struct vdpa_vq_state state = {};

	if (vhost_vdpa_vq_packed(vdpa)) {
		state.packed.last_avail_idx = num & 0x7fff;
		state.packed.last_avail_counter = !!(num & 0x8000);
		state.packed.last_used_idx = (num >> 16) & 0x7fff;
		state.packed.last_used_counter = !!(num & 0x80000000);
	} else {
		if (num > U16_MAX)
			return -EINVAL;
		state.split.avail_index = num;
	}
	return vdpa->config->set_vq_state(vdpa, vq->index, &state);
}

static long vhost_vdpa_vq_get_base(struct vhost_vdpa_vq *vq, u32 *num)
{
	struct vdpa_device *vdpa = vq->v->vdpa;
	struct vdpa_vq_state state = {};
	int err;

	err = vdpa->config->get_vq_state(vdpa, vq->index, &state);
	if (err)
		return err;
	if (vhost_vdpa_vq_packed(vdpa))
		*num = state.packed.last_avail_idx |
		       state.packed.last_avail_counter << 15 |
		       (u32)state.packed.last_used_idx << 16 |
		       (u32)state.packed.last_used_counter << 31;
	else
		*num = state.split.avail_index;
	return 0;
}

static long vhost_vdpa_vq_set_num(struct vhost_vdpa_vq *vq, u32 num)
{
	struct vdpa_device *vdpa = vq->v->vdpa;

	if (!num || !is_power_of_2(num) ||
	    num > vdpa_get_vq_size(vdpa, vq->index))
		return -EINVAL;
	vdpa->config->set_vq_num(vdpa, vq->index, num);
	return 0;
}

static long vhost_vdpa_vq_get_group(struct vhost_vdpa_vq *vq, u32 *num)
{
	struct vdpa_device *vdpa = vq->v->vdpa;

	/* without groups, every queue is in group 0 */
	*num = vdpa->config->get_vq_group ?
	       vdpa->config->get_vq_group(vdpa, vq->index) : 0;
	return *num < vdpa->ngroups ? 0 : -EIO;
}

/* The vring ioctl arguments all start with the queue index. */
static_assert(offsetof(struct vhost_vring_state, index) == 0 &&
	      offsetof(struct vhost_vring_file, index) == 0 &&
	      offsetof(struct vhost_vring_addr, index) == 0);

/* Copy in a vring ioctl's argument and find its queue, or an ERR_PTR. */
static struct vhost_vdpa_vq *vhost_vdpa_vq_arg(struct vhost_vdpa *v,
					       const void __user *argp,
					       void *arg, size_t size)
{
	struct vhost_vdpa_vq *vq;
	unsigned int index;

	if (copy_from_user(arg, argp, size))
		return ERR_PTR(-EFAULT);
	memcpy(&index, arg, sizeof(index));
	vq = vhost_vdpa_vq_lookup(v, index);
	return vq ? vq : ERR_PTR(-ENOBUFS);
}

/* The vring ioctls that take and return a struct vhost_vring_state. */
static long _vhost_vdpa_vq_state_ioctl(struct vhost_vdpa *v, unsigned int cmd,
				       struct vhost_vring_state __user *argp)
{
	struct vdpa_device *vdpa = v->vdpa;
	struct vhost_vring_state s;
	struct vhost_vdpa_vq *vq;
	long r;

	vq = vhost_vdpa_vq_arg(v, argp, &s, sizeof(s));
	if (IS_ERR(vq))
		return PTR_ERR(vq);
	switch (cmd) {
	case VHOST_SET_VRING_NUM:
		return vhost_vdpa_vq_set_num(vq, s.num);
	case VHOST_SET_VRING_BASE:
		if (!vhost_vdpa_vq_changeable(v))
			return -EINVAL;
		return vhost_vdpa_vq_set_base(vq, s.num);
	case VHOST_VDPA_SET_VRING_ENABLE:
		vdpa->config->set_vq_ready(vdpa, vq->index, !!s.num);
		return 0;
	case VHOST_GET_VRING_BASE:
		r = vhost_vdpa_vq_get_base(vq, &s.num);
		break;
	case VHOST_VDPA_GET_VRING_GROUP:
		r = vhost_vdpa_vq_get_group(vq, &s.num);
		break;
	case VHOST_VDPA_GET_VRING_SIZE:
		s.num = vdpa_get_vq_size(vdpa, vq->index);
		r = 0;
		break;
	default:
		/* VHOST_VDPA_GET_VRING_DESC_GROUP: DESC_ASID is not offered */
		return -EOPNOTSUPP;
	}
	if (!r && copy_to_user(argp, &s, sizeof(s)))
		r = -EFAULT;
	return r;
}

static long _vhost_vdpa_vq_file_ioctl(struct vhost_vdpa *v, unsigned int cmd,
				      struct vhost_vring_file __user *argp)
{
	struct vhost_vring_file f;
	struct vhost_vdpa_vq *vq;

	vq = vhost_vdpa_vq_arg(v, argp, &f, sizeof(f));
	if (IS_ERR(vq))
		return PTR_ERR(vq);
	if (cmd == VHOST_SET_VRING_KICK)
		return _vhost_vdpa_vq_set_kick(vq, f.fd);
	return _vhost_vdpa_vq_set_call(vq, f.fd);
}

/* The addresses are IOVAs in the address space of the queue's group. */
static long _vhost_vdpa_vq_set_addr(struct vhost_vdpa *v,
				    struct vhost_vring_addr __user *argp)
{
	struct vdpa_device *vdpa = v->vdpa;
	struct vhost_vring_addr a;
	struct vhost_vdpa_vq *vq;

	vq = vhost_vdpa_vq_arg(v, argp, &a, sizeof(a));
	if (IS_ERR(vq))
		return PTR_ERR(vq);
	/* used-ring logging goes with the rest (log.c) */
	if (a.flags & ~(1U << VHOST_VRING_F_LOG) ||
	    (a.flags && !vhost_vdpa_can_log(v)))
		return -EOPNOTSUPP;
	/* the same addresses again: a VMM switching logging (log.c) */
	if (vhost_vdpa_can_log(v) && vq->addr_set &&
	    a.desc_user_addr == vq->desc &&
	    a.avail_user_addr == vq->avail && a.used_user_addr == vq->used)
		return 0;
	if (!vhost_vdpa_vq_changeable(v))
		return -EINVAL;
	if (!IS_ALIGNED(a.desc_user_addr, VRING_DESC_ALIGN_SIZE) ||
	    !IS_ALIGNED(a.avail_user_addr, VRING_AVAIL_ALIGN_SIZE) ||
	    !IS_ALIGNED(a.used_user_addr, VRING_USED_ALIGN_SIZE))
		return -EINVAL;
	if (vdpa->config->set_vq_address(vdpa, vq->index, a.desc_user_addr,
					 a.avail_user_addr, a.used_user_addr))
		return -EINVAL;
	vq->desc = a.desc_user_addr;
	vq->avail = a.avail_user_addr;
	vq->used = a.used_user_addr;
	vq->addr_set = true;
	return 0;
}

static long _vhost_vdpa_vq_set_group_asid(struct vhost_vdpa *v,
					  struct vhost_vring_state __user *argp)
{
	struct vdpa_device *vdpa = v->vdpa;
	struct vhost_vring_state s;

	if (copy_from_user(&s, argp, sizeof(s)))
		return -EFAULT;
	if (s.index >= vdpa->ngroups || s.num >= vdpa->nas)
		return -EINVAL;
	if (!vdpa->config->set_group_asid)
		return -EOPNOTSUPP;
	return vdpa->config->set_group_asid(vdpa, s.index, s.num);
}

/**
 * _vhost_vdpa_vq_ioctl - the vring ioctls
 * @v: the device, mutex held, caller the owner
 * @cmd: the request
 * @argp: its argument
 *
 * Return: 0, a negative errno, or -ENOIOCTLCMD for a request that is not
 * a vring ioctl.
 */
long _vhost_vdpa_vq_ioctl(struct vhost_vdpa *v, unsigned int cmd,
			  void __user *argp)
{
	lockdep_assert_held(&v->mutex);
	switch (cmd) {
	case VHOST_SET_VRING_NUM:
	case VHOST_SET_VRING_BASE:
	case VHOST_GET_VRING_BASE:
	case VHOST_VDPA_SET_VRING_ENABLE:
	case VHOST_VDPA_GET_VRING_GROUP:
	case VHOST_VDPA_GET_VRING_DESC_GROUP:
	case VHOST_VDPA_GET_VRING_SIZE:
		return _vhost_vdpa_vq_state_ioctl(v, cmd, argp);
	case VHOST_SET_VRING_KICK:
	case VHOST_SET_VRING_CALL:
		return _vhost_vdpa_vq_file_ioctl(v, cmd, argp);
	case VHOST_SET_VRING_ADDR:
		return _vhost_vdpa_vq_set_addr(v, argp);
	case VHOST_VDPA_SET_GROUP_ASID:
		return _vhost_vdpa_vq_set_group_asid(v, argp);
	}
	return -ENOIOCTLCMD;
}
