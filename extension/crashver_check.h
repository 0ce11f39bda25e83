/*
 * crashver_check.h - whether a memscope.so built against one crash's defs.h
 * may run in the crash that loads it: the verdict and its words, apart from
 * crash's headers (crashver.c gathers the facts; tests/unit checks this).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_CRASHVER_CHECK_H
#define MEMSCOPE_CRASHVER_CHECK_H

#include <stddef.h>

/* What is known of one of crash's structures that memscope reads. */
enum ms_crash_members {
	MS_CRASH_MEMBERS_UNCHECKED = -1,	/* no value tells: the size decides */
	MS_CRASH_MEMBERS_MOVED = 0,		/* the members memscope reads hold nonsense */
	MS_CRASH_MEMBERS_OK = 1,		/* they hold what they must */
};

struct ms_crash_layout {
	const char *name;	/* "struct machdep_table" */
	size_t built;		/* its sizeof in the defs.h memscope.so was built against */
	size_t running;		/* its object's size in this crash's symbol table; 0: not known */
	enum ms_crash_members members;
};

enum ms_crashver_verdict {
	MS_CRASHVER_SAME,	/* built for this crash: nothing to say */
	MS_CRASHVER_WARN,	/* another crash's defs.h; no layout it relies on is known to differ */
	MS_CRASHVER_REFUSE,	/* a layout it relies on differs: not loaded */
};

/*
 * The verdict, and in msg (always NUL-terminated, "" for SAME) the lines to
 * print at `extend`: both versions, each layout that differs, and the
 * command that rebuilds memscope.so for this crash (rebuild).  A layout
 * differs when its members were seen moved, or when no value could tell and
 * its size in this crash is not the compiled one; a size that differs while
 * the members read check out is named, but does not refuse.  built_version
 * may be "" (not known at build time).
 */
enum ms_crashver_verdict ms_crashver_judge(const char *built_version, const char *running_version,
					   const char *rebuild, const struct ms_crash_layout *l,
					   size_t n, char *msg, size_t len);

#endif
