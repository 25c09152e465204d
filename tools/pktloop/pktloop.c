// SPDX-License-Identifier: GPL-2.0
/*
 * pktloop: send numbered frames of mixed sizes on one network interface
 * through an AF_PACKET socket and check that each comes back on another
 * (or the same) interface exactly once, in order and intact.
 *
 *   pktloop -i TXIF [-r RXIF] [-n COUNT] [-s MIN[:MAX]] [-w WINDOW]
 *           [-f FLOWS] [-t SECONDS] [-l MAXLOST] [-j]
 *
 * Frames are IPv4/UDP (so the kernel's flow hash spreads FLOWS flows over
 * the TX queues), sizes cycle deterministically between MIN and MAX bytes
 * of Ethernet frame, and every payload byte is a function of the frame's
 * sequence number and offset. Order is checked per flow. Exits 0 only if
 * every frame came back exactly once, in order, byte for byte; with -l,
 * up to MAXLOST frames may never come back (a device that drops what its
 * receive ring has no room for), but each that does must still be intact
 * and in order, and "lost" says how many did not.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PKTLOOP_ETHERTYPE	ETH_P_IP
#define HDR_LEN	(sizeof(struct ether_header) + sizeof(struct iphdr) + \
		 sizeof(struct udphdr))
#define MAGIC	0xd5
#define MAX_FLOWS 64

/* small enough for a 60-byte frame; flow f carries seq f, f+F, f+2F, ... */
struct payload_head {
	uint32_t seq;		/* sequence number */
	uint16_t len;		/* frame length */
	uint8_t flow;
	uint8_t magic;
} __attribute__((packed));

struct opts {
	const char *txif, *rxif;
	unsigned long count;
	unsigned int min, max, window, flows, timeout;
	unsigned long maxlost;
	int json;
};

struct stats {
	unsigned long sent, received, bad, dup_or_order, foreign;
	/* frames a later frame of their flow overtook: lost, unless late */
	unsigned long skipped;
	unsigned long long bytes;
	uint64_t next_seq[MAX_FLOWS];	/* the next seq expected per flow */
};

static void usage(void)
{
	fprintf(stderr,
		"usage: pktloop -i TXIF [-r RXIF] [-n COUNT] [-s MIN[:MAX]] [-w WINDOW]\n"
		"               [-f FLOWS] [-t SECONDS] [-l MAXLOST] [-j]\n");
	exit(2);
}

static unsigned long num(const char *s, unsigned long lo, unsigned long hi)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v < lo || v > hi) {
		fprintf(stderr, "pktloop: %s: expected a number in %lu..%lu\n",
			s, lo, hi);
		exit(2);
	}
	return v;
}

static void parse(int argc, char **argv, struct opts *o)
{
	char *colon;
	int c;

	*o = (struct opts){ .count = 100000, .min = 60, .max = 1514,
			    .window = 32, .flows = 1, .timeout = 30 };
	while ((c = getopt(argc, argv, "i:r:n:s:w:f:t:l:j")) != -1) {
		switch (c) {
		case 'i': o->txif = optarg; break;
		case 'r': o->rxif = optarg; break;
		case 'n': o->count = num(optarg, 1, 1UL << 31); break;
		case 's':
			colon = strchr(optarg, ':');
			if (colon)
				*colon++ = 0;
			o->min = num(optarg, HDR_LEN + sizeof(struct payload_head), 65535);
			o->max = colon ? num(colon, o->min, 65535) : o->min;
			break;
		case 'w': o->window = num(optarg, 1, 1 << 20); break;
		case 'f': o->flows = num(optarg, 1, MAX_FLOWS); break;
		case 't': o->timeout = num(optarg, 1, 3600); break;
		case 'l': o->maxlost = num(optarg, 0, 1UL << 31); break;
		case 'j': o->json = 1; break;
		default: usage();
		}
	}
	if (!o->txif || optind != argc)
		usage();
	if (!o->rxif)
		o->rxif = o->txif;
}

static int open_socket(const char *ifname, struct sockaddr_ll *sll,
		       unsigned char mac[ETH_ALEN])
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	int buf = 8 << 20;
	struct ifreq ifr = {};

	if (fd < 0) {
		perror("pktloop: socket(AF_PACKET)");
		exit(1);
	}
	*sll = (struct sockaddr_ll){ .sll_family = AF_PACKET,
				     .sll_protocol = htons(ETH_P_ALL),
				     .sll_ifindex = if_nametoindex(ifname) };
	if (!sll->sll_ifindex) {
		fprintf(stderr, "pktloop: no interface %s\n", ifname);
		exit(1);
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (bind(fd, (struct sockaddr *)sll, sizeof(*sll)) ||
	    ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		perror(ifname);
		exit(1);
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
	return fd;
}

/* the frame length of sequence number seq: a deterministic mix */
static unsigned int frame_len(const struct opts *o, uint64_t seq)
{
	uint64_t x = seq * 0x9e3779b97f4a7c15ull;

	if (o->max == o->min)
		return o->min;
	if (seq % 8 == 0)
		return seq % 16 ? o->max : o->min;	/* the edges, often */
	return o->min + (x >> 33) % (o->max - o->min + 1);
}

static uint8_t pattern(uint64_t seq, unsigned int off)
{
	return (uint8_t)(seq * 131 + off * 7 + (off >> 8));
}

/*
 * The pattern depends on seq only through seq % 256: the payloads are 256
 * rows of the longest frame, made once, so building and checking a frame
 * is a memcpy and a memcmp (a loop over its bytes costs more, under TCG,
 * than the datapaths this measures).
 */
static uint8_t *pat;
static unsigned int pat_len;

static void pattern_init(const struct opts *o)
{
	unsigned int s, i;

	pat_len = o->max;
	pat = malloc((size_t)256 * pat_len);
	if (!pat) {
		perror("pktloop: malloc");
		exit(1);
	}
	for (s = 0; s < 256; s++)
		for (i = 0; i < pat_len; i++)
			pat[(size_t)s * pat_len + i] = pattern(s, i);
}

static const uint8_t *pattern_row(uint64_t seq)
{
	return pat + (size_t)(seq & 255) * pat_len;
}

static void build(unsigned char *f, const struct opts *o, uint64_t seq,
		  const unsigned char dst[ETH_ALEN])
{
	unsigned int flow = seq % o->flows;
	unsigned int len = frame_len(o, seq);
	struct ether_header *eth = (void *)f;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	struct payload_head *ph = (void *)(udp + 1);

	memcpy(eth->ether_dhost, dst, ETH_ALEN);
	memcpy(eth->ether_shost, "\x02\x76\x64\x70\x61\x01", ETH_ALEN);
	eth->ether_type = htons(PKTLOOP_ETHERTYPE);
	*ip = (struct iphdr){ .version = 4, .ihl = 5, .ttl = 64,
			      .protocol = IPPROTO_UDP,
			      .tot_len = htons(len - sizeof(*eth)),
			      .saddr = htonl(0xc6120001),	/* 198.18.0.1 */
			      .daddr = htonl(0xc6120002) };
	*udp = (struct udphdr){ .source = htons(40000 + flow),
				.dest = htons(9),
				.len = htons(len - sizeof(*eth) - sizeof(*ip)) };
	*ph = (struct payload_head){ .magic = MAGIC, .seq = seq,
				     .flow = flow, .len = len };
	memcpy(f + HDR_LEN + sizeof(*ph), pattern_row(seq) + HDR_LEN + sizeof(*ph),
	       len - HDR_LEN - sizeof(*ph));
}

/* check one received frame; returns 1 if it is one of ours */
static int check(const unsigned char *f, ssize_t n, const struct opts *o,
		 struct stats *st)
{
	const struct payload_head *ph = (const void *)(f + HDR_LEN);
	size_t off = HDR_LEN + sizeof(*ph);

	if (n < (ssize_t)off || ph->magic != MAGIC)
		return 0;
	if (ph->len != n || ph->flow >= MAX_FLOWS || n > pat_len ||
	    memcmp(f + off, pattern_row(ph->seq) + off, n - off)) {
		st->bad++;
		return 1;
	}
	/*
	 * A frame behind the next expected one came twice or late; one
	 * ahead of it means the frames between were skipped (lost, or late
	 * and then counted here as out of order).
	 */
	if (ph->seq < st->next_seq[ph->flow]) {
		st->dup_or_order++;
	} else {
		st->skipped += (ph->seq - st->next_seq[ph->flow]) / o->flows;
		st->next_seq[ph->flow] = ph->seq + o->flows;
	}
	st->received++;
	st->bytes += n;
	return 1;
}

static void receive(int fd, const struct opts *o, struct stats *st,
		    int wait_ms)
{
	static unsigned char f[65536];
	struct sockaddr_ll from;
	socklen_t fl;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, wait_ms) <= 0)
		return;
	for (;;) {
		fl = sizeof(from);
		n = recvfrom(fd, f, sizeof(f), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &fl);
		if (n < 0)
			return;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		if (!check(f, n, o, st))
			st->foreign++;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run(const struct opts *o, struct stats *st, double *secs)
{
	struct sockaddr_ll txa, rxa;
	unsigned char txmac[ETH_ALEN], rxmac[ETH_ALEN];
	static unsigned char f[65536];
	int tx = open_socket(o->txif, &txa, txmac);
	int rx = strcmp(o->rxif, o->txif) ? open_socket(o->rxif, &rxa, rxmac) : tx;
	double start = now(), sent_at = start, heard_at = start, deadline;
	struct tpacket_stats ps;
	socklen_t psl = sizeof(ps);
	unsigned int i;

	if (rx == tx)
		memcpy(rxmac, txmac, ETH_ALEN);
	for (i = 0; i < o->flows; i++)
		st->next_seq[i] = i;
	while (st->sent < o->count) {
		/* a skipped frame is not in flight: losses never shrink the window */
		unsigned long done = st->received + st->skipped;

		if (st->sent > done && st->sent - done >= o->window) {
			unsigned long before = st->received;

			receive(rx, o, st, 1000);
			if (st->received != before)
				heard_at = now();
			else if (now() - heard_at > o->timeout)
				break;
			continue;
		}
		build(f, o, st->sent, rxmac);
		if (send(tx, f, frame_len(o, st->sent), 0) < 0) {
			/* a full queue, or one that refuses every frame */
			if (errno == ENOBUFS || errno == EAGAIN) {
				if (now() - sent_at > o->timeout) {
					fprintf(stderr, "pktloop: send: %s for %u s\n",
						strerror(errno), o->timeout);
					break;
				}
				receive(rx, o, st, 1);
				continue;
			}
			perror("pktloop: send");
			return 1;
		}
		st->sent++;
		sent_at = now();
		receive(rx, o, st, 0);
	}
	/* the last frames: until all are back, or TIMEOUT without one */
	deadline = now() + o->timeout;
	while (st->received + st->bad < st->sent && now() < deadline) {
		unsigned long before = st->received + st->bad;

		receive(rx, o, st, 100);
		if (st->received + st->bad != before)
			deadline = now() + o->timeout;
	}
	*secs = now() - start;
	/* where a missing frame might have gone: the socket's own drops */
	if (st->received + st->bad < st->sent &&
	    !getsockopt(rx, SOL_PACKET, PACKET_STATISTICS, &ps, &psl))
		fprintf(stderr, "pktloop: %lu frames did not come back; the receiving socket dropped %u\n",
			st->sent - st->received - st->bad, ps.tp_drops);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct stats st = {};
	double secs = 0;
	unsigned long lost;
	int ok;

	parse(argc, argv, &o);
	pattern_init(&o);
	if (run(&o, &st, &secs))
		return 1;
	lost = st.sent > st.received + st.bad ? st.sent - st.received - st.bad : 0;
	ok = st.sent == o.count && st.received + st.bad <= st.sent &&
	     lost <= o.maxlost && !st.bad && !st.dup_or_order;
	if (o.json)
		printf("{\"sent\":%lu,\"received\":%lu,\"corrupt\":%lu,"
		       "\"out_of_order\":%lu,\"lost\":%lu,\"bytes\":%llu,\"seconds\":%.3f,"
		       "\"frames_per_s\":%.0f,\"mbit_per_s\":%.1f,\"ok\":%s}\n",
		       st.sent, st.received, st.bad, st.dup_or_order, lost,
		       st.bytes, secs, st.received / secs,
		       st.bytes * 8 / secs / 1e6, ok ? "true" : "false");
	else
		printf("sent %lu received %lu corrupt %lu out_of_order %lu lost %lu "
		       "bytes %llu seconds %.3f frames/s %.0f Mbit/s %.1f%s\n",
		       st.sent, st.received, st.bad, st.dup_or_order, lost,
		       st.bytes, secs, st.received / secs,
		       st.bytes * 8 / secs / 1e6, ok ? "" : " FAILED");
	return ok ? 0 : 1;
}
