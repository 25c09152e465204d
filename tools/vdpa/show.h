/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printing replies. Without -d the text and JSON are byte for byte those
 * of iproute2's vdpa for the same replies; -d adds the suite's fields.
 */
#ifndef VDPA_SHOW_H
#define VDPA_SHOW_H

#include "args.h"
#include "msg.h"
#include "out.h"

/* "mgmtdev", "dev", "config" or "vstats": the JSON section's name */
const char *show_section(enum args_show kind);

/* Prints one reply; -EINVAL if it lacks an attribute the kind needs */
int show_reply(struct out *o, enum args_show kind,
	       const struct vdpa_reply *reply);

#endif /* VDPA_SHOW_H */
