/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The suite's only place that knows kernel versions. Force-included into
 * every object (compat/Kbuild.include), it backports the newest kernel API
 * onto older kernels, one feature per header, so the drivers are written
 * against the newest API.
 */
#ifndef _VDPA_COMPAT_H
#define _VDPA_COMPAT_H

#include <linux/version.h>

/* Keep in step with BUILD_EXCLUSIVE_KERNEL in dkms.conf. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "the vDPA suite needs Linux 6.1 or newer"
#endif

#include "compat-driver-core.h"
#include "compat-vhost-iotlb.h"

#endif /* _VDPA_COMPAT_H */
