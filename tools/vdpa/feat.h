/* SPDX-License-Identifier: GPL-2.0 */
/* Names of virtio feature bits and device classes, as iproute2 prints them */
#ifndef VDPA_FEAT_H
#define VDPA_FEAT_H

#include <stdint.h>

/* The name of feature @bit of a device of virtio type @dev_id, or NULL */
const char *feat_name(unsigned int bit, uint32_t dev_id);

/* "net", "block" or "< unknown class >" */
const char *feat_class_name(unsigned int dev_id);

/* "network", "block" or "<unknown type>" */
const char *feat_type_name(uint32_t dev_id);

#endif /* VDPA_FEAT_H */
