/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IOMMU API: iommu_map() takes a gfp_t since 6.3; paging domains are
 * allocated for a device with iommu_paging_domain_alloc() since 6.11,
 * which returns an ERR_PTR, where older kernels allocated them for a bus
 * with iommu_domain_alloc(), which returns NULL on failure.
 */
#ifndef _VDPA_COMPAT_IOMMU_H
#define _VDPA_COMPAT_IOMMU_H

#include <linux/err.h>
#include <linux/iommu.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
#define iommu_map(domain, iova, paddr, size, prot, gfp) \
	iommu_map((domain), (iova), (paddr), (size), (prot))
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 11, 0)
static inline struct iommu_domain *iommu_paging_domain_alloc(struct device *dev)
{
	struct iommu_domain *domain = iommu_domain_alloc(dev->bus);

	return domain ? domain : ERR_PTR(-ENOMEM);
}
#endif

#endif /* _VDPA_COMPAT_IOMMU_H */
