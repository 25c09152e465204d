// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_loop -M MIB: the control-plane benchmark of the IOTLB. Maps MIB
 * MiB of the process's memory (touched first, so only pinning and
 * translation are timed) with IOTLB updates of 2 MiB each (with -F, of
 * one page each: a fragmented map, one parent entry per page whatever
 * the physical layout) in one batch; then, with all of it mapped, times
 * small batches that map and unmap one more page each (what a VMM does
 * on every memory-layout change, against a large map); then invalidates
 * it all in a last batch. Prints the time of each.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>

#include "vhost_loop.h"

#define VL_MAP_CHUNK	(2UL << 20)
#define VL_PAGE		4096UL
/* how many small batches are timed */
#define VL_SMALL_BATCHES	50

static double vl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A batch that maps, or unmaps, the page at @off of the memory. */
static int vl_small_batch(struct vl_dev *d, size_t off, int map)
{
	return vl_iotlb_batch(d->fd, VHOST_IOTLB_BATCH_BEGIN) ||
	       vl_iotlb(d->fd, map ? VHOST_IOTLB_UPDATE : VHOST_IOTLB_INVALIDATE,
			d->mem.iova + off, VL_PAGE, map ? d->mem.base + off : NULL,
			map ? VHOST_ACCESS_RW : 0) ||
	       vl_iotlb_batch(d->fd, VHOST_IOTLB_BATCH_END);
}

int vl_map_bench(const struct vl_opts *o)
{
	size_t size = (size_t)o->map_mib << 20, off;
	size_t step = o->fragment ? VL_PAGE : VL_MAP_CHUNK;
	double t0, t1, t2, t3;
	struct vl_dev d;
	int err = 0, rc = 1, i;

	if (vl_dev_open(&d, o->dev))
		goto out;
	d.shared = o->shared;
	/* one more page, for the small batches */
	if (vl_mem_alloc(&d, size + VL_MAP_CHUNK))
		goto out;
	t0 = vl_now();
	if (vl_iotlb_batch(d.fd, VHOST_IOTLB_BATCH_BEGIN))
		goto out;
	for (off = 0; off < size && !err; off += step)
		err = vl_iotlb(d.fd, VHOST_IOTLB_UPDATE, d.mem.iova + off,
			       step, d.mem.base + off, VHOST_ACCESS_RW);
	if (err || vl_iotlb_batch(d.fd, VHOST_IOTLB_BATCH_END)) {
		fprintf(stderr, "vhost_loop: mapping at %zu MiB failed: %d\n",
			off >> 20, err);
		goto out;
	}
	t1 = vl_now();
	for (i = 0; i < VL_SMALL_BATCHES; i++) {
		if (vl_small_batch(&d, size, 1) || vl_small_batch(&d, size, 0)) {
			fprintf(stderr, "vhost_loop: small batch %d failed\n", i);
			goto out;
		}
	}
	t2 = vl_now();
	if (vl_iotlb_batch(d.fd, VHOST_IOTLB_BATCH_BEGIN) ||
	    vl_iotlb(d.fd, VHOST_IOTLB_INVALIDATE, d.mem.iova, size, NULL, 0) ||
	    vl_iotlb_batch(d.fd, VHOST_IOTLB_BATCH_END))
		goto out;
	t3 = vl_now();
	/* a small batch is a map and an unmap: two batches */
	if (o->json)
		printf("{\"map_mib\":%u,\"fragmented\":%s,\"map_seconds\":%.4f,"
		       "\"small_batch_ms\":%.3f,\"unmap_seconds\":%.4f}\n",
		       o->map_mib, o->fragment ? "true" : "false", t1 - t0,
		       (t2 - t1) * 1e3 / (2 * VL_SMALL_BATCHES), t3 - t2);
	else
		printf("mapped %u MiB%s in %.4f s; a one-page batch on it took %.3f ms; unmapped in %.4f s\n",
		       o->map_mib, o->fragment ? " a page at a time" : "",
		       t1 - t0, (t2 - t1) * 1e3 / (2 * VL_SMALL_BATCHES),
		       t3 - t2);
	rc = 0;
out:
	vl_dev_close(&d);
	return rc;
}
