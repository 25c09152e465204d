// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_vdpa: the vDPA bus driver for devices in virtio mode. It puts a
 * virtio device on top of each one, so the kernel's own virtio drivers
 * (virtio_net, ...) drive vDPA devices.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <linux/vdpa_ext.h>
#include <uapi/linux/virtio_config.h>

#include "../compat/compat-virtio.h"

#define VIRTIO_VDPA_VERSION "0.2.0"

struct virtio_vdpa_device {
	struct virtio_device vdev;
	struct vdpa_device *vdpa;
};

struct virtio_vdpa_vq_info {
	struct virtqueue *vq;
};

static struct virtio_vdpa_device *to_vvdev(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_vdpa_device, vdev);
}

static struct vdpa_device *vd_get_vdpa(struct virtio_device *vdev)
{
	return to_vvdev(vdev)->vdpa;
}

static void virtio_vdpa_get(struct virtio_device *vdev, unsigned int offset,
			    void *buf, unsigned int len)
{
	vdpa_get_config(vd_get_vdpa(vdev), offset, buf, len);
}

static void virtio_vdpa_set(struct virtio_device *vdev, unsigned int offset,
			    const void *buf, unsigned int len)
{
	vdpa_set_config(vd_get_vdpa(vdev), offset, buf, len);
}

static u32 virtio_vdpa_generation(struct virtio_device *vdev)
{
	struct vdpa_device *vdpa = vd_get_vdpa(vdev);

	return vdpa->config->get_generation ?
	       vdpa->config->get_generation(vdpa) : 0;
}

static u8 virtio_vdpa_get_status(struct virtio_device *vdev)
{
	struct vdpa_device *vdpa = vd_get_vdpa(vdev);

	return vdpa->config->get_status(vdpa);
}

static void virtio_vdpa_set_status(struct virtio_device *vdev, u8 status)
{
	vdpa_set_status(vd_get_vdpa(vdev), status);
}

static void virtio_vdpa_reset(struct virtio_device *vdev)
{
	vdpa_reset(vd_get_vdpa(vdev), 0);
}

static bool virtio_vdpa_notify(struct virtqueue *vq)
{
	struct vdpa_device *vdpa = vd_get_vdpa(vq->vdev);

	vdpa->config->kick_vq(vdpa, vq->index);
	return true;
}

static irqreturn_t virtio_vdpa_config_cb(void *private)
{
	struct virtio_vdpa_device *vd = private;

	virtio_config_changed(&vd->vdev);
	return IRQ_HANDLED;
}

static irqreturn_t virtio_vdpa_virtqueue_cb(void *private)
{
	struct virtio_vdpa_vq_info *info = private;

	return vring_interrupt(0, info->vq);
}

static int virtio_vdpa_program_vq(struct vdpa_device *vdpa,
				  struct virtqueue *vq,
				  struct virtio_vdpa_vq_info *info,
				  bool has_callback)
{
	const struct vdpa_config_ops *ops = vdpa->config;
	struct vdpa_callback cb = {
		.callback = has_callback ? virtio_vdpa_virtqueue_cb : NULL,
		.private = info,
	};

	ops->set_vq_cb(vdpa, vq->index, &cb);
	ops->set_vq_num(vdpa, vq->index, virtqueue_get_vring_size(vq));
	return ops->set_vq_address(vdpa, vq->index,
				   virtqueue_get_desc_addr(vq),
				   virtqueue_get_avail_addr(vq),
				   virtqueue_get_used_addr(vq));
}

static struct virtqueue *virtio_vdpa_setup_vq(struct virtio_device *vdev,
					      unsigned int index,
					      const struct virtqueue_info *vi)
{
	struct vdpa_device *vdpa = vd_get_vdpa(vdev);
	const struct vdpa_config_ops *ops = vdpa->config;
	struct virtio_vdpa_vq_info *info;
	union virtio_map map;
	struct virtqueue *vq;
	u16 max_num;
	int err;

	if (ops->get_vq_ready(vdpa, index))
		return ERR_PTR(-ENOENT);
	max_num = vdpa_get_vq_size(vdpa, index);
	if (!max_num)
		return ERR_PTR(-ENOENT);

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return ERR_PTR(-ENOMEM);
	map = vdpa_get_vq_map(vdpa, index);
	vq = vring_create_virtqueue_map(index, max_num,
					ops->get_vq_align(vdpa), vdev, true,
					true, vi->ctx, virtio_vdpa_notify,
					vi->callback, vi->name, map);
	if (!vq) {
		err = -ENOMEM;
		goto err_vq;
	}
	/* the device's token is its first queue's, as upstream */
	if (index == 0)
		compat_virtio_set_map(vdev, vdpa_get_map_ops(vdpa), map);
	info->vq = vq;
	vq->priv = info;
	err = virtio_vdpa_program_vq(vdpa, vq, info, !!vi->callback);
	if (err)
		goto err_program;
	ops->set_vq_ready(vdpa, index, 1);
	return vq;

err_program:
	vring_del_virtqueue(vq);
err_vq:
	kfree(info);
	return ERR_PTR(err);
}

/*
 * A queue or the device let go of: the parent's callback is taken back
 * before what it points to is freed. Parents synchronize set_vq_cb and
 * set_config_cb with a callback in flight, so none runs afterwards.
 */
static void virtio_vdpa_del_vq(struct virtqueue *vq)
{
	struct vdpa_device *vdpa = vd_get_vdpa(vq->vdev);
	struct virtio_vdpa_vq_info *info = vq->priv;
	struct vdpa_callback none = {};

	vdpa->config->set_vq_ready(vdpa, vq->index, 0);
	vdpa->config->set_vq_cb(vdpa, vq->index, &none);
	vring_del_virtqueue(vq);
	kfree(info);
}

static void virtio_vdpa_del_vqs(struct virtio_device *vdev)
{
	struct vdpa_device *vdpa = vd_get_vdpa(vdev);
	struct vdpa_callback none = {};
	struct virtqueue *vq, *n;

	/* the config callback's private data is the virtio device */
	vdpa->config->set_config_cb(vdpa, &none);
	list_for_each_entry_safe(vq, n, &vdev->vqs, list)
		virtio_vdpa_del_vq(vq);
}

static int virtio_vdpa_find_vqs_info(struct virtio_device *vdev,
				     unsigned int nvqs,
				     struct virtqueue *vqs[],
				     struct virtqueue_info vqs_info[],
				     struct irq_affinity *desc)
{
	struct virtio_vdpa_device *vd = to_vvdev(vdev);
	struct vdpa_callback cb = {
		.callback = virtio_vdpa_config_cb,
		.private = vd,
	};
	unsigned int i, queue_idx = 0;
	int err;

	for (i = 0; i < nvqs; i++) {
		if (!vqs_info[i].name) {
			vqs[i] = NULL;
			continue;
		}
		vqs[i] = virtio_vdpa_setup_vq(vdev, queue_idx++, &vqs_info[i]);
		if (IS_ERR(vqs[i])) {
			err = PTR_ERR(vqs[i]);
			goto err_setup_vq;
		}
	}
	vd->vdpa->config->set_config_cb(vd->vdpa, &cb);
	return 0;

err_setup_vq:
	virtio_vdpa_del_vqs(vdev);
	return err;
}

COMPAT_DEFINE_FIND_VQS(virtio_vdpa_find_vqs, virtio_vdpa_find_vqs_info)

static u64 virtio_vdpa_get_features(struct virtio_device *vdev)
{
	struct vdpa_device *vdpa = vd_get_vdpa(vdev);

	return vdpa->config->get_device_features(vdpa);
}

static int virtio_vdpa_finalize_features(struct virtio_device *vdev)
{
	/* let the ring code drop the transport features it cannot do */
	vring_transport_features(vdev);
	return vdpa_set_modern_features(vd_get_vdpa(vdev), vdev->features);
}

static const char *virtio_vdpa_bus_name(struct virtio_device *vdev)
{
	return dev_name(&vd_get_vdpa(vdev)->dev);
}

static const struct virtio_config_ops virtio_vdpa_config_ops = {
	.get = virtio_vdpa_get,
	.set = virtio_vdpa_set,
	.generation = virtio_vdpa_generation,
	.get_status = virtio_vdpa_get_status,
	.set_status = virtio_vdpa_set_status,
	.reset = virtio_vdpa_reset,
	.find_vqs = virtio_vdpa_find_vqs,
	.del_vqs = virtio_vdpa_del_vqs,
	.get_features = virtio_vdpa_get_features,
	.finalize_features = virtio_vdpa_finalize_features,
	.bus_name = virtio_vdpa_bus_name,
};

static void virtio_vdpa_release_dev(struct device *dev)
{
	kfree(to_vvdev(dev_to_virtio(dev)));
}

static int virtio_vdpa_probe(struct vdpa_device *vdpa)
{
	const struct vdpa_config_ops *ops = vdpa->config;
	struct virtio_vdpa_device *vd;
	int err;

	vd = kzalloc(sizeof(*vd), GFP_KERNEL);
	if (!vd)
		return -ENOMEM;
	/*
	 * The rings and buffers are mapped with the parent's map operations
	 * and tokens (VDUSE), or else through its DMA device, which is also
	 * the virtio device's parent (before 7.x the ring code maps through
	 * the parent).
	 */
	vd->vdev.dev.parent = vdpa_get_map(vdpa).dma_dev;
	compat_virtio_set_map(&vd->vdev, vdpa_get_map_ops(vdpa),
			      vdpa_get_map(vdpa));
	vd->vdev.dev.release = virtio_vdpa_release_dev;
	vd->vdev.config = &virtio_vdpa_config_ops;
	vd->vdpa = vdpa;
	vd->vdev.id.device = ops->get_device_id(vdpa);
	if (!vd->vdev.id.device) {
		kfree(vd);
		return -ENODEV;
	}
	vd->vdev.id.vendor = ops->get_vendor_id ? ops->get_vendor_id(vdpa) :
						  VIRTIO_DEV_ANY_ID;
	err = register_virtio_device(&vd->vdev);
	if (err) {
		/* the device is initialized: its release callback frees */
		put_device(&vd->vdev.dev);
		return err;
	}
	vdpa_set_drvdata(vdpa, vd);
	return 0;
}

static void virtio_vdpa_remove(struct vdpa_device *vdpa)
{
	struct virtio_vdpa_device *vd = vdpa_get_drvdata(vdpa);
	struct vdpa_callback none = {};

	unregister_virtio_device(&vd->vdev);
	/* whatever the virtio driver did, nothing of ours stays with the parent */
	vdpa->config->set_config_cb(vdpa, &none);
}

static struct vdpa_driver virtio_vdpa_driver = {
	.driver = {
		.name = "virtio_vdpa",
	},
	.probe = virtio_vdpa_probe,
	.remove = virtio_vdpa_remove,
};

static int __init virtio_vdpa_init(void)
{
	return vdpa_register_mode_driver(&virtio_vdpa_driver,
					 VDPA_DEV_MODE_VIRTIO);
}

static void __exit virtio_vdpa_exit(void)
{
	vdpa_unregister_driver(&virtio_vdpa_driver);
}

module_init(virtio_vdpa_init);
module_exit(virtio_vdpa_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The vDPA suite developers");
MODULE_DESCRIPTION("virtio devices on vDPA devices in virtio mode");
MODULE_VERSION(VIRTIO_VDPA_VERSION);
MODULE_ALIAS("vdpa:virtio");
