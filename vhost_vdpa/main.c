// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_vdpa: the bus driver of vDPA devices in vhost mode. Each device
 * gets a character device, /dev/vhost-vdpa-N (mode 0600 root by default;
 * in sysfs a child of the vdpa device, /sys/bus/vdpa/devices/NAME/
 * vhost-vdpa-N, with no class, exactly where upstream puts it, since
 * management tools look for it there), that speaks upstream's vhost-vdpa uAPI: the vhost
 * and vhost-vdpa ioctls, IOTLB messages written to the file, and the
 * queues' doorbells mapped from it. Upstream's drivers/vhost/vdpa.c is the
 * behavioural reference; the vhost core it builds on is kernel-private,
 * so the little vhost state this needs is kept here.
 *
 * Lifecycle of the file:
 *  - open: one opener at a time (EBUSY for another). Resets the device,
 *    sets up an empty map per address space (and an IOMMU domain for a
 *    parent behind the platform IOMMU).
 *  - VHOST_SET_OWNER makes the calling process the owner; the vring
 *    ioctls, VHOST_RESET_OWNER and IOTLB messages are the owner's only
 *    (EPERM for anyone else, as upstream). Feature, status and config
 *    ioctls work for whoever holds the file, as upstream.
 *  - The virtio status follows the driver's writes: bits may only be
 *    added, except by writing 0, which resets the device (queue state
 *    goes; eventfds, mappings and the owner stay). The queues' callbacks
 *    are given to the parent again when DRIVER_OK is set.
 *  - VHOST_RESET_OWNER, and release (last close, or the owner's exit),
 *    stop the kicks, reset the device, take the callbacks back, unmap
 *    and unpin everything and drop the eventfds.
 *
 * Removal: remove() does not wait for the file to be closed. It takes the
 * device away from an open file as release would, zaps the doorbell
 * mappings and marks the file dead: every later operation on it fails
 * with ENODEV (a doorbell access with SIGBUS, poll reports EPOLLHUP). The
 * structure lives on, reference-counted through its character device,
 * until the file is closed.
 *
 * Locking is described in vhost_vdpa.h.
 */
#include <linux/module.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <uapi/linux/virtio_config.h>

#include "../compat/compat-mm.h"
#include "vhost_vdpa.h"

#define VHOST_VDPA_VERSION	"0.3.0"
#define VHOST_VDPA_DEV_MAX	BIT(MINORBITS)

static DEFINE_IDA(vhost_vdpa_ida);
static dev_t vhost_vdpa_devt;

static bool vhost_vdpa_is_owner(const struct vhost_vdpa *v)
{
	return v->mm && v->mm == current->mm;
}

static size_t vhost_vdpa_config_size(struct vdpa_device *vdpa)
{
	const struct vdpa_config_ops *ops = vdpa->config;

	return ops->get_config_size ? ops->get_config_size(vdpa) : 0;
}

/* A device reset; a reset device is not suspended. */
static int _vhost_vdpa_reset(struct vhost_vdpa *v)
{
	u32 i;

	lockdep_assert_held(&v->mutex);
	v->suspended = false;
	for (i = 0; i < v->nvqs; i++)
		v->vqs[i].addr_set = false;
	/* the features, VHOST_F_LOG_ALL with them, are negotiated again */
	_vhost_vdpa_log_stop(v, false);
	return vdpa_reset(v->vdpa, 0);
}

/* Make the device forget everything user space gave it. */
static void _vhost_vdpa_quiesce(struct vhost_vdpa *v)
{
	lockdep_assert_held(&v->mutex);
	_vhost_vdpa_vq_stop_kicks(v);
	_vhost_vdpa_reset(v);
	_vhost_vdpa_vq_unwire_all(v);
	_vhost_vdpa_iotlb_unmap_all(v);
}

/*
 * A user-address parent bound to the owner's address space lets go of it:
 * when the owner goes, or when the device is removed under an open file
 * (v->vdpa is NULL after that, and the parent is gone).
 */
static void _vhost_vdpa_unbind_mm(struct vhost_vdpa *v)
{
	lockdep_assert_held(&v->mutex);
	if (v->mm && v->vdpa && v->vdpa->use_va && v->vdpa->config->unbind_mm)
		v->vdpa->config->unbind_mm(v->vdpa);
}

/* Drop what the owner gave that lives on after the device is quiesced. */
static void _vhost_vdpa_disown(struct vhost_vdpa *v)
{
	lockdep_assert_held(&v->mutex);
	_vhost_vdpa_vq_put_eventfds(v);
	_vhost_vdpa_log_stop(v, true);
	_vhost_vdpa_unbind_mm(v);
	if (v->mm)
		mmdrop(v->mm);
	v->mm = NULL;
	v->backend_features = 0;
}

/*
 * A user-address parent that reads the owner's memory itself (upstream's
 * simulator with use_va) is told whose it is, as upstream does.
 */
static long _vhost_vdpa_set_owner(struct vhost_vdpa *v)
{
	const struct vdpa_config_ops *ops = v->vdpa->config;
	int err;

	if (v->mm)
		return -EBUSY;
	if (!current->mm)
		return -EINVAL;
	if (v->vdpa->use_va && ops->bind_mm) {
		err = ops->bind_mm(v->vdpa, current->mm);
		if (err)
			return err;
	}
	mmgrab(current->mm);
	v->mm = current->mm;
	return 0;
}

static long _vhost_vdpa_reset_owner(struct vhost_vdpa *v)
{
	_vhost_vdpa_quiesce(v);
	_vhost_vdpa_disown(v);
	return 0;
}

static long _vhost_vdpa_set_features(struct vhost_vdpa *v, u64 __user *argp)
{
	struct vdpa_device *vdpa = v->vdpa;
	const struct vdpa_config_ops *ops = vdpa->config;
	u64 features, log = BIT_ULL(VHOST_F_LOG_ALL);
	bool log_all;

	if (get_user(features, argp))
		return -EFAULT;
	log_all = features & log;
	features &= ~log;
	if (log_all && !vhost_vdpa_offers_log(v))
		return -EINVAL;
	/*
	 * Negotiated once per reset; after that only logging may be turned
	 * on or off (a VMM does it with the device running to migrate).
	 */
	if (ops->get_status(vdpa) & VIRTIO_CONFIG_S_FEATURES_OK) {
		if (!ops->get_driver_features ||
		    features != ops->get_driver_features(vdpa))
			return -EBUSY;
		return _vhost_vdpa_log_switch(v, log_all);
	}
	if (features & ~ops->get_device_features(vdpa))
		return -EINVAL;
	if (vdpa_set_modern_features(vdpa, features))
		return -EINVAL;
	return _vhost_vdpa_log_switch(v, log_all);
}

/* the device's features, with VHOST_F_LOG_ALL if it can log (log.c) */
static u64 vhost_vdpa_features(struct vhost_vdpa *v)
{
	u64 features = v->vdpa->config->get_device_features(v->vdpa);

	if (vhost_vdpa_offers_log(v))
		features |= BIT_ULL(VHOST_F_LOG_ALL);
	return features;
}

static long _vhost_vdpa_set_backend_features(struct vhost_vdpa *v,
					     u64 __user *argp)
{
	u64 features;

	if (get_user(features, argp))
		return -EFAULT;
	if (features & ~v->backend_offer)
		return -EOPNOTSUPP;
	v->backend_features = features;
	return 0;
}

static long _vhost_vdpa_set_status(struct vhost_vdpa *v, u8 __user *argp)
{
	struct vdpa_device *vdpa = v->vdpa;
	u8 status, old;

	if (get_user(status, argp))
		return -EFAULT;
	old = vdpa->config->get_status(vdpa);
	/* bits go away only with a reset */
	if (status && (old & ~status))
		return -EINVAL;
	/* the vhost side keeps no queue state: a reset is the device's */
	if (!status)
		return _vhost_vdpa_reset(v);
	/* callbacks first, so that no early interrupt is lost */
	if ((status & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    !(old & VIRTIO_CONFIG_S_DRIVER_OK))
		_vhost_vdpa_vq_wire_all(v);
	vdpa_set_status(vdpa, status);
	return 0;
}

/* VHOST_VDPA_GET_CONFIG and VHOST_VDPA_SET_CONFIG */
static long _vhost_vdpa_config_rw(struct vhost_vdpa *v, unsigned int cmd,
				  struct vhost_vdpa_config __user *argp)
{
	size_t size = vhost_vdpa_config_size(v->vdpa);
	struct vhost_vdpa_config c;
	long r = 0;
	u8 *buf;

	if (copy_from_user(&c, argp, sizeof(c)))
		return -EFAULT;
	if (!c.len || c.off > size)
		return -EINVAL;
	if (c.len > size - c.off)
		return -E2BIG;
	buf = kvzalloc(c.len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (cmd == VHOST_VDPA_GET_CONFIG) {
		vdpa_get_config(v->vdpa, c.off, buf, c.len);
		if (copy_to_user(argp->buf, buf, c.len))
			r = -EFAULT;
	} else if (copy_from_user(buf, argp->buf, c.len)) {
		r = -EFAULT;
	} else {
		vdpa_set_config(v->vdpa, c.off, buf, c.len);
	}
	kvfree(buf);
	return r;
}

static long
_vhost_vdpa_get_iova_range(struct vhost_vdpa *v,
			   struct vhost_vdpa_iova_range __user *argp)
{
	struct vhost_vdpa_iova_range range = {
		.first = v->range.first,
		.last = v->range.last,
	};

	return copy_to_user(argp, &range, sizeof(range)) ? -EFAULT : 0;
}

/*
 * VHOST_VDPA_SUSPEND and VHOST_VDPA_RESUME: as upstream, nothing to do
 * (and success, whatever the parent can do) unless the device is running.
 * A suspended device may have its queues' addresses and bases changed
 * (VHOST_SET_VRING_ADDR, VHOST_SET_VRING_BASE: a VMM restoring queue
 * state it migrated), until it is resumed or reset.
 */
static long _vhost_vdpa_suspend_resume(struct vhost_vdpa *v, bool suspend)
{
	struct vdpa_device *vdpa = v->vdpa;
	const struct vdpa_config_ops *ops = vdpa->config;
	int (*op)(struct vdpa_device *vdpa) = suspend ? ops->suspend :
							ops->resume;
	int err;

	if (!(ops->get_status(vdpa) & VIRTIO_CONFIG_S_DRIVER_OK))
		return 0;
	if (!op)
		return -EOPNOTSUPP;
	err = op(vdpa);
	if (!err)
		v->suspended = suspend;
	return err;
}

static long _vhost_vdpa_ioctl(struct vhost_vdpa *v, unsigned int cmd,
			      void __user *argp)
{
	struct vdpa_device *vdpa = v->vdpa;
	const struct vdpa_config_ops *ops = vdpa->config;

	switch (cmd) {
	case VHOST_GET_FEATURES:
		return put_user(vhost_vdpa_features(v), (u64 __user *)argp);
	case VHOST_SET_FEATURES:
		return _vhost_vdpa_set_features(v, argp);
	case VHOST_GET_BACKEND_FEATURES:
		return put_user(v->backend_offer, (u64 __user *)argp);
	case VHOST_SET_BACKEND_FEATURES:
		return _vhost_vdpa_set_backend_features(v, argp);
	case VHOST_VDPA_GET_DEVICE_ID:
		return put_user(ops->get_device_id(vdpa), (u32 __user *)argp);
	case VHOST_VDPA_GET_STATUS:
		return put_user(ops->get_status(vdpa), (u8 __user *)argp);
	case VHOST_VDPA_SET_STATUS:
		return _vhost_vdpa_set_status(v, argp);
	case VHOST_VDPA_GET_CONFIG:
	case VHOST_VDPA_SET_CONFIG:
		return _vhost_vdpa_config_rw(v, cmd, argp);
	case VHOST_VDPA_GET_VRING_NUM:
		return put_user(ops->get_vq_num_max(vdpa), (u16 __user *)argp);
	case VHOST_VDPA_GET_CONFIG_SIZE:
		return put_user((u32)vhost_vdpa_config_size(vdpa),
				(u32 __user *)argp);
	case VHOST_VDPA_GET_IOVA_RANGE:
		return _vhost_vdpa_get_iova_range(v, argp);
	case VHOST_VDPA_GET_VQS_COUNT:
		return put_user(vdpa->nvqs, (u32 __user *)argp);
	case VHOST_VDPA_GET_GROUP_NUM:
		return put_user(vdpa->ngroups, (u32 __user *)argp);
	case VHOST_VDPA_GET_AS_NUM:
		return put_user(vdpa->nas, (unsigned int __user *)argp);
	case VHOST_VDPA_SUSPEND:
		return _vhost_vdpa_suspend_resume(v, true);
	case VHOST_VDPA_RESUME:
		return _vhost_vdpa_suspend_resume(v, false);
	case VHOST_VDPA_SET_CONFIG_CALL:
		return _vhost_vdpa_vq_set_config_call(v, argp);
	case VHOST_SET_OWNER:
		return _vhost_vdpa_set_owner(v);
	}
	/* the rest acts on the queues or the ownership: the owner's only */
	if (!vhost_vdpa_is_owner(v))
		return -EPERM;
	if (cmd == VHOST_RESET_OWNER)
		return _vhost_vdpa_reset_owner(v);
	if (cmd == VHOST_SET_LOG_BASE)
		return _vhost_vdpa_log_set_base(v, argp);
	return _vhost_vdpa_vq_ioctl(v, cmd, argp);
}

static long vhost_vdpa_unlocked_ioctl(struct file *filp, unsigned int cmd,
				      unsigned long arg)
{
	struct vhost_vdpa *v = filp->private_data;
	long r;

	mutex_lock(&v->mutex);
	r = v->vdpa ? _vhost_vdpa_ioctl(v, cmd, (void __user *)arg) : -ENODEV;
	mutex_unlock(&v->mutex);
	return r;
}

static ssize_t vhost_vdpa_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct vhost_vdpa *v = iocb->ki_filp->private_data;
	ssize_t r;

	mutex_lock(&v->mutex);
	r = v->vdpa ? _vhost_vdpa_iotlb_write(v, from) : -ENODEV;
	mutex_unlock(&v->mutex);
	return r;
}

static bool vhost_vdpa_removed(struct vhost_vdpa *v)
{
	return !READ_ONCE(v->vdpa);
}

/*
 * Nothing is ever queued for reading (there are no IOTLB misses here): as
 * upstream, a blocking read waits, until a signal or, here, the device's
 * removal, which reads as end of file.
 */
static ssize_t vhost_vdpa_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct vhost_vdpa *v = iocb->ki_filp->private_data;

	if ((iocb->ki_filp->f_flags & O_NONBLOCK) ||
	    (iocb->ki_flags & IOCB_NOWAIT))
		return vhost_vdpa_removed(v) ? 0 : -EAGAIN;
	return wait_event_interruptible(v->wq, vhost_vdpa_removed(v));
}

static __poll_t vhost_vdpa_poll(struct file *filp, poll_table *wait)
{
	struct vhost_vdpa *v = filp->private_data;

	poll_wait(filp, &v->wq, wait);
	if (vhost_vdpa_removed(v))
		return EPOLLIN | EPOLLRDNORM | EPOLLHUP | EPOLLERR;
	return EPOLLOUT | EPOLLWRNORM;
}

static int _vhost_vdpa_open(struct vhost_vdpa *v)
{
	int err;

	lockdep_assert_held(&v->mutex);
	if (v->opened)
		return -EBUSY;
	if (!v->vdpa)
		return -ENODEV;
	err = _vhost_vdpa_reset(v);
	if (err)
		return err;
	return _vhost_vdpa_iotlb_open(v);
}

static int vhost_vdpa_open(struct inode *inode, struct file *filp)
{
	struct vhost_vdpa *v = container_of(inode->i_cdev, struct vhost_vdpa,
					    cdev);
	int err;

	mutex_lock(&v->mutex);
	err = _vhost_vdpa_open(v);
	if (!err) {
		v->opened = true;
		v->mapping = filp->f_mapping;
		filp->private_data = v;
	}
	mutex_unlock(&v->mutex);
	return err ? err : stream_open(inode, filp);
}

static int vhost_vdpa_release(struct inode *inode, struct file *filp)
{
	struct vhost_vdpa *v = filp->private_data;

	mutex_lock(&v->mutex);
	/* a removed device was quiesced by remove() */
	if (v->vdpa) {
		_vhost_vdpa_quiesce(v);
		_vhost_vdpa_iotlb_detach(v);
	}
	_vhost_vdpa_disown(v);
	_vhost_vdpa_iotlb_free(v);
	v->mapping = NULL;
	v->opened = false;
	mutex_unlock(&v->mutex);
	return 0;
}

/*
 * Doorbells are inserted on fault, so that a mapping made while remove()
 * zaps them cannot keep one of a removed device.
 */
static vm_fault_t vhost_vdpa_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vhost_vdpa *v = vma->vm_file->private_data;
	struct vdpa_notification_area notify;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	down_read(&v->db_lock);
	if (v->vdpa) {
		/* vm_pgoff < nvqs (mmap checked it); the user chose it */
		notify = v->vdpa->config->get_vq_notification(v->vdpa,
			array_index_nospec(vma->vm_pgoff, v->nvqs));
		ret = vmf_insert_pfn(vma, vma->vm_start, PHYS_PFN(notify.addr));
	}
	up_read(&v->db_lock);
	return ret;
}

static const struct vm_operations_struct vhost_vdpa_vm_ops = {
	.fault = vhost_vdpa_fault,
};

/* A doorbell maps as one write-only shared page at offset queue * PAGE_SIZE. */
static int vhost_vdpa_mmap_check(struct vhost_vdpa *v,
				 struct vm_area_struct *vma)
{
	struct vdpa_device *vdpa = v->vdpa;
	struct vdpa_notification_area notify;

	if (!vdpa)
		return -ENODEV;
	if (!vdpa->config->get_vq_notification)
		return -EOPNOTSUPP;
	if (!(vma->vm_flags & VM_SHARED) || (vma->vm_flags & VM_READ) ||
	    vma->vm_end - vma->vm_start != PAGE_SIZE ||
	    vma->vm_pgoff >= v->nvqs)
		return -EINVAL;
	notify = vdpa->config->get_vq_notification(vdpa,
			array_index_nospec(vma->vm_pgoff, v->nvqs));
	if (!PAGE_ALIGNED(notify.addr) || notify.size != PAGE_SIZE)
		return -EOPNOTSUPP;
	return 0;
}

static int vhost_vdpa_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct vhost_vdpa *v = filp->private_data;
	int err;

	/* under mmap_lock: the mutex nests outside it, db_lock inside */
	down_read(&v->db_lock);
	err = vhost_vdpa_mmap_check(v, vma);
	up_read(&v->db_lock);
	if (err)
		return err;
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vma->vm_ops = &vhost_vdpa_vm_ops;
	return 0;
}

static const struct file_operations vhost_vdpa_fops = {
	.owner = THIS_MODULE,
	.open = vhost_vdpa_open,
	.release = vhost_vdpa_release,
	.read_iter = vhost_vdpa_read_iter,
	.write_iter = vhost_vdpa_write_iter,
	.poll = vhost_vdpa_poll,
	.mmap = vhost_vdpa_mmap,
	.unlocked_ioctl = vhost_vdpa_unlocked_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/* Safe for every state vhost_vdpa_probe() can leave behind. */
static void vhost_vdpa_release_dev(struct device *dev)
{
	struct vhost_vdpa *v = container_of(dev, struct vhost_vdpa, dev);

	ida_free(&vhost_vdpa_ida, v->minor);
	mutex_destroy(&v->mutex);
	kfree(v->vqs);
	kfree(v);
}

/* The operations this driver calls without checking for them. */
static bool vhost_vdpa_ops_ok(const struct vdpa_config_ops *ops)
{
	return ops->set_vq_address && ops->set_vq_num && ops->kick_vq &&
	       ops->set_vq_cb && ops->set_vq_ready && ops->set_vq_state &&
	       ops->get_vq_state && ops->set_config_cb && ops->get_vq_num_max;
}

/* what a parent may add to the backend features (get_backend_features) */
#define VHOST_VDPA_PARENT_BACKEND \
	BIT_ULL(VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK)

static u64 vhost_vdpa_backend_offer(const struct vdpa_device *vdpa)
{
	const struct vdpa_config_ops *ops = vdpa->config;
	/* mappings belong to this driver and outlive device resets */
	u64 offer = BIT_ULL(VHOST_BACKEND_F_IOTLB_MSG_V2) |
		    BIT_ULL(VHOST_BACKEND_F_IOTLB_BATCH) |
		    BIT_ULL(VHOST_BACKEND_F_IOTLB_ASID) |
		    BIT_ULL(VHOST_BACKEND_F_IOTLB_PERSIST);

	if (ops->suspend)
		offer |= BIT_ULL(VHOST_BACKEND_F_SUSPEND);
	if (ops->resume)
		offer |= BIT_ULL(VHOST_BACKEND_F_RESUME);
	if (ops->get_backend_features)
		offer |= ops->get_backend_features(vdpa) &
			 VHOST_VDPA_PARENT_BACKEND;
	return offer;
}

static int vhost_vdpa_check(struct vdpa_device *vdpa)
{
	const struct vdpa_config_ops *ops = vdpa->config;

	if (!vhost_vdpa_ops_ok(ops)) {
		dev_err(&vdpa->dev, "parent lacks queue operations\n");
		return -EOPNOTSUPP;
	}
	/* one IOMMU domain is one address space */
	if (!ops->dma_map && !ops->set_map && vdpa->nas > 1) {
		dev_err(&vdpa->dev, "a platform IOMMU parent has one address space\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

static void vhost_vdpa_init_state(struct vhost_vdpa *v,
				  struct vdpa_device *vdpa)
{
	const struct vdpa_config_ops *ops = vdpa->config;

	v->vdpa = vdpa;
	v->nvqs = vdpa->nvqs;
	v->nas = vdpa->nas;
	v->platform = !ops->dma_map && !ops->set_map;
	v->backend_offer = vhost_vdpa_backend_offer(vdpa);
	init_rwsem(&v->db_lock);
	init_waitqueue_head(&v->wq);
	spin_lock_init(&v->cb_lock);
	mutex_init(&v->mutex);
	INIT_LIST_HEAD(&v->retired);
	vhost_vdpa_vq_init(v);
}

static int vhost_vdpa_probe(struct vdpa_device *vdpa)
{
	struct vhost_vdpa *v;
	int err;

	err = vhost_vdpa_check(vdpa);
	if (err)
		return err;
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->vqs = kcalloc(vdpa->nvqs, sizeof(*v->vqs), GFP_KERNEL);
	if (!v->vqs) {
		err = -ENOMEM;
		goto err_vqs;
	}
	err = ida_alloc_max(&vhost_vdpa_ida, VHOST_VDPA_DEV_MAX - 1,
			    GFP_KERNEL);
	if (err < 0)
		goto err_ida;
	v->minor = err;
	vhost_vdpa_init_state(v, vdpa);

	/* from here on, the release callback frees */
	device_initialize(&v->dev);
	v->dev.release = vhost_vdpa_release_dev;
	v->dev.parent = &vdpa->dev;
	v->dev.devt = MKDEV(MAJOR(vhost_vdpa_devt), v->minor);
	err = dev_set_name(&v->dev, "vhost-vdpa-%u", v->minor);
	if (err)
		goto err_put;
	cdev_init(&v->cdev, &vhost_vdpa_fops);
	v->cdev.owner = THIS_MODULE;
	err = cdev_device_add(&v->cdev, &v->dev);
	if (err)
		goto err_put;
	vdpa_set_drvdata(vdpa, v);
	return 0;

err_put:
	put_device(&v->dev);
	return err;
err_ida:
	kfree(v->vqs);
err_vqs:
	kfree(v);
	return err;
}

static void vhost_vdpa_remove(struct vdpa_device *vdpa)
{
	struct vhost_vdpa *v = vdpa_get_drvdata(vdpa);

	/* no new opener from here on */
	cdev_device_del(&v->cdev, &v->dev);
	mutex_lock(&v->mutex);
	if (v->opened) {
		_vhost_vdpa_quiesce(v);
		_vhost_vdpa_iotlb_detach(v);
		_vhost_vdpa_unbind_mm(v);
	}
	down_write(&v->db_lock);
	WRITE_ONCE(v->vdpa, NULL);
	up_write(&v->db_lock);
	if (v->mapping)
		unmap_mapping_range(v->mapping, 0, 0, 1);
	mutex_unlock(&v->mutex);
	wake_up_interruptible_poll(&v->wq, EPOLLIN | EPOLLHUP);
	put_device(&v->dev);
}

static struct vdpa_driver vhost_vdpa_driver = {
	.driver = {
		.name = "vhost_vdpa",
	},
	.probe = vhost_vdpa_probe,
	.remove = vhost_vdpa_remove,
};

static int __init vhost_vdpa_init(void)
{
	int err;

	err = alloc_chrdev_region(&vhost_vdpa_devt, 0, VHOST_VDPA_DEV_MAX,
				  "vhost-vdpa");
	if (err)
		return err;
	err = vdpa_register_mode_driver(&vhost_vdpa_driver,
					VDPA_DEV_MODE_VHOST);
	if (err)
		goto err_driver;
	return 0;

err_driver:
	unregister_chrdev_region(vhost_vdpa_devt, VHOST_VDPA_DEV_MAX);
	return err;
}

static void __exit vhost_vdpa_exit(void)
{
	vdpa_unregister_driver(&vhost_vdpa_driver);
	unregister_chrdev_region(vhost_vdpa_devt, VHOST_VDPA_DEV_MAX);
	ida_destroy(&vhost_vdpa_ida);
}

module_init(vhost_vdpa_init);
module_exit(vhost_vdpa_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The vDPA suite developers");
MODULE_DESCRIPTION("vhost-vdpa character devices for vDPA devices in vhost mode");
MODULE_VERSION(VHOST_VDPA_VERSION);
MODULE_ALIAS("vdpa:vhost");
