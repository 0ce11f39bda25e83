/*
 * unwind_orc.h - a sleeping task's kernel stack, unwound as the dumped
 * kernel's own unwinder does (arch/x86/kernel/unwind_orc.c with the ORC
 * tables read from the dump), or with frame pointers, or by a bounded scan of
 * the stack for text addresses when neither works; and wchan, as
 * __get_wchan() (arch/x86/kernel/process.c) picks it from those frames.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_UNWIND_ORC_H
#define MEMSCOPE_UNWIND_ORC_H

#include "modules.h"
#include "target.h"

#define MS_UNWIND_MAX_FRAMES 64		/* MAX_STACK_TRACE_DEPTH of /proc/PID/stack */

enum ms_unwind_method {
	MS_UNWIND_NONE,			/* not unwound (running, or no stack) */
	MS_UNWIND_ORC,
	MS_UNWIND_FP,			/* frame pointers (bp chain) */
	MS_UNWIND_SCAN,			/* text addresses found on the stack: a guess */
};

/* The era of struct orc_entry's bit fields (arch/x86/include/asm/orc_types.h). */
enum ms_orc_era {
	/* up to 6.3: sp_reg:4 bp_reg:4 type:2 end:1; CALL 0, REGS 1, REGS_PARTIAL 2 */
	MS_ORC_ERA_END_BIT,
	/* 6.4+: sp_reg:4 bp_reg:4 type:3 signal:1; UNDEFINED 0, END_OF_STACK 1,
	 * CALL 2, REGS 3, REGS_PARTIAL 4 */
	MS_ORC_ERA_TYPE3,
};

struct ms_unwinder;

/* What the unwinder needs of the kernel, resolved once: NULL, or the error that
 * leaves no unwinding at all (no inactive_task_frame, no text range).  Without
 * ORC tables it unwinds with frame pointers and says so. */
struct ms_error *ms_unwinder_new(struct ms_target *t, struct ms_unwinder **out);
void ms_unwinder_free(struct ms_unwinder *u);
/* "ORC (vmlinux + 3 modules)", "frame pointers" */
const char *ms_unwinder_describe(const struct ms_unwinder *u, char *buf, size_t len);
const struct ms_modules *ms_unwinder_modules(const struct ms_unwinder *u);

struct ms_stack {
	enum ms_unwind_method method;
	size_t nr;
	uint64_t ip[MS_UNWIND_MAX_FRAMES];	/* unwind_get_return_address() of each frame */
	bool reached_end;		/* user-mode regs or the end-of-stack entry */
	char error[160];		/* why the unwind stopped early, or "" */
	uint64_t wchan;			/* __get_wchan(), 0 if none */
};

/* Unwind the task_struct at task from its saved thread.sp (the task must not
 * be running).  Always fills st (a partial answer says why in st->error);
 * returns NULL, or the error that left nothing (its stack unreadable). */
struct ms_error *ms_unwind_task(struct ms_unwinder *u, uint64_t task, struct ms_stack *st);

/* in_sched_functions(): __sched_text and __lock_text. */
bool ms_unwinder_in_sched(const struct ms_unwinder *u, uint64_t addr);

/* "sym+0x1f [module]" (or the address in hex) into buf. */
const char *ms_unwinder_symbolize(struct ms_unwinder *u, uint64_t addr, bool offset,
				  char *buf, size_t len);

const char *ms_unwind_method_name(enum ms_unwind_method m);

#endif
