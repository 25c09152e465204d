// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa_pci: the virtio 1.x PCI transport of one function, as the parent
 * driver needs it: capability discovery, BAR mapping, common-config
 * register access and device reset.
 *
 * The common configuration's queue registers are windowed through
 * queue_select, so every queue access holds vp->lock across the select
 * and the access. Doorbell writes do not (each queue has its own).
 *
 * A function that went away (surprise removal) reads as all ones; the
 * reset poll stops on that instead of waiting for a zero that never comes.
 */
#include <linux/delay.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/pci.h>
#include <linux/virtio_config.h>
#include <uapi/linux/virtio_pci.h>

#include "vdpa_pci.h"

/*
 * Find the capability of @type. A function may offer one structure in
 * several BARs (QEMU's modern-pio-notify adds an I/O-BAR notify region
 * before the memory one): a memory BAR is preferred, an I/O BAR taken
 * only when there is nothing else.
 */
static int vp_find_cap(struct pci_dev *pdev, u8 type, u8 *bar, u32 *offset,
		       u32 *len, int *pos_out)
{
	int pos, found = 0;
	u8 cfg_type, cap_bar;

	for (pos = pci_find_capability(pdev, PCI_CAP_ID_VNDR); pos > 0;
	     pos = pci_find_next_capability(pdev, pos, PCI_CAP_ID_VNDR)) {
		pci_read_config_byte(pdev, pos +
				     offsetof(struct virtio_pci_cap, cfg_type),
				     &cfg_type);
		pci_read_config_byte(pdev, pos +
				     offsetof(struct virtio_pci_cap, bar),
				     &cap_bar);
		if (cfg_type != type || cap_bar >= PCI_STD_NUM_BARS ||
		    !pci_resource_len(pdev, cap_bar))
			continue;
		if (!found)
			found = pos;
		if (pci_resource_flags(pdev, cap_bar) & IORESOURCE_MEM) {
			found = pos;
			break;
		}
	}
	if (!found)
		return -ENODEV;
	pci_read_config_byte(pdev, found + offsetof(struct virtio_pci_cap, bar),
			     bar);
	pci_read_config_dword(pdev, found +
			      offsetof(struct virtio_pci_cap, offset), offset);
	pci_read_config_dword(pdev, found +
			      offsetof(struct virtio_pci_cap, length), len);
	if (pos_out)
		*pos_out = found;
	return 0;
}

/* Map the region a capability points at; min_len is what we must have. */
static void __iomem *vp_map_cap(struct vp_hw *vp, u8 type, u32 min_len,
				u32 *len_out, resource_size_t *pa_out,
				int *pos_out, bool *mem_out)
{
	struct pci_dev *pdev = vp->pdev;
	u32 offset, len;
	void __iomem *p;
	u8 bar;

	if (vp_find_cap(pdev, type, &bar, &offset, &len, pos_out))
		return NULL;
	if (len < min_len || (u64)offset + len > pci_resource_len(pdev, bar)) {
		dev_err(&pdev->dev,
			"virtio capability %u: region %u+%u does not fit BAR %u\n",
			type, offset, len, bar);
		return NULL;
	}
	p = pci_iomap_range(pdev, bar, offset, len);
	if (!p)
		return NULL;
	vp->bars |= BIT(bar);
	if (len_out)
		*len_out = len;
	if (pa_out)
		*pa_out = pci_resource_start(pdev, bar) + offset;
	if (mem_out)
		*mem_out = pci_resource_flags(pdev, bar) & IORESOURCE_MEM;
	return p;
}

/**
 * vp_hw_probe - discover and map the virtio structures of a function
 * @vp: the function, with @vp->pdev set and enabled
 *
 * Return: 0, or -ENODEV for a function that is not a modern virtio
 * device (with a message saying what is missing).
 */
int vp_hw_probe(struct vp_hw *vp)
{
	struct pci_dev *pdev = vp->pdev;
	int notify_pos = 0;

	spin_lock_init(&vp->lock);
	vp->common = vp_map_cap(vp, VIRTIO_PCI_CAP_COMMON_CFG,
				sizeof(struct virtio_pci_common_cfg), NULL,
				NULL, NULL, NULL);
	if (!vp->common) {
		dev_err(&pdev->dev,
			"no virtio 1.x common configuration: legacy-only devices are not supported\n");
		return -ENODEV;
	}
	vp->isr = vp_map_cap(vp, VIRTIO_PCI_CAP_ISR_CFG, 1, NULL, NULL, NULL,
			     NULL);
	vp->notify = vp_map_cap(vp, VIRTIO_PCI_CAP_NOTIFY_CFG, 2,
				&vp->notify_len, &vp->notify_pa, &notify_pos,
				&vp->notify_mem);
	vp->device = vp_map_cap(vp, VIRTIO_PCI_CAP_DEVICE_CFG, 0,
				&vp->device_len, NULL, NULL, NULL);
	if (!vp->isr || !vp->notify || !vp->device) {
		dev_err(&pdev->dev,
			"virtio capabilities incomplete (isr %d notify %d device %d)\n",
			!!vp->isr, !!vp->notify, !!vp->device);
		vp_hw_remove(vp);
		return -ENODEV;
	}
	pci_read_config_dword(pdev, notify_pos +
			      offsetof(struct virtio_pci_notify_cap,
				       notify_off_multiplier),
			      &vp->notify_mult);
	vp->num_queues = ioread16(&vp->common->num_queues);
	return 0;
}

/**
 * vp_hw_remove - unmap what vp_hw_probe() mapped
 * @vp: the function
 */
void vp_hw_remove(struct vp_hw *vp)
{
	void __iomem **maps[] = { (void __iomem **)&vp->common,
				  (void __iomem **)&vp->isr, &vp->notify,
				  &vp->device };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		if (*maps[i])
			pci_iounmap(vp->pdev, *maps[i]);
		*maps[i] = NULL;
	}
}

/* A 64-bit feature word through its select register, low half first. */
static u64 vp_hw_read_features(struct vp_hw *vp, __le32 __iomem *select,
			       __le32 __iomem *word)
{
	u64 f;

	spin_lock(&vp->lock);
	iowrite32(0, select);
	f = ioread32(word);
	iowrite32(1, select);
	f |= (u64)ioread32(word) << 32;
	spin_unlock(&vp->lock);
	return f;
}

u64 vp_hw_get_features(struct vp_hw *vp)
{
	return vp_hw_read_features(vp, &vp->common->device_feature_select,
				   &vp->common->device_feature);
}

void vp_hw_set_driver_features(struct vp_hw *vp, u64 f)
{
	spin_lock(&vp->lock);
	iowrite32(0, &vp->common->guest_feature_select);
	iowrite32(lower_32_bits(f), &vp->common->guest_feature);
	iowrite32(1, &vp->common->guest_feature_select);
	iowrite32(upper_32_bits(f), &vp->common->guest_feature);
	spin_unlock(&vp->lock);
}

u64 vp_hw_get_driver_features(struct vp_hw *vp)
{
	return vp_hw_read_features(vp, &vp->common->guest_feature_select,
				   &vp->common->guest_feature);
}

u8 vp_hw_get_status(struct vp_hw *vp)
{
	return ioread8(&vp->common->device_status);
}

void vp_hw_set_status(struct vp_hw *vp, u8 status)
{
	iowrite8(status, &vp->common->device_status);
}

/**
 * vp_hw_reset - reset the function and wait until it says it is done
 * @vp: the function
 *
 * Return: 0, -ENODEV if it is gone, -ETIMEDOUT if it never finishes.
 */
int vp_hw_reset(struct vp_hw *vp)
{
	unsigned int ms;
	u8 status;

	iowrite8(0, &vp->common->device_status);
	for (ms = 0; ms < 1000; ms++) {
		status = ioread8(&vp->common->device_status);
		if (!status)
			return 0;
		if (status == 0xff && !pci_device_is_present(vp->pdev))
			return -ENODEV;
		usleep_range(1000, 2000);
	}
	dev_err(&vp->pdev->dev, "reset did not complete in 1 s\n");
	return -ETIMEDOUT;
}

u8 vp_hw_generation(struct vp_hw *vp)
{
	return ioread8(&vp->common->config_generation);
}

void vp_hw_set_config_vector(struct vp_hw *vp, u16 vector)
{
	iowrite16(vector, &vp->common->msix_config);
}

/**
 * vp_hw_queue_setup - read a queue's maximum size and doorbell
 * @vp: the function
 * @hw: the queue's index on the function
 * @max_size: its maximum size (0: the queue does not exist)
 * @notify_off: the offset of its doorbell in the notify region
 */
void vp_hw_queue_setup(struct vp_hw *vp, u16 hw, u16 *max_size,
		       u32 *notify_off)
{
	spin_lock(&vp->lock);
	iowrite16(hw, &vp->common->queue_select);
	*max_size = ioread16(&vp->common->queue_size);
	*notify_off = ioread16(&vp->common->queue_notify_off) *
		      vp->notify_mult;
	spin_unlock(&vp->lock);
}

void vp_hw_queue_set_size(struct vp_hw *vp, u16 hw, u16 size)
{
	spin_lock(&vp->lock);
	iowrite16(hw, &vp->common->queue_select);
	iowrite16(size, &vp->common->queue_size);
	spin_unlock(&vp->lock);
}

void vp_hw_queue_set_addr(struct vp_hw *vp, u16 hw, u64 desc, u64 driver,
			  u64 device)
{
	spin_lock(&vp->lock);
	iowrite16(hw, &vp->common->queue_select);
	lo_hi_writeq(desc, &vp->common->queue_desc_lo);
	lo_hi_writeq(driver, &vp->common->queue_avail_lo);
	lo_hi_writeq(device, &vp->common->queue_used_lo);
	spin_unlock(&vp->lock);
}

void vp_hw_queue_enable(struct vp_hw *vp, u16 hw)
{
	spin_lock(&vp->lock);
	iowrite16(hw, &vp->common->queue_select);
	iowrite16(1, &vp->common->queue_enable);
	spin_unlock(&vp->lock);
}

bool vp_hw_queue_enabled(struct vp_hw *vp, u16 hw)
{
	u16 en;

	spin_lock(&vp->lock);
	iowrite16(hw, &vp->common->queue_select);
	en = ioread16(&vp->common->queue_enable);
	spin_unlock(&vp->lock);
	return en == 1;
}

/* Returns the vector the device took: VIRTIO_MSI_NO_VECTOR if it refused. */
u16 vp_hw_queue_set_vector(struct vp_hw *vp, u16 hw, u16 vector)
{
	u16 got;

	spin_lock(&vp->lock);
	iowrite16(hw, &vp->common->queue_select);
	iowrite16(vector, &vp->common->queue_msix_vector);
	got = ioread16(&vp->common->queue_msix_vector);
	spin_unlock(&vp->lock);
	return got;
}
