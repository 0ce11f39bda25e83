/*
 * shmem_print.c - tmpfs/shmem superblocks as a table and as JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "shmem_print.h"
#include "units.h"

static char *kb(char *buf, size_t len, uint64_t pages, unsigned int page_shift)
{
	return ms_fmt_kb(buf, len, (long long)(pages << (page_shift - 10)));
}

/* A superblock with no mount in the initial namespace: say what it is. */
static const char *unmounted_label(const struct ms_tmpfs_sb *s)
{
	return s->internal_shm ? "(shm_mnt: SysV shm, memfd, shared anon)" : "(not mounted)";
}

static void print_sb(FILE *out, const struct ms_tmpfs_sb *s, unsigned int page_shift)
{
	char size[24] = "-", used[24] = "-", res[24] = "?", inodes[24] = "-";
	const char *dev = "-", *path = unmounted_label(s);

	if (s->info_ok && s->max_blocks) {
		kb(size, sizeof(size), s->max_blocks, page_shift);
		kb(used, sizeof(used), s->used_blocks, page_shift);
	} else if (s->info_ok) {
		strcpy(size, "unlimited");
	}
	if (s->info_ok && s->max_inodes)
		snprintf(inodes, sizeof(inodes), "%llu",
			 (unsigned long long)(s->max_inodes - s->free_inodes));
	kb(res, sizeof(res), s->nr_pages, page_shift);
	if (!s->pages_ok)
		strcat(res, "?");
	if (s->nr_mounts) {
		dev = s->mounts[0].devname;
		path = s->mounts[0].path;
	}
	fprintf(out, "%16llx %-9s %-10s %10s %10s %10s %7s  %s\n", (unsigned long long)s->sb,
		s->fstype, dev, size, used, res, inodes, path);
	for (unsigned int i = 1; i < s->nr_mounts; i++)
		fprintf(out, "%16s %-9s %-10s %10s %10s %10s %7s  %s\n", "", "", s->mounts[i].devname,
			"", "", "", "", s->mounts[i].path);
}

void ms_tmpfs_print(FILE *out, const struct ms_tmpfs *m, unsigned int page_shift, bool all)
{
	char a[24], b[24];

	fprintf(out, "%16s %-9s %-10s %10s %10s %10s %7s  %s\n", "SUPERBLOCK", "TYPE", "DEVICE",
		"SIZE", "USED", "RESIDENT", "INODES", "MOUNTED ON");
	for (unsigned int i = 0; i < m->nr; i++)
		if (all || m->sbs[i].nr_pages || m->sbs[i].nr_mounts)
			print_sb(out, &m->sbs[i], page_shift);
	fprintf(out, "\nUSED over size-limited tmpfs (df): %s\n",
		kb(a, sizeof(a), ms_tmpfs_used_total(m), page_shift));
	fprintf(out, "RESIDENT over all shmem superblocks: %s", kb(a, sizeof(a),
		ms_tmpfs_pages_total(m), page_shift));
	if (m->shmem_ok)
		fprintf(out, "   Shmem (meminfo): %s", kb(b, sizeof(b), m->shmem_pages, page_shift));
	fputc('\n', out);
}

static json_t *mounts_json(const struct ms_tmpfs_sb *s)
{
	json_t *a = json_array();

	for (unsigned int i = 0; i < s->nr_mounts; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s}",
			"mount", (json_int_t)s->mounts[i].mnt, "dev", s->mounts[i].devname,
			"path", s->mounts[i].path));
	return a;
}

static json_t *sb_json(const struct ms_tmpfs_sb *s, unsigned int page_shift)
{
	json_t *j = json_pack("{s:I, s:s, s:b, s:b, s:b, s:o}", "sb", (json_int_t)s->sb,
		"type", s->fstype, "tmpfs", s->is_tmpfs, "internal_shm", s->internal_shm,
		"info_ok", s->info_ok, "mounts", mounts_json(s));
	uint64_t page_kb = 1ull << (page_shift - 10);

	if (s->info_ok) {
		json_object_set_new(j, "size_kb", json_integer((json_int_t)(s->max_blocks * page_kb)));
		json_object_set_new(j, "used_kb", s->max_blocks ?
			json_integer((json_int_t)(s->used_blocks * page_kb)) : json_null());
		json_object_set_new(j, "max_inodes", json_integer((json_int_t)s->max_inodes));
		json_object_set_new(j, "free_inodes", json_integer((json_int_t)s->free_inodes));
	}
	json_object_set_new(j, "inodes", json_integer((json_int_t)s->nr_inodes));
	json_object_set_new(j, "resident_kb", json_integer((json_int_t)(s->nr_pages * page_kb)));
	json_object_set_new(j, "unmapped_kb", s->unmapped_ok ?
			    json_integer((json_int_t)(s->unmapped_pages * page_kb)) : json_null());
	json_object_set_new(j, "resident_complete", json_boolean(s->pages_ok));
	return j;
}

json_t *ms_tmpfs_json(const struct ms_tmpfs *m, unsigned int page_shift)
{
	json_t *sbs = json_array();
	uint64_t page_kb = 1ull << (page_shift - 10);
	json_t *j;

	for (unsigned int i = 0; i < m->nr; i++)
		json_array_append_new(sbs, sb_json(&m->sbs[i], page_shift));
	j = json_pack("{s:b, s:b, s:I, s:I, s:o}", "sb_list_complete", m->sb_list_complete,
		"mount_list_complete", m->mnt_list_complete,
		"used_kb", (json_int_t)(ms_tmpfs_used_total(m) * page_kb),
		"resident_kb", (json_int_t)(ms_tmpfs_pages_total(m) * page_kb), "superblocks", sbs);
	json_object_set_new(j, "shmem_kb", m->shmem_ok ?
		json_integer((json_int_t)(m->shmem_pages * page_kb)) : json_null());
	return j;
}
