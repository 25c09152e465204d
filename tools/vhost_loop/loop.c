// SPDX-License-Identifier: GPL-2.0
/*
 * vhost_loop: the traffic test. Frame seq goes out on the TX queue of
 * pair seq % P and must come back on that pair's RX queue, in order per
 * pair, exactly once and byte for byte. Frame sizes cycle between MIN and
 * MAX bytes; every payload byte is a function of seq and its offset.
 * Every pair has a thread of its own, so pairs run in parallel as a
 * multiqueue driver's would. Transmit is batched (a kick per batch); with
 * nothing to do, a thread sleeps on its pair's call eventfds.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vhost_loop.h"

#define VL_ETH_HLEN	14
#define VL_ETHERTYPE	0x88b5		/* IEEE local experimental */
#define VL_MAGIC	0xa5

/* what follows the Ethernet header */
struct vl_head {
	uint32_t seq;		/* big-endian */
	uint16_t len;		/* the frame's length, big-endian */
	uint8_t pair;
	uint8_t magic;
} __attribute__((packed));

_Static_assert(VL_FRAME_MIN == VL_ETH_HLEN + sizeof(struct vl_head),
	       "VL_FRAME_MIN is the headers' size");

struct vl_stats {
	unsigned long sent, received, corrupt, out_of_order;
	unsigned long long bytes;
};

/* One pair's thread (a cache line of its own, as struct vl_pair). */
struct __attribute__((aligned(VL_CACHELINE))) vl_run {
	const struct vl_opts *o;
	struct vl_net *n;
	unsigned int pair;
	unsigned long want;	/* frames the pair carries */
	int err;
	pthread_t thread;
	struct vl_stats st;
	/* a received frame, put together from its buffers */
	uint8_t frame[VL_FRAME_MAX + VL_MRG_BUF];
};

static const uint8_t vl_src_mac[6] = { 0x02, 0x76, 0x6c, 0x6f, 0x6f, 0x70 };

static unsigned int vl_frame_len(const struct vl_opts *o, unsigned long seq)
{
	return o->min + (unsigned int)(seq * 37 % (o->max - o->min + 1));
}

static uint8_t vl_pattern(unsigned long seq, unsigned int off)
{
	return (uint8_t)(seq * 131 + off * 7 + (off >> 8));
}

/*
 * The pattern depends on seq only through seq % 256, so the payloads of
 * all frames are 256 rows, made once: building and checking a frame are a
 * memcpy and a memcmp, not a loop over its bytes (which under TCG cost
 * more than the datapath being measured).
 */
static uint8_t vl_pat[256][VL_FRAME_MAX];

static void vl_pattern_init(void)
{
	unsigned int s, i;

	for (s = 0; s < 256; s++)
		for (i = 0; i < VL_FRAME_MAX; i++)
			vl_pat[s][i] = vl_pattern(s, i);
}

static void vl_frame_build(uint8_t *f, unsigned int len, unsigned long seq,
			   unsigned int pair)
{
	struct vl_head head = {
		.seq = htobe32((uint32_t)seq),
		.len = htobe16((uint16_t)len),
		.pair = (uint8_t)pair,
		.magic = VL_MAGIC,
	};

	memset(f, 0xff, 6);
	memcpy(f + 6, vl_src_mac, sizeof(vl_src_mac));
	f[12] = VL_ETHERTYPE >> 8;
	f[13] = VL_ETHERTYPE & 0xff;
	memcpy(f + VL_ETH_HLEN, &head, sizeof(head));
	memcpy(f + VL_FRAME_MIN, &vl_pat[seq & 255][VL_FRAME_MIN],
	       len - VL_FRAME_MIN);
}

/* 0, with its sequence number, if the frame is an intact one of @pair's. */
static int vl_frame_check(const uint8_t *f, size_t len, unsigned int pair,
			  unsigned long *seq)
{
	struct vl_head head;

	if (len < VL_FRAME_MIN || f[12] != VL_ETHERTYPE >> 8 ||
	    f[13] != (VL_ETHERTYPE & 0xff))
		return -1;
	memcpy(&head, f + VL_ETH_HLEN, sizeof(head));
	if (head.magic != VL_MAGIC || head.pair != pair ||
	    be16toh(head.len) != len)
		return -1;
	*seq = be32toh(head.seq);
	return memcmp(f + VL_FRAME_MIN, &vl_pat[*seq & 255][VL_FRAME_MIN],
		      len - VL_FRAME_MIN) ? -1 : 0;
}

static int vl_ring_error(const struct vl_vq *vq, const char *what)
{
	fprintf(stderr, "vhost_loop: queue %u: %s\n", vq->index, what);
	return -1;
}

/* Take back the transmit buffers the device used. */
static int vl_tx_reclaim(struct vl_vq *tx, unsigned int *progress)
{
	struct vring_used_elem e;

	while (vl_vq_get_used(tx, &e)) {
		if (e.id >= tx->num || tx->nfree >= tx->num)
			return vl_ring_error(tx, "used a foreign descriptor");
		tx->free_ids[tx->nfree++] = (uint16_t)e.id;
		(*progress)++;
	}
	return 0;
}

/* Send up to a batch of the pair's next frames, with one kick. */
static void vl_tx_send(struct vl_run *r, unsigned int *progress)
{
	unsigned int pair = r->pair;
	struct vl_pair *pp = &r->n->pairs[pair];
	struct vl_vq *tx = &pp->tx;
	unsigned int n = 0, len;
	uint8_t *buf;
	uint16_t id;

	while (n < r->o->batch && tx->nfree && pp->next_seq < r->o->count &&
	       (!r->o->window ||
		(pp->next_seq - pp->expect) / r->n->npairs < r->o->window)) {
		id = tx->free_ids[--tx->nfree];
		buf = tx->bufs + (size_t)id * tx->buf_size;
		len = vl_frame_len(r->o, pp->next_seq);
		memset(buf, 0, VL_NET_HDR_LEN);
		vl_frame_build(buf + VL_NET_HDR_LEN, len, pp->next_seq, pair);
		vl_vq_add(tx, id, vl_iova(&r->n->d.mem, buf),
			  VL_NET_HDR_LEN + len, 0);
		pp->next_seq += r->n->npairs;
		r->st.sent++;
		n++;
	}
	if (n)
		vl_vq_kick(tx);
	*progress += n;
}

static void vl_rx_account(struct vl_run *r, size_t len, int bad)
{
	struct vl_pair *pp = &r->n->pairs[r->pair];
	unsigned long seq;

	if (bad || vl_frame_check(r->frame, len, r->pair, &seq)) {
		r->st.corrupt++;
		return;
	}
	r->st.received++;
	r->st.bytes += len;
	if (seq != pp->expect)
		r->st.out_of_order++;
	pp->expect = seq + r->n->npairs;
}

/* How many buffers the next frame spans; 0 if it is not all there yet. */
static uint16_t vl_rx_nbufs(const struct vl_net *n, const struct vl_vq *rx,
			    uint16_t pending)
{
	uint32_t id = le32toh(vl_vq_peek_used(rx, 0)->id);
	uint16_t nbufs;

	if (!n->mrg || id >= rx->num)
		return 1;
	/* num_buffers, the last field of the header */
	memcpy(&nbufs, rx->bufs + (size_t)id * rx->buf_size +
	       VL_NET_HDR_LEN - sizeof(nbufs), sizeof(nbufs));
	nbufs = le16toh(nbufs);
	/* a nonsensical count: take the one buffer, as a corrupt frame */
	if (!nbufs || nbufs > rx->num)
		return 1;
	return nbufs <= pending ? nbufs : 0;
}

/*
 * Take one frame off the pair's RX queue, check it, and post its buffers
 * again. 1 if a frame was taken, 0 if none is complete, -1 on a ring error.
 */
static int vl_rx_one(struct vl_run *r)
{
	struct vl_vq *rx = &r->n->pairs[r->pair].rx;
	uint16_t pending = vl_vq_used_pending(rx), nbufs, k;
	size_t total = 0, skip, take;
	struct vring_used_elem e;
	uint8_t *buf;
	int bad = 0;

	nbufs = pending ? vl_rx_nbufs(r->n, rx, pending) : 0;
	if (!nbufs)
		return 0;
	for (k = 0; k < nbufs; k++) {
		vl_vq_get_used(rx, &e);
		if (e.id >= rx->num || e.len > rx->buf_size)
			return vl_ring_error(rx, "used a descriptor wrongly");
		buf = rx->bufs + (size_t)e.id * rx->buf_size;
		skip = k ? 0 : VL_NET_HDR_LEN;
		take = e.len > skip ? e.len - skip : 0;
		bad |= e.len < skip || take > sizeof(r->frame) - total;
		if (!bad)
			memcpy(r->frame + total, buf + skip, take);
		total += take;
		vl_vq_add(rx, (uint16_t)e.id, vl_iova(&r->n->d.mem, buf),
			  rx->buf_size, VRING_DESC_F_WRITE);
	}
	vl_rx_account(r, total, bad);
	return 1;
}

/* Take every complete frame off the pair's RX queue. */
static int vl_rx_poll(struct vl_run *r, unsigned int *progress)
{
	unsigned int n = 0;
	int got;

	while ((got = vl_rx_one(r)) > 0)
		n++;
	if (n)
		vl_vq_kick(&r->n->pairs[r->pair].rx);
	*progress += n;
	return got;
}

static double vl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Sleep on the pair's call eventfds until one fires or 20 ms pass. */
static void vl_wait(struct vl_pair *pp)
{
	struct pollfd pfd[2] = {
		{ .fd = pp->rx.call_fd, .events = POLLIN },
		{ .fd = pp->tx.call_fd, .events = POLLIN },
	};

	poll(pfd, 2, 20);
	vl_vq_drain_call(&pp->rx);
	vl_vq_drain_call(&pp->tx);
}

/* Pin the calling thread to the @k-th CPU it may run on (modulo). */
static int vl_pin(unsigned int k)
{
	cpu_set_t allowed, one;
	unsigned int n, cpu;
	int err;

	err = pthread_getaffinity_np(pthread_self(), sizeof(allowed), &allowed);
	if (err)
		return err;
	n = CPU_COUNT(&allowed);
	k %= n;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed) || k--)
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		return pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
	}
	return EINVAL;
}

/* A pair's thread: its frames out and back. */
static void *vl_pair_traffic(void *arg)
{
	struct vl_run *r = arg;
	struct vl_pair *pp = &r->n->pairs[r->pair];
	double last = vl_now();
	unsigned int progress;
	int err;

	if (r->o->pin) {
		err = vl_pin(r->pair);
		if (err) {
			fprintf(stderr, "vhost_loop: pair %u: pinning: %s\n",
				r->pair, strerror(err));
			r->err = -1;
			return NULL;
		}
	}

	while (r->st.received + r->st.corrupt < r->want) {
		progress = 0;
		if (vl_tx_reclaim(&pp->tx, &progress) ||
		    vl_rx_poll(r, &progress) < 0) {
			r->err = -1;
			break;
		}
		vl_tx_send(r, &progress);
		if (progress) {
			last = vl_now();
			continue;
		}
		if (vl_now() - last > r->o->timeout) {
			fprintf(stderr, "vhost_loop: pair %u: nothing moved for %u s\n",
				r->pair, r->o->timeout);
			r->err = -1;
			break;
		}
		vl_wait(pp);
	}
	return NULL;
}

/* Run every pair's thread to the end; the sum of their counts in @st. */
static int vl_traffic(const struct vl_opts *o, struct vl_net *n,
		      struct vl_run *runs, struct vl_stats *st)
{
	unsigned int p, started;
	int err = 0;

	for (p = 0; p < n->npairs; p++) {
		runs[p].o = o;
		runs[p].n = n;
		runs[p].pair = p;
		/* frame seq goes to pair seq % npairs */
		runs[p].want = o->count / n->npairs + (p < o->count % n->npairs);
	}
	for (started = 0; started < n->npairs; started++) {
		err = pthread_create(&runs[started].thread, NULL,
				     vl_pair_traffic, &runs[started]);
		if (err) {
			fprintf(stderr, "vhost_loop: pthread_create: %s\n",
				strerror(err));
			/* the others stop once nothing moves for a while */
			err = -1;
			break;
		}
	}
	for (p = 0; p < started; p++) {
		pthread_join(runs[p].thread, NULL);
		err |= runs[p].err;
		st->sent += runs[p].st.sent;
		st->received += runs[p].st.received;
		st->corrupt += runs[p].st.corrupt;
		st->out_of_order += runs[p].st.out_of_order;
		st->bytes += runs[p].st.bytes;
	}
	return err;
}

/*
 * CPU time the whole machine spent busy (not idle or waiting for I/O),
 * in seconds, from /proc/stat; -1 if it cannot be read.
 */
static double vl_busy_seconds(void)
{
	unsigned long long v[8] = { 0 };
	double busy;
	FILE *f;
	int n;

	f = fopen("/proc/stat", "r");
	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n != 8)
		return -1;
	/* user nice system idle iowait irq softirq steal */
	busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	return busy / sysconf(_SC_CLK_TCK);
}

/*
 * cpus is how many CPUs were busy on average during the run, whoever
 * kept them busy: the client and the device together (and anything else
 * running), a measure of what one frame costs.
 */
static void vl_print(const struct vl_opts *o, const struct vl_stats *st,
		     double secs, double cpus, int ok)
{
	if (secs < 1e-6)
		secs = 1e-6;
	if (o->json)
		printf("{\"sent\":%lu,\"received\":%lu,\"corrupt\":%lu,"
		       "\"out_of_order\":%lu,\"bytes\":%llu,\"seconds\":%.3f,"
		       "\"frames_per_s\":%.0f,\"mbit_per_s\":%.1f,"
		       "\"cpus_busy\":%.2f,\"ok\":%s}\n",
		       st->sent, st->received, st->corrupt, st->out_of_order,
		       st->bytes, secs, st->received / secs,
		       st->bytes * 8 / secs / 1e6, cpus, ok ? "true" : "false");
	else
		printf("sent %lu received %lu corrupt %lu out_of_order %lu "
		       "bytes %llu seconds %.3f frames/s %.0f Mbit/s %.1f "
		       "CPUs busy %.2f%s\n",
		       st->sent, st->received, st->corrupt, st->out_of_order,
		       st->bytes, secs, st->received / secs,
		       st->bytes * 8 / secs / 1e6, cpus, ok ? "" : " FAILED");
}

/* The traffic test; the exit status. */
int vl_loop(const struct vl_opts *o)
{
	struct vl_stats st = { 0 };
	struct vl_run *runs;
	struct vl_net n;
	double start, secs, busy, busy_end, cpus = -1;
	int err, ok;

	vl_pattern_init();
	runs = vl_calloc_aligned(o->pairs, sizeof(*runs));
	if (!runs) {
		fprintf(stderr, "vhost_loop: out of memory\n");
		return 1;
	}
	if (vl_net_open(&n, o) || vl_net_program(&n) || vl_net_go(&n)) {
		vl_net_close(&n);
		free(runs);
		return 1;
	}
	busy = vl_busy_seconds();
	start = vl_now();
	err = vl_traffic(o, &n, runs, &st);
	secs = vl_now() - start;
	busy_end = vl_busy_seconds();
	if (busy >= 0 && busy_end >= 0 && secs > 0)
		cpus = (busy_end - busy) / secs;
	if (o->hold) {
		/* the device as the run left it, until standard input ends */
		fprintf(stderr, "vhost_loop: holding the device\n");
		while (getchar() != EOF)
			;
	}
	vl_net_close(&n);
	free(runs);
	ok = !err && st.sent == o->count && st.received == o->count &&
	     !st.corrupt && !st.out_of_order;
	vl_print(o, &st, secs, cpus, ok);
	return ok ? 0 : 1;
}
