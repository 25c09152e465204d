/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether a queue's doorbell may be mapped into user space, decided from
 * what the function reported: kept free of kernel headers so that
 * vdpa_pci/unit can test the rule on the host.
 */
#ifndef _VP_DOORBELL_H
#define _VP_DOORBELL_H

/**
 * vp_doorbell_mappable - may a doorbell be handed to user space as a page?
 * @mem: the notify capability's BAR is a memory BAR
 * @pa: physical address of the notify region (BAR start + capability offset)
 * @len: length of the notify region, already checked to fit its BAR
 * @mult: the function's notify_off_multiplier
 * @off: the queue's doorbell offset in the region (queue_notify_off * @mult)
 *
 * A page is mapped, so the whole page must be this queue's doorbell and
 * nothing else: memory (an I/O BAR's "address" is a port number, not a
 * physical page), page aligned, entirely inside the notify region (so
 * inside the BAR), and with no other queue's doorbell in it (@mult at
 * least a page). The function is not trusted for any of these.
 *
 * Return: true if the page at @pa + @off may be mapped.
 */
static inline bool vp_doorbell_mappable(bool mem, u64 pa, u32 len, u32 mult,
					u32 off)
{
	return mem && mult >= PAGE_SIZE && !((pa + off) & (PAGE_SIZE - 1)) &&
	       off <= len && len - off >= PAGE_SIZE;
}

#endif /* _VP_DOORBELL_H */
