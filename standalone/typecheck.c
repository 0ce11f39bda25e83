/*
 * typecheck.c - do the types and symbols describe the dumped kernel?  A BTF
 * file or vmlinux of another kernel (--btf of the host's 6.18 on a 6.1 dump)
 * gives offsets that read garbage everywhere: MemFree 0 kB and zones of
 * 17592186037629 GiB, without a word (issue #14).  The kernel itself wrote
 * the answer into VMCOREINFO (kernel/crash_core.c, crash_save_vmcoreinfo_init():
 * VMCOREINFO_SIZE / VMCOREINFO_OFFSET of the mm structures memscope walks,
 * and VMCOREINFO_OSRELEASE): each must agree with the types, and
 * init_uts_ns, read through the types and symbols, must name OSRELEASE.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "target.h"
#include "typecheck.h"
#include "version.h"

/* VMCOREINFO's SIZE(...) and OFFSET(...) lines memscope's walks rely on. */
static const char *const sizes[] = { "page", "pglist_data", "zone", "free_area", "list_head" };
static const char *const offsets[][2] = {
	{ "page", "flags" }, { "page", "lru" }, { "page", "mapping" },
	{ "pglist_data", "node_zones" }, { "pglist_data", "node_start_pfn" },
	{ "zone", "free_area" }, { "zone", "vm_stat" }, { "zone", "spanned_pages" },
	{ "free_area", "free_list" }, { "list_head", "next" }, { "list_head", "prev" },
};

/* VMCOREINFO's number for key against the types' (-1: they have none, not compared). */
static struct ms_error *agree(struct ms_target *t, const char *key, long ours)
{
	long long theirs;
	struct ms_error *err = ms_vmcoreinfo_number(t, key, &theirs);

	if (err || ours < 0) {
		ms_error_destroy(err);	/* an older kernel's VMCOREINFO lacks some */
		return NULL;
	}
	if (theirs == ours)
		return NULL;
	return ms_error_create(MS_ERR_UNSUPPORTED, "the types do not describe the dumped kernel: "
			       "VMCOREINFO %s=%lld, the types say %ld (BTF or vmlinux of another "
			       "kernel build?)", key, theirs, ours);
}

struct ms_error *ms_types_fit_dump(struct ms_target *t)
{
	char key[96], release[MS_UTS_LEN], osrelease[MS_UTS_LEN];
	struct ms_error *err = NULL;

	for (size_t i = 0; !err && i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(key, sizeof(key), "SIZE(%s)", sizes[i]);
		err = agree(t, key, ms_struct_size(t, sizes[i]));
	}
	for (size_t i = 0; !err && i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		snprintf(key, sizeof(key), "OFFSET(%s.%s)", offsets[i][0], offsets[i][1]);
		err = agree(t, key, ms_member_offset(t, offsets[i][0], offsets[i][1]));
	}
	if (err)
		return err;
	err = ms_vmcoreinfo(t, "OSRELEASE", osrelease, sizeof(osrelease));
	if (err) {
		ms_error_destroy(err);
		return NULL;
	}
	err = ms_kernel_uts(t, MS_UTS_RELEASE, release, sizeof(release));
	if (err)
		return ms_error_wrap(err, "the types and symbols do not reach init_uts_ns "
				     "(VMCOREINFO OSRELEASE=%s)", osrelease);
	if (strcmp(release, osrelease))
		return ms_error_create(MS_ERR_UNSUPPORTED, "the types and symbols do not describe "
				       "the dumped kernel: init_uts_ns names release \"%.64s\", "
				       "VMCOREINFO OSRELEASE=%s", release, osrelease);
	return NULL;
}
