// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa_pci: modern virtio-net PCI functions (a PF, or SR-IOV VFs) as vDPA
 * devices, with DMA through the platform IOMMU.
 *
 * Each function bound to this driver registers a management device named
 * after it (pci/0000:BB:DD.F) that creates one vDPA device. The device's
 * queues are the function's own: ring addresses are handed to it as they
 * come, which works because the function sits behind the IOMMU and
 * VIRTIO_F_ACCESS_PLATFORM is required. In virtio mode the kernel's DMA
 * API on the function maps the rings and buffers; in vhost mode vhost_vdpa
 * attaches an IOMMU domain of its own to the function and maps the user
 * driver's pinned pages into it (this driver has no DMA operations, which
 * is what tells vhost_vdpa to do so).
 *
 * Interrupts are MSI-X: vector 0 for configuration changes, vector i + 1
 * for vDPA queue i. They stay requested for the life of the vDPA device;
 * the handlers call whatever callback the bus driver set last.
 *
 * A PF's sriov_configure enables its VFs, and a PCI bus notifier points
 * each new VF of it at this driver (driver_override) before the PCI core
 * probes it, so `echo N > sriov_numvfs` yields N management devices with
 * no unbind/rebind, whatever other virtio driver the kernel has.
 */
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/vdpa_ext.h>
#include <linux/virtio_config.h>
#include <uapi/linux/virtio_ids.h>
#include <uapi/linux/virtio_net.h>
#include <uapi/linux/virtio_ring.h>

#include "../compat/compat-pci.h"
#include "vdpa_pci.h"
#include "vp_doorbell.h"

#define VP_VDPA_NAME	"vdpa_pci"

/* What the transport passes through: no packed rings, no ring reset. */
#define VP_VDPA_FEATURES (GENMASK_ULL(23, 0) |				\
			  BIT_ULL(VIRTIO_NET_F_SPEED_DUPLEX) |		\
			  BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |	\
			  BIT_ULL(VIRTIO_RING_F_EVENT_IDX) |		\
			  BIT_ULL(VIRTIO_F_VERSION_1) |			\
			  BIT_ULL(VIRTIO_F_ACCESS_PLATFORM))

#define VP_VDPA_CVQ_USERS (BIT_ULL(VIRTIO_NET_F_CTRL_RX) |		\
			   BIT_ULL(VIRTIO_NET_F_CTRL_VLAN) |		\
			   BIT_ULL(VIRTIO_NET_F_GUEST_ANNOUNCE) |	\
			   BIT_ULL(VIRTIO_NET_F_MQ) |			\
			   BIT_ULL(VIRTIO_NET_F_CTRL_MAC_ADDR))

struct vp_vdpa_vq {
	struct vdpa_callback cb;
	void __iomem *notify;
	resource_size_t notify_pa;
	bool notify_mappable;
	int irq;
	u16 hw;
	u16 max_size;
	char name[40];
};

/* One PCI function and its management device. */
struct vp_fn {
	struct vp_hw hw;
	struct vdpa_mgmt_dev mgmt;
	u64 features;
	u16 max_vqp;
	u16 mtu;
	int nvec;
	struct vp_vdpa *vdpa;		/* under the core's device lock */
	struct notifier_block vf_nb;
	bool vf_nb_registered;
};

struct vp_vdpa {
	struct vdpa_device vdpa;
	struct vp_fn *fn;
	u64 features;
	u16 max_vqp;
	u16 nvqs;
	bool mac_set;
	u8 mac[ETH_ALEN];
	struct vdpa_callback config_cb;
	int config_irq;
	char config_name[40];
	struct vp_vdpa_vq *vqs;
};

static struct vp_vdpa *vdpa_to_vp(struct vdpa_device *vdpa)
{
	return container_of(vdpa, struct vp_vdpa, vdpa);
}

static struct vp_hw *vdpa_to_hw(struct vdpa_device *vdpa)
{
	return &vdpa_to_vp(vdpa)->fn->hw;
}

static bool vp_vdpa_has(const struct vdpa_dev_set_config *config,
			unsigned int attr)
{
	return config->mask & BIT_ULL(attr);
}

/* ---- interrupts ---- */

static irqreturn_t vp_vdpa_vq_irq(int irq, void *arg)
{
	struct vp_vdpa_vq *vq = arg;
	irqreturn_t (*cb)(void *private);

	cb = smp_load_acquire(&vq->cb.callback);
	return cb ? cb(vq->cb.private) : IRQ_HANDLED;
}

static irqreturn_t vp_vdpa_config_irq(int irq, void *arg)
{
	struct vp_vdpa *vp = arg;
	irqreturn_t (*cb)(void *private);

	cb = smp_load_acquire(&vp->config_cb.callback);
	return cb ? cb(vp->config_cb.private) : IRQ_HANDLED;
}

/*
 * Replace a callback that an interrupt handler may be running: clear it,
 * wait for handlers in flight, then publish private before callback.
 */
static void vp_vdpa_swap_cb(struct vdpa_callback *slot, int irq,
			    const struct vdpa_callback *cb)
{
	WRITE_ONCE(slot->callback, NULL);
	if (irq >= 0)
		synchronize_irq(irq);
	slot->private = cb->private;
	slot->trigger = cb->trigger;
	smp_store_release(&slot->callback, cb->callback);
}

static void vp_vdpa_free_irqs(struct vp_vdpa *vp)
{
	u16 i;

	for (i = 0; i < vp->nvqs; i++) {
		if (vp->vqs[i].irq >= 0)
			free_irq(vp->vqs[i].irq, &vp->vqs[i]);
		vp->vqs[i].irq = -1;
	}
	if (vp->config_irq >= 0)
		free_irq(vp->config_irq, vp);
	vp->config_irq = -1;
}

static int vp_vdpa_request_irqs(struct vp_vdpa *vp)
{
	struct pci_dev *pdev = vp->fn->hw.pdev;
	const char *name = dev_name(&vp->vdpa.dev);
	struct vp_vdpa_vq *vq;
	int irq, err;
	u16 i;

	snprintf(vp->config_name, sizeof(vp->config_name), "%s-config", name);
	irq = pci_irq_vector(pdev, 0);
	err = irq < 0 ? irq : request_irq(irq, vp_vdpa_config_irq, 0,
					  vp->config_name, vp);
	if (err)
		return err;
	vp->config_irq = irq;
	for (i = 0; i < vp->nvqs; i++) {
		vq = &vp->vqs[i];
		snprintf(vq->name, sizeof(vq->name), "%s-vq%u", name, i);
		irq = pci_irq_vector(pdev, i + 1);
		err = irq < 0 ? irq : request_irq(irq, vp_vdpa_vq_irq, 0,
						  vq->name, vq);
		if (err) {
			vp_vdpa_free_irqs(vp);
			return err;
		}
		vq->irq = irq;
	}
	return 0;
}

/*
 * After every reset: route the vectors again (a reset forgets them) and
 * write the provisioned MAC (a reset may restore the function's own).
 */
static int vp_vdpa_hw_init(struct vp_vdpa *vp)
{
	struct vp_hw *hw = &vp->fn->hw;
	u8 mac[ETH_ALEN];
	u16 i, got;

	vp_hw_set_config_vector(hw, 0);
	for (i = 0; i < vp->nvqs; i++) {
		got = vp_hw_queue_set_vector(hw, vp->vqs[i].hw, i + 1);
		if (got != i + 1)
			return -ENOSPC;
	}
	if (!vp->mac_set)
		return 0;
	for (i = 0; i < ETH_ALEN; i++)
		iowrite8(vp->mac[i], hw->device +
			 offsetof(struct virtio_net_config, mac) + i);
	for (i = 0; i < ETH_ALEN; i++)
		mac[i] = ioread8(hw->device +
				 offsetof(struct virtio_net_config, mac) + i);
	return ether_addr_equal(mac, vp->mac) ? 0 : -EOPNOTSUPP;
}

/* ---- vDPA operations ---- */

static int vp_vdpa_set_vq_address(struct vdpa_device *vdpa, u16 idx,
				  u64 desc, u64 driver, u64 device)
{
	struct vp_vdpa *vp = vdpa_to_vp(vdpa);

	vp_hw_queue_set_addr(&vp->fn->hw, vp->vqs[idx].hw, desc, driver,
			     device);
	return 0;
}

static void vp_vdpa_set_vq_num(struct vdpa_device *vdpa, u16 idx, u32 num)
{
	struct vp_vdpa *vp = vdpa_to_vp(vdpa);

	vp_hw_queue_set_size(&vp->fn->hw, vp->vqs[idx].hw, num);
}

static void vp_vdpa_kick_vq(struct vdpa_device *vdpa, u16 idx)
{
	struct vp_vdpa *vp = vdpa_to_vp(vdpa);

	iowrite16(vp->vqs[idx].hw, vp->vqs[idx].notify);
}

static void vp_vdpa_set_vq_cb(struct vdpa_device *vdpa, u16 idx,
			      struct vdpa_callback *cb)
{
	struct vp_vdpa_vq *vq = &vdpa_to_vp(vdpa)->vqs[idx];

	vp_vdpa_swap_cb(&vq->cb, vq->irq, cb);
}

/*
 * virtio-pci has no way to disable one queue short of a reset (a device
 * may even flag a zero write as an error): a disable is a no-op.
 */
static void vp_vdpa_set_vq_ready(struct vdpa_device *vdpa, u16 idx,
				 bool ready)
{
	struct vp_vdpa *vp = vdpa_to_vp(vdpa);

	if (ready)
		vp_hw_queue_enable(&vp->fn->hw, vp->vqs[idx].hw);
}

static bool vp_vdpa_get_vq_ready(struct vdpa_device *vdpa, u16 idx)
{
	struct vp_vdpa *vp = vdpa_to_vp(vdpa);

	return vp_hw_queue_enabled(&vp->fn->hw, vp->vqs[idx].hw);
}

/*
 * virtio-pci cannot read or move a queue's position: only the state of a
 * fresh queue (index 0) can be "set", and none can be read.
 */
static int vp_vdpa_set_vq_state(struct vdpa_device *vdpa, u16 idx,
				const struct vdpa_vq_state *state)
{
	return state->split.avail_index ? -EOPNOTSUPP : 0;
}

static int vp_vdpa_get_vq_state(struct vdpa_device *vdpa, u16 idx,
				struct vdpa_vq_state *state)
{
	return -EOPNOTSUPP;
}

static struct vdpa_notification_area
vp_vdpa_get_vq_notification(struct vdpa_device *vdpa, u16 idx)
{
	struct vp_vdpa *vp = vdpa_to_vp(vdpa);
	struct vdpa_notification_area area = {};

	/* a page user space may map, or nothing (vp_doorbell_mappable) */
	if (vp->vqs[idx].notify_mappable) {
		area.addr = vp->vqs[idx].notify_pa;
		area.size = PAGE_SIZE;
	}
	return area;
}

static int vp_vdpa_get_vq_irq(struct vdpa_device *vdpa, u16 idx)
{
	return vdpa_to_vp(vdpa)->vqs[idx].irq;
}

static u16 vp_vdpa_get_vq_size(struct vdpa_device *vdpa, u16 idx)
{
	return vdpa_to_vp(vdpa)->vqs[idx].max_size;
}

static u32 vp_vdpa_get_vq_align(struct vdpa_device *vdpa)
{
	return PAGE_SIZE;
}

static u64 vp_vdpa_get_device_features(struct vdpa_device *vdpa)
{
	return vdpa_to_vp(vdpa)->features;
}

static int vp_vdpa_set_driver_features(struct vdpa_device *vdpa, u64 f)
{
	struct vp_vdpa *vp = vdpa_to_vp(vdpa);

	if (f & ~vp->features)
		return -EINVAL;
	vp_hw_set_driver_features(&vp->fn->hw, f);
	return 0;
}

static u64 vp_vdpa_get_driver_features(struct vdpa_device *vdpa)
{
	return vp_hw_get_driver_features(vdpa_to_hw(vdpa));
}

static void vp_vdpa_set_config_cb(struct vdpa_device *vdpa,
				  struct vdpa_callback *cb)
{
	struct vp_vdpa *vp = vdpa_to_vp(vdpa);

	vp_vdpa_swap_cb(&vp->config_cb, vp->config_irq, cb);
}

static u16 vp_vdpa_get_vq_num_max(struct vdpa_device *vdpa)
{
	struct vp_vdpa *vp = vdpa_to_vp(vdpa);
	u16 i, max = 0;

	for (i = 0; i < vp->nvqs; i++)
		max = max(max, vp->vqs[i].max_size);
	return max;
}

static u32 vp_vdpa_get_device_id(struct vdpa_device *vdpa)
{
	return VIRTIO_ID_NET;
}

static u32 vp_vdpa_get_vendor_id(struct vdpa_device *vdpa)
{
	return vdpa_to_hw(vdpa)->pdev->subsystem_vendor;
}

static u8 vp_vdpa_get_status(struct vdpa_device *vdpa)
{
	return vp_hw_get_status(vdpa_to_hw(vdpa));
}

static void vp_vdpa_set_status(struct vdpa_device *vdpa, u8 status)
{
	vp_hw_set_status(vdpa_to_hw(vdpa), status);
}

static int vp_vdpa_reset(struct vdpa_device *vdpa)
{
	struct vp_vdpa *vp = vdpa_to_vp(vdpa);
	int err;

	err = vp_hw_reset(&vp->fn->hw);
	return err ?: vp_vdpa_hw_init(vp);
}

static size_t vp_vdpa_get_config_size(struct vdpa_device *vdpa)
{
	return min_t(size_t, vdpa_to_hw(vdpa)->device_len,
		     sizeof(struct virtio_net_config));
}

static bool vp_vdpa_config_range_ok(struct vdpa_device *vdpa,
				    unsigned int offset, unsigned int len)
{
	size_t size = vp_vdpa_get_config_size(vdpa);

	return offset <= size && len <= size - offset;
}

/*
 * Reads are consistent (retried while the generation moves), and report
 * the provisioned queue pairs rather than the function's.
 */
static void vp_vdpa_get_config(struct vdpa_device *vdpa, unsigned int offset,
			       void *buf, unsigned int len)
{
	const unsigned int vqp_off =
		offsetof(struct virtio_net_config, max_virtqueue_pairs);
	struct vp_vdpa *vp = vdpa_to_vp(vdpa);
	struct vp_hw *hw = &vp->fn->hw;
	__le16 vqp = cpu_to_le16(vp->max_vqp);
	unsigned int i, tries = 0;
	u8 *p = buf, gen;

	if (!vp_vdpa_config_range_ok(vdpa, offset, len)) {
		memset(buf, 0, len);
		return;
	}
	do {
		gen = vp_hw_generation(hw);
		for (i = 0; i < len; i++)
			p[i] = ioread8(hw->device + offset + i);
	} while (gen != vp_hw_generation(hw) && ++tries < 16);
	if (!(vp->features & BIT_ULL(VIRTIO_NET_F_MQ)))
		return;
	for (i = 0; i < sizeof(vqp); i++)
		if (vqp_off + i >= offset && vqp_off + i < offset + len)
			p[vqp_off + i - offset] = ((u8 *)&vqp)[i];
}

static void vp_vdpa_set_config(struct vdpa_device *vdpa, unsigned int offset,
			       const void *buf, unsigned int len)
{
	struct vp_hw *hw = vdpa_to_hw(vdpa);
	const u8 *p = buf;
	unsigned int i;

	if (!vp_vdpa_config_range_ok(vdpa, offset, len))
		return;
	for (i = 0; i < len; i++)
		iowrite8(p[i], hw->device + offset + i);
}

static u32 vp_vdpa_get_generation(struct vdpa_device *vdpa)
{
	return vp_hw_generation(vdpa_to_hw(vdpa));
}

static void vp_vdpa_free(struct vdpa_device *vdpa)
{
	kfree(vdpa_to_vp(vdpa)->vqs);
}

static const struct vdpa_config_ops vp_vdpa_ops = {
	.set_vq_address = vp_vdpa_set_vq_address,
	.set_vq_num = vp_vdpa_set_vq_num,
	.kick_vq = vp_vdpa_kick_vq,
	.set_vq_cb = vp_vdpa_set_vq_cb,
	.set_vq_ready = vp_vdpa_set_vq_ready,
	.get_vq_ready = vp_vdpa_get_vq_ready,
	.set_vq_state = vp_vdpa_set_vq_state,
	.get_vq_state = vp_vdpa_get_vq_state,
	.get_vq_notification = vp_vdpa_get_vq_notification,
	.get_vq_irq = vp_vdpa_get_vq_irq,
	.get_vq_size = vp_vdpa_get_vq_size,
	.get_vq_align = vp_vdpa_get_vq_align,
	.get_device_features = vp_vdpa_get_device_features,
	.set_driver_features = vp_vdpa_set_driver_features,
	.get_driver_features = vp_vdpa_get_driver_features,
	.set_config_cb = vp_vdpa_set_config_cb,
	.get_vq_num_max = vp_vdpa_get_vq_num_max,
	.get_device_id = vp_vdpa_get_device_id,
	.get_vendor_id = vp_vdpa_get_vendor_id,
	.get_status = vp_vdpa_get_status,
	.set_status = vp_vdpa_set_status,
	.reset = vp_vdpa_reset,
	.get_config_size = vp_vdpa_get_config_size,
	.get_config = vp_vdpa_get_config,
	.set_config = vp_vdpa_set_config,
	.get_generation = vp_vdpa_get_generation,
	.free = vp_vdpa_free,
};

/* ---- management device ---- */

struct vp_vdpa_params {
	u64 features;
	u16 max_vqp;
	bool mac_set;
	u8 mac[ETH_ALEN];
};

static int vp_vdpa_check_features(struct vp_fn *fn, u64 f,
				  struct netlink_ext_ack *extack)
{
	if (f & ~fn->features) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device_features: not a subset of what the function offers");
		return -EINVAL;
	}
	if (!(f & BIT_ULL(VIRTIO_F_VERSION_1))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device_features: VIRTIO_F_VERSION_1 is required");
		return -EINVAL;
	}
	if (!(f & BIT_ULL(VIRTIO_F_ACCESS_PLATFORM))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device_features: VIRTIO_F_ACCESS_PLATFORM is required (DMA goes through the IOMMU)");
		return -EINVAL;
	}
	if ((f & VP_VDPA_CVQ_USERS) && !(f & BIT_ULL(VIRTIO_NET_F_CTRL_VQ))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "device_features: CTRL_RX, CTRL_VLAN, GUEST_ANNOUNCE, MQ and CTRL_MAC_ADDR need CTRL_VQ");
		return -EINVAL;
	}
	return 0;
}

static int vp_vdpa_params(struct vp_fn *fn,
			  const struct vdpa_dev_set_config *config,
			  struct vp_vdpa_params *p,
			  struct netlink_ext_ack *extack)
{
	int err;

	p->features = fn->features;
	if (vp_vdpa_has(config, VDPA_ATTR_DEV_FEATURES)) {
		err = vp_vdpa_check_features(fn, config->device_features,
					     extack);
		if (err)
			return err;
		p->features = config->device_features;
	}
	p->max_vqp = p->features & BIT_ULL(VIRTIO_NET_F_MQ) ? fn->max_vqp : 1;
	/* by default, as many pairs as there are vectors for */
	p->max_vqp = min_t(u16, p->max_vqp, (fn->nvec - 2) / 2 ?: 1);
	if (vp_vdpa_has(config, VDPA_ATTR_DEV_NET_CFG_MAX_VQP)) {
		p->max_vqp = config->net.max_vq_pairs;
		if (!p->max_vqp) {
			NL_SET_ERR_MSG_MOD(extack, "max_vqp: at least 1 is needed");
			return -ERANGE;
		}
		if (p->max_vqp > fn->max_vqp) {
			NL_SET_ERR_MSG_MOD(extack,
					   "max_vqp: above the function's queue pairs");
			return -ERANGE;
		}
		if (p->max_vqp > 1 &&
		    !(p->features & BIT_ULL(VIRTIO_NET_F_MQ))) {
			NL_SET_ERR_MSG_MOD(extack,
					   "max_vqp: more than 1 needs VIRTIO_NET_F_MQ");
			return -EINVAL;
		}
	}
	if (vp_vdpa_has(config, VDPA_ATTR_DEV_NET_CFG_MTU) &&
	    (!(fn->features & BIT_ULL(VIRTIO_NET_F_MTU)) ||
	     config->net.mtu != fn->mtu)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "mtu: the function's MTU is fixed by the device and cannot be provisioned");
		return -EOPNOTSUPP;
	}
	p->mac_set = vp_vdpa_has(config, VDPA_ATTR_DEV_NET_CFG_MACADDR);
	if (p->mac_set) {
		if (!(p->features & BIT_ULL(VIRTIO_NET_F_MAC))) {
			NL_SET_ERR_MSG_MOD(extack,
					   "mac: the function does not offer VIRTIO_NET_F_MAC");
			return -EOPNOTSUPP;
		}
		if (!is_valid_ether_addr(config->net.mac)) {
			NL_SET_ERR_MSG_MOD(extack, "mac: not a valid unicast address");
			return -EINVAL;
		}
		ether_addr_copy(p->mac, config->net.mac);
	}
	return 0;
}

static int vp_vdpa_setup_vqs(struct vp_vdpa *vp)
{
	struct vp_fn *fn = vp->fn;
	struct vp_vdpa_vq *vq;
	u32 off;
	u16 i;

	for (i = 0; i < vp->nvqs; i++) {
		vq = &vp->vqs[i];
		vq->irq = -1;
		/* the control queue follows all of the function's pairs */
		vq->hw = i < 2 * vp->max_vqp ? i : 2 * fn->max_vqp;
		vp_hw_queue_setup(&fn->hw, vq->hw, &vq->max_size, &off);
		if (!vq->max_size || off > fn->hw.notify_len - sizeof(u16))
			return -ENODEV;
		vq->notify = fn->hw.notify + off;
		vq->notify_pa = fn->hw.notify_pa + off;
		vq->notify_mappable =
			vp_doorbell_mappable(fn->hw.notify_mem,
					     fn->hw.notify_pa,
					     fn->hw.notify_len,
					     fn->hw.notify_mult, off);
	}
	return 0;
}

static int vp_vdpa_dev_add(struct vdpa_mgmt_dev *mdev, const char *name,
			   const struct vdpa_dev_set_config *config)
{
	struct netlink_ext_ack *extack = vdpa_mgmt_extack();
	struct vp_fn *fn = container_of(mdev, struct vp_fn, mgmt);
	struct pci_dev *pdev = fn->hw.pdev;
	struct vp_vdpa_params p;
	struct vp_vdpa *vp;
	bool cvq;
	int err;

	if (fn->vdpa) {
		NL_SET_ERR_MSG_MOD(extack,
				   "mgmtdev: the function already has a vDPA device");
		return -EBUSY;
	}
	err = vp_vdpa_params(fn, config, &p, extack);
	if (err)
		return err;
	cvq = p.features & BIT_ULL(VIRTIO_NET_F_CTRL_VQ);
	if (2 * p.max_vqp + cvq + 1 > fn->nvec) {
		NL_SET_ERR_MSG_MOD(extack,
				   "max_vqp: the function has too few MSI-X vectors for that many queues");
		return -ENOSPC;
	}

	vp = vdpa_alloc_device(struct vp_vdpa, vdpa, &pdev->dev, &vp_vdpa_ops,
			       NULL, 1, 1, name, false);
	if (IS_ERR(vp)) {
		NL_SET_ERR_MSG_MOD(extack, "allocating the device failed");
		return PTR_ERR(vp);
	}
	vp->fn = fn;
	vdpa_set_dma_dev(&vp->vdpa, &pdev->dev);
	vp->vdpa.mdev = mdev;
	vp->features = p.features;
	vp->max_vqp = p.max_vqp;
	vp->mac_set = p.mac_set;
	ether_addr_copy(vp->mac, p.mac);
	vp->config_irq = -1;
	vp->nvqs = 2 * p.max_vqp + cvq;
	vp->vqs = kcalloc(vp->nvqs, sizeof(*vp->vqs), GFP_KERNEL);
	if (!vp->vqs) {
		err = -ENOMEM;
		goto err_put;
	}
	err = vp_vdpa_setup_vqs(vp);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "the function's queues are not usable");
		goto err_put;
	}
	err = vp_vdpa_request_irqs(vp);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "requesting the interrupts failed");
		goto err_put;
	}
	err = vp_hw_reset(&fn->hw) ?: vp_vdpa_hw_init(vp);
	if (err == -EOPNOTSUPP)
		NL_SET_ERR_MSG_MOD(extack,
				   "mac: the function does not accept a MAC address");
	else if (err)
		NL_SET_ERR_MSG_MOD(extack,
				   "the function refused its interrupt vectors");
	if (err)
		goto err_irqs;
	err = _vdpa_register_device(&vp->vdpa, vp->nvqs);
	if (err) {
		if (err == -EEXIST)
			NL_SET_ERR_MSG_MOD(extack,
					   "name: a vDPA device of this name exists");
		else
			NL_SET_ERR_MSG_MOD(extack, "registering the device failed");
		goto err_irqs;
	}
	fn->vdpa = vp;
	return 0;

err_irqs:
	vp_vdpa_free_irqs(vp);
err_put:
	put_device(&vp->vdpa.dev);
	return err;
}

static void vp_vdpa_dev_del(struct vdpa_mgmt_dev *mdev,
			    struct vdpa_device *vdpa)
{
	struct vp_fn *fn = container_of(mdev, struct vp_fn, mgmt);
	struct vp_vdpa *vp = vdpa_to_vp(vdpa);

	/* the bus driver is gone after this; keep vp until we are done */
	get_device(&vdpa->dev);
	_vdpa_unregister_device(vdpa);
	vp_hw_reset(&fn->hw);
	vp_vdpa_free_irqs(vp);
	fn->vdpa = NULL;
	put_device(&vdpa->dev);
}

static const struct vdpa_mgmtdev_ops vp_vdpa_mgmt_ops = {
	.dev_add = vp_vdpa_dev_add,
	.dev_del = vp_vdpa_dev_del,
};

static struct virtio_device_id vp_vdpa_ids[] = {
	{ VIRTIO_ID_NET, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

/* ---- SR-IOV ---- */

/* New VFs of a PF bound here are bound here too, before anything probes them. */
static int vp_vdpa_vf_added(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct vp_fn *fn = container_of(nb, struct vp_fn, vf_nb);
	struct pci_dev *pdev;

	if (action != BUS_NOTIFY_ADD_DEVICE)
		return NOTIFY_DONE;
	pdev = to_pci_dev(data);
	if (!pdev->is_virtfn || pci_physfn(pdev) != fn->hw.pdev)
		return NOTIFY_DONE;
	if (compat_pci_set_driver_override(pdev, VP_VDPA_NAME))
		pci_warn(pdev, "could not point the VF at %s\n", VP_VDPA_NAME);
	return NOTIFY_OK;
}

static int vp_vdpa_sriov_configure(struct pci_dev *pdev, int num_vfs)
{
	int err;

	if (!num_vfs) {
		pci_disable_sriov(pdev);
		return 0;
	}
	err = pci_enable_sriov(pdev, num_vfs);
	if (err) {
		pci_err(pdev, "enabling %d VFs failed: %d\n", num_vfs, err);
		return err;
	}
	return num_vfs;
}

/* ---- PCI driver ---- */

static int vp_vdpa_probe_features(struct vp_fn *fn)
{
	struct pci_dev *pdev = fn->hw.pdev;
	u64 f = vp_hw_get_features(&fn->hw);
	bool cvq;

	if (!(f & BIT_ULL(VIRTIO_F_VERSION_1))) {
		pci_err(pdev, "no VIRTIO_F_VERSION_1: only modern virtio devices can be vDPA devices\n");
		return -ENODEV;
	}
	if (!(f & BIT_ULL(VIRTIO_F_ACCESS_PLATFORM))) {
		pci_err(pdev, "no VIRTIO_F_ACCESS_PLATFORM: its DMA would bypass the IOMMU, refusing it (QEMU: iommu_platform=on)\n");
		return -ENODEV;
	}
	fn->features = f & VP_VDPA_FEATURES;
	cvq = fn->features & BIT_ULL(VIRTIO_NET_F_CTRL_VQ);
	fn->max_vqp = 1;
	if (fn->features & BIT_ULL(VIRTIO_NET_F_MQ))
		fn->max_vqp = ioread16(fn->hw.device +
				       offsetof(struct virtio_net_config,
						max_virtqueue_pairs));
	if (!fn->max_vqp || 2 * fn->max_vqp + cvq > fn->hw.num_queues) {
		pci_err(pdev, "%u queue pairs do not fit its %u queues\n",
			fn->max_vqp, fn->hw.num_queues);
		return -ENODEV;
	}
	if (fn->features & BIT_ULL(VIRTIO_NET_F_MTU))
		fn->mtu = ioread16(fn->hw.device +
				   offsetof(struct virtio_net_config, mtu));
	return 0;
}

static int vp_vdpa_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vp_fn *fn;
	int err;

	fn = devm_kzalloc(&pdev->dev, sizeof(*fn), GFP_KERNEL);
	if (!fn)
		return -ENOMEM;
	fn->hw.pdev = pdev;
	err = pcim_enable_device(pdev);
	if (err)
		return err;
	err = pci_request_regions(pdev, VP_VDPA_NAME);
	if (err)
		return err;
	err = vp_hw_probe(&fn->hw);
	if (err)
		goto err_regions;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err)
		err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (err)
		goto err_hw;
	pci_set_master(pdev);
	err = vp_hw_reset(&fn->hw) ?: vp_vdpa_probe_features(fn);
	if (err)
		goto err_hw;
	fn->nvec = pci_alloc_irq_vectors(pdev, 2, fn->hw.num_queues + 1,
					 PCI_IRQ_MSIX);
	if (fn->nvec < 0) {
		err = fn->nvec;
		pci_err(pdev, "MSI-X is required: %d\n", err);
		goto err_hw;
	}
	pci_set_drvdata(pdev, fn);

	fn->mgmt.device = &pdev->dev;
	fn->mgmt.ops = &vp_vdpa_mgmt_ops;
	fn->mgmt.id_table = vp_vdpa_ids;
	fn->mgmt.config_attr_mask = BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MACADDR) |
				    BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MTU) |
				    BIT_ULL(VDPA_ATTR_DEV_NET_CFG_MAX_VQP) |
				    BIT_ULL(VDPA_ATTR_DEV_FEATURES);
	fn->mgmt.supported_features = fn->features;
	fn->mgmt.max_supported_vqs = 2 * fn->max_vqp +
		!!(fn->features & BIT_ULL(VIRTIO_NET_F_CTRL_VQ));

	if (pci_sriov_get_totalvfs(pdev) > 0) {
		fn->vf_nb.notifier_call = vp_vdpa_vf_added;
		err = bus_register_notifier(&pci_bus_type, &fn->vf_nb);
		if (err)
			goto err_vectors;
		fn->vf_nb_registered = true;
	}
	err = vdpa_mgmtdev_register(&fn->mgmt);
	if (err)
		goto err_notifier;
	return 0;

err_notifier:
	if (fn->vf_nb_registered)
		bus_unregister_notifier(&pci_bus_type, &fn->vf_nb);
err_vectors:
	pci_free_irq_vectors(pdev);
err_hw:
	vp_hw_remove(&fn->hw);
err_regions:
	pci_release_regions(pdev);
	return err;
}

static void vp_vdpa_remove(struct pci_dev *pdev)
{
	struct vp_fn *fn = pci_get_drvdata(pdev);

	/* VFs first: they may be in use through this PF's notifier */
	if (fn->vf_nb_registered) {
		pci_disable_sriov(pdev);
		bus_unregister_notifier(&pci_bus_type, &fn->vf_nb);
	}
	vdpa_mgmtdev_unregister(&fn->mgmt);
	pci_free_irq_vectors(pdev);
	vp_hw_remove(&fn->hw);
	pci_release_regions(pdev);
}

/*
 * Only functions pointed at this driver (driver_override: tools/vdpa-pci-bind,
 * or a PF's new VFs) match, so a virtio-net NIC the host itself uses is never
 * taken; hence no MODULE_DEVICE_TABLE either.
 */
static const struct pci_device_id vp_vdpa_pci_ids[] = {
	/* modern (1.x-only) and transitional virtio-net */
	{ PCI_DEVICE_DRIVER_OVERRIDE(PCI_VENDOR_ID_REDHAT_QUMRANET, 0x1041, 1) },
	{ PCI_DEVICE_DRIVER_OVERRIDE(PCI_VENDOR_ID_REDHAT_QUMRANET, 0x1000, 1) },
	{ 0 },
};

static struct pci_driver vp_vdpa_driver = {
	.name = VP_VDPA_NAME,
	.id_table = vp_vdpa_pci_ids,
	.probe = vp_vdpa_probe,
	.remove = vp_vdpa_remove,
	.sriov_configure = vp_vdpa_sriov_configure,
};
module_pci_driver(vp_vdpa_driver);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The vDPA suite developers");
MODULE_DESCRIPTION("vDPA parent for virtio-net PCI functions (PF and SR-IOV VF) behind an IOMMU");
MODULE_VERSION("0.2.0");
MODULE_ALIAS("vdpa-mgmtdev-pci");
