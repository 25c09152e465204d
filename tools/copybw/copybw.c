// SPDX-License-Identifier: GPL-2.0
/*
 * copybw: the copy bandwidth of this machine, the physical limit of a
 * datapath that copies every frame once.
 *
 *   copybw [-s BLOCK] [-t SECONDS] [-j]
 *
 * "user" is glibc's memcpy between two 64 MiB buffers in BLOCK-sized
 * pieces; "kernel" is read(2) from a file in tmpfs (/dev/shm), that is
 * the kernel's copy_to_user() of page-cache pages, in BLOCK-sized reads.
 * Prints MB/s (10^6 bytes per second) of each.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define AREA	(64UL << 20)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double user_copy(size_t block, double secs)
{
	char *a = malloc(AREA), *b = malloc(AREA);
	double start, t;
	size_t off, total = 0;

	if (!a || !b) {
		perror("copybw: malloc");
		exit(1);
	}
	memset(a, 1, AREA);
	memset(b, 2, AREA);
	start = now();
	do {
		for (off = 0; off + block <= AREA; off += block)
			memcpy(b + off, a + off, block);
		total += AREA / block * block;
		t = now() - start;
	} while (t < secs);
	if (b[AREA / 2] != 1)
		exit(1);
	free(a);
	free(b);
	return total / t / 1e6;
}

static double kernel_copy(size_t block, double secs)
{
	char path[] = "/dev/shm/copybw.XXXXXX";
	char *buf = malloc(block), *fill = malloc(1 << 20);
	size_t total = 0, i;
	double start, t;
	ssize_t n;
	int fd;

	fd = mkstemp(path);
	if (fd < 0 || !buf || !fill) {
		perror("copybw: /dev/shm");
		exit(1);
	}
	unlink(path);
	memset(fill, 3, 1 << 20);
	for (i = 0; i < AREA >> 20; i++)
		if (write(fd, fill, 1 << 20) != 1 << 20) {
			perror("copybw: write");
			exit(1);
		}
	start = now();
	do {
		if (lseek(fd, 0, SEEK_SET) < 0)
			exit(1);
		while ((n = read(fd, buf, block)) > 0)
			total += n;
		t = now() - start;
	} while (t < secs);
	close(fd);
	free(buf);
	free(fill);
	return total / t / 1e6;
}

int main(int argc, char **argv)
{
	size_t block = 1500;
	double secs = 2, u, k;
	int c, json = 0;

	while ((c = getopt(argc, argv, "s:t:j")) != -1) {
		switch (c) {
		case 's': block = strtoul(optarg, NULL, 0); break;
		case 't': secs = strtod(optarg, NULL); break;
		case 'j': json = 1; break;
		default:
			fprintf(stderr, "usage: copybw [-s BLOCK] [-t SECONDS] [-j]\n");
			return 2;
		}
	}
	if (!block || block > AREA) {
		fprintf(stderr, "copybw: -s must be 1..%lu\n", AREA);
		return 2;
	}
	u = user_copy(block, secs);
	k = kernel_copy(block, secs);
	if (json)
		printf("{\"block\":%zu,\"user_mb_per_s\":%.0f,\"kernel_mb_per_s\":%.0f}\n",
		       block, u, k);
	else
		printf("block %zu user %.0f MB/s kernel %.0f MB/s\n", block, u, k);
	return 0;
}
