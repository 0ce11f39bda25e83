/*
 * kernel.h - facts about the dumped kernel that every analysis needs:
 * CPUs and their per-cpu offsets, memory nodes, zones.  Resolved once per target.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_KERNEL_H
#define MEMSCOPE_KERNEL_H

#include "target.h"

#define MS_MAX_ZONES 8
#define MS_ZONE_NAME_LEN 16

struct ms_kernel {
	unsigned int nr_cpu_ids;
	unsigned int nr_online, nr_possible;
	unsigned int *online;		/* CPU numbers, ascending */
	unsigned int *possible;
	uint64_t *percpu_offset;	/* __per_cpu_offset[cpu], nr_cpu_ids entries */

	unsigned int nr_nodes;		/* nodes with a pglist_data */
	int *node_id;
	uint64_t *pgdat;

	unsigned int nr_zones;		/* MAX_NR_ZONES */
	char zone_name[MS_MAX_ZONES][MS_ZONE_NAME_LEN];
	long zone_size;			/* sizeof(struct zone) */
	long node_zones_off;		/* offsetof(pglist_data, node_zones) */
};

/* The kernel facts of t, resolved on first use; NULL (after a warning) if they cannot be. */
const struct ms_kernel *ms_kernel(struct ms_target *t);
void ms_kernel_free(struct ms_target *t);

/* Address of this CPU's instance of a dynamically allocated per-cpu pointer. */
static inline uint64_t ms_percpu_addr(const struct ms_kernel *k, uint64_t ptr, unsigned int cpu)
{
	return ptr + k->percpu_offset[cpu];
}

/* Address of zone z of node index n (an index into k->pgdat, not the node id). */
static inline uint64_t ms_zone_addr(const struct ms_kernel *k, unsigned int n, unsigned int z)
{
	return k->pgdat[n] + k->node_zones_off + (uint64_t)z * k->zone_size;
}

#endif
