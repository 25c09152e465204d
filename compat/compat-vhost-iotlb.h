/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhost_iotlb: Debian's 6.1 (6.1.192) vhost_iotlb_add_range_ctx() refuses,
 * with -EINVAL, to add to an IOTLB whose limit is 0, which other kernels
 * take as "no limit". The limit is only ever enforced together with
 * VHOST_IOTLB_FLAG_RETIRE, so an IOTLB without that flag and with the
 * largest limit is unlimited everywhere.
 */
#ifndef _VDPA_COMPAT_VHOST_IOTLB_H
#define _VDPA_COMPAT_VHOST_IOTLB_H

/* no includes: this is force-included ahead of everything */
#define VDPA_IOTLB_NO_LIMIT	(~0U)

#endif /* _VDPA_COMPAT_VHOST_IOTLB_H */
