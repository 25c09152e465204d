// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of vdpa_pci's doorbell rule (../vp_doorbell.h): which
 * notify areas a function reports may be mapped into user space. A PCI
 * function is not trusted: it picks its BAR type, its notify region and
 * its multiplier. TAP output.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef uint32_t u32;
typedef uint64_t u64;
#define PAGE_SIZE	4096UL

#include "../vp_doorbell.h"

static int n, failed;

static void check(bool want, bool mem, u64 pa, u32 len, u32 mult, u32 off,
		  const char *what)
{
	bool got = vp_doorbell_mappable(mem, pa, len, mult, off);

	n++;
	if (got != want)
		failed++;
	printf("%sok %d - %s: %s\n", got == want ? "" : "not ", n, what,
	       want ? "mapped" : "refused");
}

int main(void)
{
	/* a page per queue in a memory BAR (QEMU's page-per-vq=on) */
	check(true, true, 0xfe000000, 0x4000, 4096, 0x1000, "queue 1 of 4, a page each");
	check(true, true, 0xfe000000, 0x4000, 4096, 0x3000, "last queue, its page ends the region");
	check(true, true, 0xfe000000, 0x4000, 8192, 0x2000, "two pages per queue");
	/* what a function may get wrong, or lie about */
	check(false, false, 0xc000, 0x4000, 4096, 0x1000, "an I/O BAR (the address is a port)");
	check(false, true, 0xfe000000, 0x10, 4, 0x4, "doorbells 4 bytes apart share a page");
	check(false, true, 0xfe000000, 0x3800, 4096, 0x3000, "the page runs past the notify region");
	check(false, true, 0xfe000000, 0x4000, 4096, 0x4000, "the doorbell is past the region");
	check(false, true, 0xfe000000, 0x4000, 4096, 0xfffff000, "an offset near 4 GiB");
	check(false, true, 0xfe000800, 0x4800, 4096, 0x1000, "a region that is not page aligned");
	check(false, true, 0xfe000000, 0x4000, 0, 0, "multiplier 0 (every queue on one doorbell)");
	printf("1..%d\n", n);
	return failed != 0;
}
