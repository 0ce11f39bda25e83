/*
 * second_dump.c - open another dump of the same kernel build from inside
 * crash, for memdiff: libkdumpfile reads its memory, crash's debug info
 * answers type questions (same vmlinux), and symbol addresses are moved by
 * the difference of the two dumps' KASLR offsets.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "defs.h"

#include "memscope_ext.h"
#include "dumpfile.h"

struct second_dump {
	struct ms_dumpfile *file;
	struct ms_target target;
};

/* libkdumpfile's name of crash's machine type. */
static const char *kdump_arch(void)
{
	if (machine_type("X86_64"))
		return "x86_64";
	if (machine_type("ARM64"))
		return "aarch64";
	if (machine_type("PPC64"))
		return "ppc64";
	if (machine_type("S390X"))
		return "s390x";
	return NULL;
}

/* The other dump's init_uts_ns (VMCOREINFO) minus crash's: the KASLR delta. */
static int kaslr_delta(struct ms_dumpfile *f, int64_t *delta, char *err, size_t errlen)
{
	uint64_t theirs;

	if (ms_dumpfile_vmcoreinfo_symbol(f, "init_uts_ns", &theirs)) {
		snprintf(err, errlen, "the dump has no VMCOREINFO SYMBOL(init_uts_ns): cannot relocate "
			 "symbols (was it taken without -device vmcoreinfo / qemu_fw_cfg?)");
		return -1;
	}
	if (!symbol_exists("init_uts_ns")) {
		snprintf(err, errlen, "crash knows no init_uts_ns");
		return -1;
	}
	*delta = (int64_t)(theirs - symbol_value("init_uts_ns"));
	return 0;
}

/* Refuse a dump of another kernel build: the types would not fit it. */
static int same_build(struct ms_dumpfile *f, char *err, size_t errlen)
{
	char *rel = ms_dumpfile_vmcoreinfo(f, "OSRELEASE");
	int ok = rel && !strcmp(rel, kt->utsname.release);

	if (!ok)
		snprintf(err, errlen, "the dump is of kernel %s, crash runs %s: memdiff compares dumps "
			 "of one kernel build", rel ? rel : "(no OSRELEASE)", kt->utsname.release);
	free(rel);
	return ok ? 0 : -1;
}

struct second_dump *ms_second_dump_open(const char *path, char *err, size_t errlen)
{
	struct second_dump *s = calloc(1, sizeof(*s));
	int64_t delta;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->file = ms_dumpfile_open(path, kdump_arch(), err, errlen);
	if (!s->file || same_build(s->file, err, errlen) ||
	    kaslr_delta(s->file, &delta, err, errlen)) {
		ms_second_dump_close(s);
		return NULL;
	}
	ms_dumpfile_target(s->file, &s->target, ms_crash_ops(), NULL, delta, PAGESHIFT(), fp);
	return s;
}

struct ms_target *ms_second_dump_target(struct second_dump *s)
{
	s->target.errf = fp;
	return &s->target;
}

void ms_second_dump_close(struct second_dump *s)
{
	if (!s)
		return;
	if (s->file) {
		char note[256];

		if (ms_dumpfile_missing_note(s->file, note, sizeof(note)))
			fprintf(fp, "memdiff: BEFORE: %s\n", note);
		if (s->target.ops)
			ms_target_fini(&s->target);
		ms_dumpfile_close(s->file);
	}
	free(s);
}
