// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_loop -M MIB: the control-plane benchmark of the IOTLB. Maps MIB
 * MiB of the process's memory (touched first, so only pinning and
 * translation are timed) with IOTLB updates of 2 MiB each in one batch,
 * then invalidates it all in a second batch, and prints the time of each.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

#include "vhost_loop.h"

#define VL_MAP_CHUNK	(2UL << 20)

static double vl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int vl_map_bench(const struct vl_opts *o)
{
	size_t size = (size_t)o->map_mib << 20, off;
	double t0, t1, t2;
	struct vl_dev d;
	int err = 0, rc = 1;

	if (vl_dev_open(&d, o->dev))
		goto out;
	d.shared = o->shared;
	if (vl_mem_alloc(&d, size))
		goto out;
	t0 = vl_now();
	if (vl_iotlb_batch(d.fd, VHOST_IOTLB_BATCH_BEGIN))
		goto out;
	for (off = 0; off < size && !err; off += VL_MAP_CHUNK)
		err = vl_iotlb(d.fd, VHOST_IOTLB_UPDATE, d.mem.iova + off,
			       VL_MAP_CHUNK, d.mem.base + off, VHOST_ACCESS_RW);
	if (err || vl_iotlb_batch(d.fd, VHOST_IOTLB_BATCH_END)) {
		fprintf(stderr, "vhost_loop: mapping at %zu MiB failed: %d\n",
			off >> 20, err);
		goto out;
	}
	t1 = vl_now();
	if (vl_iotlb_batch(d.fd, VHOST_IOTLB_BATCH_BEGIN) ||
	    vl_iotlb(d.fd, VHOST_IOTLB_INVALIDATE, d.mem.iova, size, NULL, 0) ||
	    vl_iotlb_batch(d.fd, VHOST_IOTLB_BATCH_END))
		goto out;
	t2 = vl_now();
	if (o->json)
		printf("{\"map_mib\":%u,\"map_seconds\":%.4f,\"unmap_seconds\":%.4f}\n",
		       o->map_mib, t1 - t0, t2 - t1);
	else
		printf("mapped %u MiB in %.4f s, unmapped in %.4f s\n",
		       o->map_mib, t1 - t0, t2 - t1);
	rc = 0;
out:
	vl_dev_close(&d);
	return rc;
}
