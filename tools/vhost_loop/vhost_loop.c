// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_loop: drive a virtio-net vhost-vdpa device from user space and
 * check that what it sends comes back.
 *
 *   vhost_loop -d DEVICE [-n COUNT] [-s MIN[:MAX]] [-q PAIRS] [-b BATCH]
 *              [-w WINDOW] [-t SECONDS] [-a] [-m] [-E] [-H] [-j]
 *   vhost_loop -d DEVICE -x CASE [-S SEED] [-m]
 *   vhost_loop -d DEVICE -M MIB [-F] [-m] [-j]
 *
 * The first form sends COUNT frames of MIN to MAX bytes (Ethernet frame,
 * without the virtio-net header) over PAIRS queue pairs, BATCH per kick,
 * and checks that each comes back on its pair's receive queue exactly
 * once, in order and intact; it gives up after SECONDS without progress.
 * Each pair has a thread; -a pins pair k's thread to the k-th CPU it may
 * run on (modulo their number), so each pair has a CPU of its own.
 * WINDOW caps the frames in flight per pair: a device whose loop has no
 * back-pressure (a NIC looped through a socket) drops what its receive
 * ring has no room for, so keep WINDOW below the receive ring's size.
 * -m puts the rings and buffers (and a case's memory) in shared memfd
 * memory instead of anonymous memory (upstream's simulator in VA mode
 * needs that). -E
 * enables the data queues only after DRIVER_OK and after the control
 * queue has set the queue pairs, as QEMU restores a migrated device: it
 * needs VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK. -H
 * keeps the device open, as the run left it, until standard input ends
 * (so that its counters can be read).
 * It prints sent, received, corrupt and out-of-order frames, bytes,
 * seconds, frames/s and Mbit/s (with -j as one JSON object) and exits 0
 * only if everything came back. The device must loop TX queue 2k+1 back
 * to RX queue 2k, as vdpa_sim_net does.
 *
 * The second form does one thing the kernel must refuse (see cases.c),
 * or hands the device one hostile ring (see rings.c; -S seeds the cases
 * that draw random numbers). -x list prints every case.
 * The third times mapping and unmapping MIB MiB, with -F a page per
 * IOTLB update, and small batches on the map (see mapbench.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vhost_loop.h"

static void __attribute__((noreturn)) vl_usage(void)
{
	fprintf(stderr,
		"usage: vhost_loop -d DEVICE [-n COUNT] [-s MIN[:MAX]] [-q PAIRS] [-b BATCH]\n"
		"                  [-w WINDOW] [-t SECONDS] [-a] [-m] [-E] [-H] [-j]\n"
		"       vhost_loop -d DEVICE -x CASE [-S SEED] [-m]\n"
		"       vhost_loop -d DEVICE -M MIB [-F] [-m] [-j]\n"
		"cases:");
	vl_case_list(stderr);
	exit(2);
}

/* The number option -@opt gave, which must lie in [lo, hi]. */
static unsigned long vl_arg(int opt, const char *text, unsigned long lo,
			    unsigned long hi)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(text, &end, 0);
	if (errno || end == text || *end || v < lo || v > hi) {
		fprintf(stderr, "vhost_loop: -%c %s: not in %lu..%lu\n", opt,
			text, lo, hi);
		exit(2);
	}
	return (unsigned long)v;
}

static void vl_sizes(struct vl_opts *o, char *text)
{
	char *max = strchr(text, ':');

	if (max)
		*max++ = '\0';
	o->min = vl_arg('s', text, VL_FRAME_MIN, VL_FRAME_MAX);
	o->max = max ? vl_arg('s', max, o->min, VL_FRAME_MAX) : o->min;
}

static void vl_parse(int argc, char **argv, struct vl_opts *o)
{
	int c;

	*o = (struct vl_opts){
		.count = 10000,
		.min = 60,
		.max = 1514,
		.pairs = 1,
		.batch = 32,
		.timeout = 10,
	};
	while ((c = getopt(argc, argv, "d:n:s:q:b:w:t:amEM:FHjx:S:")) != -1) {
		switch (c) {
		case 'd': o->dev = optarg; break;
		case 'n': o->count = vl_arg(c, optarg, 1, 1UL << 31); break;
		case 's': vl_sizes(o, optarg); break;
		case 'q': o->pairs = vl_arg(c, optarg, 1, VL_PAIRS_MAX); break;
		case 'b': o->batch = vl_arg(c, optarg, 1, VL_QUEUE_MAX); break;
		case 'w': o->window = vl_arg(c, optarg, 1, 1U << 20); break;
		case 't': o->timeout = vl_arg(c, optarg, 1, 3600); break;
		case 'a': o->pin = 1; break;
		case 'm': o->shared = 1; break;
		case 'E': o->late_enable = 1; break;
		case 'M': o->map_mib = vl_arg(c, optarg, 1, 1U << 20); break;
		case 'F': o->fragment = 1; break;
		case 'H': o->hold = 1; break;
		case 'j': o->json = 1; break;
		case 'x': o->xcase = optarg; break;
		case 'S': o->seed = vl_arg(c, optarg, 0, ULONG_MAX); break;
		default: vl_usage();
		}
	}
	if (!o->dev || optind != argc)
		vl_usage();
}

int main(int argc, char **argv)
{
	struct vl_opts o;

	vl_parse(argc, argv, &o);
	/* results go to a pipe as often as to a terminal */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (o.map_mib)
		return vl_map_bench(&o);
	return o.xcase ? vl_case(&o) : vl_loop(&o);
}
