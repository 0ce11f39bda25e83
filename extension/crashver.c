/*
 * crashver.c - at `extend`: is this the crash whose defs.h memscope.so was
 * built against?  pc, kt, machdep and crash's symbol entries are structure
 * layouts compiled in from that defs.h; another crash may have moved them.
 *
 * What crash offers at run time: its version (build_version) and, since it
 * is linked -rdynamic, the size of each global object in its dynamic symbol
 * table (program_context, kernel_table, machdep_table, args), to compare
 * with the compiled sizeof; and the values of the members memscope reads,
 * which must make sense (a page shift that matches the page size, a kernel
 * release, the symbol entry of init_task).  Another version is a warning
 * with the command that rebuilds memscope.so for this crash; only a layout
 * known to differ refuses (crashver_check.c has the rule).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "defs.h"

#include "crashver_check.h"
#include "memscope_ext.h"

#ifndef MS_CRASH_VERSION
#define MS_CRASH_VERSION ""
#endif
#ifndef MS_SOURCE_DIR
#define MS_SOURCE_DIR "."
#endif

/* The size of the object at addr in crash's dynamic symbol table; 0: none. */
static size_t object_size(const void *addr)
{
	Dl_info info;
	const ElfW(Sym) *sym = NULL;

	if (!addr || !dladdr1(addr, &info, (void **)&sym, RTLD_DL_SYMENT) || !sym ||
	    info.dli_saddr != addr)
		return 0;
	return (size_t)sym->st_size;
}

/* Does [off, off + size) lie inside an object of running bytes (0: not known)? */
static int inside(size_t running, size_t off, size_t size)
{
	return !running || off + size <= running;
}

/* machdep: memscope reads pageshift and bits (PAGESHIFT(), BITS()). */
static enum ms_crash_members machdep_members(size_t running)
{
	if (!inside(running, offsetof(struct machdep_table, pagesize), sizeof(machdep->pagesize)) ||
	    !inside(running, offsetof(struct machdep_table, pageshift), sizeof(machdep->pageshift)) ||
	    !inside(running, offsetof(struct machdep_table, bits), sizeof(machdep->bits)))
		return MS_CRASH_MEMBERS_MOVED;
	if (!machdep->pagesize)
		return MS_CRASH_MEMBERS_UNCHECKED;	/* not set up yet */
	if (machdep->pageshift < 12 || machdep->pageshift > 18 ||
	    machdep->pagesize != 1UL << machdep->pageshift ||
	    machdep->bits != (int)(sizeof(long) * CHAR_BIT))
		return MS_CRASH_MEMBERS_MOVED;
	return MS_CRASH_MEMBERS_OK;
}

/* kt: memscope reads utsname.release ("6.1.0-..."). */
static enum ms_crash_members kernel_members(size_t running)
{
	const char *r = kt->utsname.release;
	size_t n;

	if (!inside(running, offsetof(struct kernel_table, utsname), sizeof(kt->utsname)))
		return MS_CRASH_MEMBERS_MOVED;
	n = strnlen(r, sizeof(kt->utsname.release));
	if (!n)
		return MS_CRASH_MEMBERS_UNCHECKED;
	if (n == sizeof(kt->utsname.release) || !isdigit((unsigned char)r[0]) || !strchr(r, '.'))
		return MS_CRASH_MEMBERS_MOVED;
	for (size_t i = 0; i < n; i++)
		if (!isprint((unsigned char)r[i]))
			return MS_CRASH_MEMBERS_MOVED;
	return MS_CRASH_MEMBERS_OK;
}

/*
 * pc: memscope reads curcmd, tmpfile2, read_vmcoreinfo and main_loop_env,
 * none of which a value can vouch for; program_version, set to
 * build_version at start-up, tells at least that the members near them did
 * not move (a pointer compared, nothing read through it).
 */
static enum ms_crash_members program_members(size_t running)
{
	if (!inside(running, offsetof(struct program_context, program_version), sizeof(char *)))
		return MS_CRASH_MEMBERS_MOVED;
	return pc->program_version == build_version ? MS_CRASH_MEMBERS_UNCHECKED
						    : MS_CRASH_MEMBERS_MOVED;
}

/* struct syment (value_search(), prev_symbol()): value and name of init_task. */
static enum ms_crash_members syment_members(void)
{
	struct syment *sp = symbol_exists("init_task") ? symbol_search("init_task") : NULL;

	if (!sp)
		return MS_CRASH_MEMBERS_UNCHECKED;
	if (sp->value != symbol_value("init_task"))
		return MS_CRASH_MEMBERS_MOVED;
	return sp->name && !strcmp(sp->name, "init_task") ? MS_CRASH_MEMBERS_OK
							  : MS_CRASH_MEMBERS_MOVED;
}

/* PREFIX/include/crash of the crash binary EXE in PREFIX/bin, into inc,
 * where a defs.h is there (a Debian install, or scripts/build-crash.sh's and
 * scripts/debian-crash.sh's caches). */
static bool defs_dir_of(const char *exe, char *inc, size_t len)
{
	char dir[PATH_MAX];
	char *slash;

	if (!realpath(exe, dir))
		return false;
	for (int up = 0; up < 2; up++)
		if ((slash = strrchr(dir, '/')))
			*slash = '\0';
	snprintf(inc, len, "%s/include/crash/defs.h", dir);
	if (access(inc, R_OK))
		return false;
	inc[strlen(inc) - strlen("/defs.h")] = '\0';
	return true;
}

/* The command that rebuilds memscope.so for the crash running us. */
static void rebuild_hint(const char *version, char *buf, size_t len)
{
	char inc[PATH_MAX + 32];

	/* The path crash was started by (pc->program_path, argv[0]) comes
	 * first: /proc/self/exe is the dynamic loader where a wrapper runs
	 * crash through one (scripts/debian-crash.sh). */
	if (!((pc->program_path && strchr(pc->program_path, '/') &&
	       defs_dir_of(pc->program_path, inc, sizeof(inc))) ||
	      defs_dir_of("/proc/self/exe", inc, sizeof(inc)))) {
		snprintf(buf, len, "make -C %s CRASH_INCLUDE=DIR, DIR the folder of crash %s's defs.h "
			 "(bash scripts/debian-crash.sh %s sets up Debian's build of that crash), then "
			 "extend %s/build/crash-%s/memscope.so", MS_SOURCE_DIR, version, version,
			 MS_SOURCE_DIR, version);
		return;
	}
	/* The Makefile's default defs.h builds build/memscope.so. */
	if (!strcmp(inc, "/usr/include/crash"))
		snprintf(buf, len, "make -C %s, then extend %s/build/memscope.so", MS_SOURCE_DIR,
			 MS_SOURCE_DIR);
	else
		snprintf(buf, len, "make -C %s CRASH_INCLUDE=%s, then extend %s/build/crash-%s/memscope.so",
			 MS_SOURCE_DIR, inc, MS_SOURCE_DIR, version);
}

int ms_crashver_check(FILE *out)
{
	size_t pc_size = object_size(&program_context);
	size_t kt_size = object_size(&kernel_table);
	size_t md_size = object_size(dlsym(RTLD_DEFAULT, "machdep_table"));
	struct ms_crash_layout l[] = {
		{ "struct program_context", sizeof(struct program_context), pc_size,
		  program_members(pc_size) },
		{ "struct kernel_table", sizeof(struct kernel_table), kt_size, kernel_members(kt_size) },
		{ "struct machdep_table", sizeof(struct machdep_table), md_size, machdep_members(md_size) },
		{ "args[] (MAXARGS)", sizeof(args), object_size(args), MS_CRASH_MEMBERS_UNCHECKED },
		{ "struct syment", sizeof(struct syment), 0, syment_members() },
	};
	const char *running = build_version ? build_version : "";
	char hint[PATH_MAX * 2 + 256], msg[2048];
	enum ms_crashver_verdict v;

	rebuild_hint(running, hint, sizeof(hint));
	v = ms_crashver_judge(MS_CRASH_VERSION, running, hint, l, sizeof(l) / sizeof(l[0]), msg,
			      sizeof(msg));
	if (v != MS_CRASHVER_SAME) {
		fputs(msg, out);
		fflush(out);
	}
	return v != MS_CRASHVER_REFUSE;
}
