/*
 * test_unwind.c - the state letter per kernel era (taskstate.c) and the
 * unwinder (unwind_orc.c) on a synthetic kernel: an ORC table of each era and
 * a sleeping task's stack built by hand, a corrupt ORC entry, a wild stack
 * pointer, an unreadable stack, and the stack scan when nothing else works.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <string.h>

#include "fake_target.h"
#include "suites.h"
#include "taskstate.h"
#include "unwind_orc.h"

#define KV(a, b, c)	(((a) << 16) | ((b) << 8) | (c))

/* ---- state letters ----------------------------------------------------------- */

START_TEST(test_state_letters)
{
	const struct ms_taskstate_era *e61 = ms_taskstate_era_of(KV(6, 1, 0));
	const struct ms_taskstate_era *e515 = ms_taskstate_era_of(KV(5, 15, 0));
	const struct ms_taskstate_era *e414 = ms_taskstate_era_of(KV(4, 14, 0));

	ck_assert_ptr_eq(e61, &ms_taskstate_6_1);
	ck_assert_ptr_eq(ms_taskstate_era_of(KV(6, 12, 117)), &ms_taskstate_6_1);
	ck_assert_ptr_eq(e515, &ms_taskstate_5_15);
	ck_assert_ptr_eq(e414, &ms_taskstate_4_14);
	ck_assert_ptr_null(ms_taskstate_era_of(KV(4, 13, 16)));
	/* The letters of fs/proc/array.c, from include/linux/sched.h's bits. */
	ck_assert_int_eq(ms_task_state_char(e61, 0x0, 0), 'R');
	ck_assert_int_eq(ms_task_state_char(e61, 0x1, 0), 'S');
	ck_assert_int_eq(ms_task_state_char(e61, 0x2, 0), 'D');
	ck_assert_int_eq(ms_task_state_char(e61, 0x102, 0), 'D');	/* TASK_KILLABLE */
	ck_assert_int_eq(ms_task_state_char(e61, 0x4 | 0x100, 0), 'T');	/* TASK_STOPPED */
	ck_assert_int_eq(ms_task_state_char(e61, 0x8, 0), 't');
	ck_assert_int_eq(ms_task_state_char(e61, 0x80, 0x10), 'X');	/* TASK_DEAD, EXIT_DEAD */
	ck_assert_int_eq(ms_task_state_char(e61, 0x80, 0x20), 'Z');	/* EXIT_ZOMBIE */
	ck_assert_int_eq(ms_task_state_char(e61, 0x40, 0), 'P');	/* TASK_PARKED */
	ck_assert_int_eq(ms_task_state_char(e61, 0x402, 0), 'I');	/* TASK_IDLE */
	ck_assert_int_eq(ms_task_state_char(e414, 0x402, 0), 'I');
	/* TASK_FROZEN reads as D from 6.1 on; before it, its bits report nothing. */
	ck_assert_int_eq(ms_task_state_char(e61, 0x8000, 0), 'D');
	ck_assert_int_eq(ms_task_state_char(e515, 0x8000, 0), 'R');
	/* TASK_RTLOCK_WAIT reads as D from 5.15 on. */
	ck_assert_int_eq(ms_task_state_char(e515, 0x1000, 0), 'D');
	ck_assert_int_eq(ms_task_state_char(e414, 0x1000, 0), 'R');
	/* The exit state wins over a sleeping state's lower bits (fls()). */
	ck_assert_int_eq(ms_task_state_char(e61, 0x1, 0x20), 'Z');
}
END_TEST

/* ---- a synthetic kernel with one sleeping task ----------------------------- */

#define TEXT	0xffffffff81000000ull
#define F_WAIT	(TEXT + 0x1000)		/* my_wait */
#define F_SYS	(TEXT + 0x2000)		/* do_syscall_64 */
#define F_ENTRY	(TEXT + 0x3000)		/* entry_SYSCALL_64 */
#define F_UNWOUND (TEXT + 0x4000)	/* a function with no ORC of its own */
#define SCHED	(TEXT + 0x80000)	/* __sched_text_start */
#define F_SCHED	(SCHED + 0x100)		/* __schedule */
#define STACK	0xffffc90000100000ull
#define TSIZE	16384ull
#define TASK	0xffff888000200000ull
#define ORC_IP	0xffffffff82000000ull
#define ORC_U	0xffffffff82100000ull
#define REGS	(STACK + TSIZE - 168)	/* the syscall's pt_regs at the top */

enum orc_kind { CALL, REGS_T };

struct entry {
	uint64_t ip;
	enum orc_kind type;
	unsigned int sp_reg;
	int16_t sp_off;
};

/* ORC_REG_SP 5; bp_reg ORC_REG_UNDEFINED 0.  6.1: CALL 0, REGS 1; 6.12: CALL 2, REGS 3. */
static void put_orc(struct fake *f, const struct entry *e, size_t n, bool type3)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char u[6] = { 0 };
		uint64_t at = ORC_IP + 4 * i;

		fake_put_u32(f, at, (uint32_t)(int32_t)(int64_t)(e[i].ip - at));
		memcpy(u, &e[i].sp_off, 2);
		u[4] = (unsigned char)(e[i].sp_reg & 0xf);
		if (type3)
			u[5] = (unsigned char)(e[i].type == CALL ? 2 : 3 | 8);
		else
			u[5] = (unsigned char)(e[i].type == CALL ? 0 : 1);
		fake_put(f, ORC_U + 6 * i, u, 6);
	}
}

/*
 * The stack of a task that made a syscall, called my_wait() from
 * do_syscall_64() and slept in __schedule():
 *   REGS - 8    return into entry_SYSCALL_64 + 0x10
 *   REGS - 16   return into do_syscall_64 + 0x20
 *   REGS - 40   return into my_wait + 0x30 (my_wait's frame is 24 bytes)
 *   REGS - 96   inactive_task_frame, ret_addr __schedule + 0x50 = thread.sp
 */
static struct fake *kernel(bool with_orc, bool type3, const struct entry *orc, size_t n)
{
	struct fake *f = fake_new();
	uint64_t tsp = REGS - 96;

	fake_struct(f, "task_struct", 0x1000);
	fake_member(f, "task_struct", "stack", 0x20, 8);
	fake_member(f, "task_struct", "thread", 0x800, 0x40);
	fake_member(f, "thread_struct", "sp", 0x8, 8);
	fake_struct(f, "thread_union", (long)TSIZE);
	fake_struct(f, "inactive_task_frame", 56);
	fake_member(f, "inactive_task_frame", "bp", 40, 8);
	fake_member(f, "inactive_task_frame", "ret_addr", 48, 8);
	fake_struct(f, "pt_regs", 168);
	fake_member(f, "pt_regs", "bp", 32, 8);
	fake_member(f, "pt_regs", "r10", 56, 8);
	fake_member(f, "pt_regs", "r13", 16, 8);
	fake_member(f, "pt_regs", "dx", 96, 8);
	fake_member(f, "pt_regs", "di", 112, 8);
	fake_member(f, "pt_regs", "ip", 128, 8);
	fake_member(f, "pt_regs", "cs", 136, 8);
	fake_member(f, "pt_regs", "sp", 152, 8);
	if (type3)
		fake_member(f, "orc_entry", "signal", 5, 1);
	fake_struct(f, "orc_entry", 6);
	fake_symbol(f, "_stext", TEXT);
	fake_symbol(f, "_etext", TEXT + 0x100000);
	fake_symbol(f, "__sched_text_start", SCHED);
	fake_symbol(f, "__sched_text_end", SCHED + 0x10000);
	fake_symbol(f, "my_wait", F_WAIT);
	fake_symbol(f, "do_syscall_64", F_SYS);
	fake_symbol(f, "entry_SYSCALL_64", F_ENTRY);
	fake_symbol(f, "__schedule", F_SCHED);
	if (with_orc) {
		fake_symbol(f, "__start_orc_unwind_ip", ORC_IP);
		fake_symbol(f, "__stop_orc_unwind_ip", ORC_IP + 4 * n);
		fake_symbol(f, "__start_orc_unwind", ORC_U);
		fake_map(f, ORC_IP, 4 * n);
		fake_map(f, ORC_U, 6 * n);
		put_orc(f, orc, n, type3);
	}
	fake_map(f, TASK, 0x1000);
	fake_put_u64(f, TASK + 0x20, STACK);
	fake_put_u64(f, TASK + 0x808, tsp);
	fake_map(f, STACK, TSIZE);
	fake_put_u64(f, tsp + 48, F_SCHED + 0x50);
	fake_put_u64(f, REGS - 40, F_WAIT + 0x30);
	fake_put_u64(f, REGS - 16, F_SYS + 0x20);
	fake_put_u64(f, REGS - 8, F_ENTRY + 0x10);
	fake_put_u64(f, REGS + 128, 0x401000);		/* user ip */
	fake_put_u64(f, REGS + 136, 0x33);		/* user cs */
	fake_put_u64(f, REGS + 152, 0x7ffd0000);	/* user sp */
	return f;
}

/* The ORC of the four functions (sorted by ip, as the kernel's table is). */
static const struct entry good[] = {
	{ F_WAIT, CALL, 5, 24 },
	{ F_SYS, CALL, 5, 8 },
	{ F_ENTRY, REGS_T, 5, 0 },
	{ F_UNWOUND, CALL, 0, 0 },	/* sp_reg undefined: where the table ends */
	{ F_SCHED, CALL, 5, 8 },
};

static void unwind(struct fake *f, struct ms_stack *st, struct ms_unwinder **u)
{
	ck_assert_ptr_null(ms_unwinder_new(fake_target(f), u));
	ck_assert_ptr_null(ms_unwind_task(*u, TASK, st));
}

static void check_whole_stack(bool type3)
{
	struct fake *f = kernel(true, type3, good, 5);
	struct ms_unwinder *u;
	struct ms_stack st;
	char sym[64];

	unwind(f, &st, &u);
	ck_assert_int_eq(st.method, MS_UNWIND_ORC);
	ck_assert_uint_eq(st.nr, 4);
	ck_assert_uint_eq(st.ip[0], F_SCHED + 0x50);
	ck_assert_uint_eq(st.ip[1], F_WAIT + 0x30);
	ck_assert_uint_eq(st.ip[2], F_SYS + 0x20);
	ck_assert_uint_eq(st.ip[3], F_ENTRY + 0x10);
	ck_assert(st.reached_end);	/* the user-mode pt_regs end it */
	ck_assert_str_eq(st.error, "");
	/* __get_wchan(): __schedule is in .sched.text, my_wait is the answer. */
	ck_assert_uint_eq(st.wchan, F_WAIT + 0x30);
	ck_assert_str_eq(ms_unwinder_symbolize(u, st.wchan, false, sym, sizeof(sym)), "my_wait");
	ck_assert_str_eq(ms_unwinder_symbolize(u, st.ip[2], true, sym, sizeof(sym)),
			 "do_syscall_64+0x20");
	ms_unwinder_free(u);
	fake_free(f);
}

START_TEST(test_orc_end_bit_era)
{
	check_whole_stack(false);
}
END_TEST

START_TEST(test_orc_type3_era)
{
	check_whole_stack(true);
}
END_TEST

/* An unknown SP base register after the wchan: the frames so far, and why. */
START_TEST(test_orc_corrupt_entry_after_wchan)
{
	struct entry bad[5];
	struct fake *f;
	struct ms_unwinder *u;
	struct ms_stack st;

	memcpy(bad, good, sizeof(bad));
	bad[0].sp_reg = 12;	/* my_wait's entry */
	f = kernel(true, false, bad, 5);
	unwind(f, &st, &u);
	ck_assert_int_eq(st.method, MS_UNWIND_ORC);
	ck_assert_uint_eq(st.nr, 2);
	ck_assert(!st.reached_end);
	ck_assert_ptr_nonnull(strstr(st.error, "unknown SP base reg 12"));
	ck_assert_uint_eq(st.wchan, F_WAIT + 0x30);
	ms_unwinder_free(u);
	fake_free(f);
}
END_TEST

/* The scheduler's own entry corrupt: no wchan from ORC, the stack scan finds it. */
START_TEST(test_orc_corrupt_entry_scan)
{
	struct entry bad[5];
	struct fake *f;
	struct ms_unwinder *u;
	struct ms_stack st;

	memcpy(bad, good, sizeof(bad));
	bad[4].sp_off = -64;	/* __schedule: the stack would go the wrong way */
	f = kernel(true, false, bad, 5);
	unwind(f, &st, &u);
	ck_assert_int_eq(st.method, MS_UNWIND_SCAN);
	ck_assert_ptr_nonnull(strstr(st.error, "wrong direction"));
	ck_assert_ptr_nonnull(strstr(st.error, "stack scanned instead"));
	ck_assert_uint_eq(st.nr, 4);
	ck_assert_uint_eq(st.wchan, F_WAIT + 0x30);
	ms_unwinder_free(u);
	fake_free(f);
}
END_TEST

/* No ORC tables: frame pointers first; frame.bp 0 ends them at once, the scan answers. */
START_TEST(test_no_orc_scan_fallback)
{
	struct fake *f = kernel(false, false, NULL, 0);
	struct ms_unwinder *u;
	struct ms_stack st;
	char d[96];

	unwind(f, &st, &u);
	ck_assert_ptr_nonnull(strstr(ms_unwinder_describe(u, d, sizeof(d)), "frame pointers"));
	ck_assert_int_eq(st.method, MS_UNWIND_SCAN);
	ck_assert_uint_eq(st.nr, 4);
	ck_assert_uint_eq(st.ip[1], F_WAIT + 0x30);
	ck_assert_uint_eq(st.wchan, F_WAIT + 0x30);
	ms_unwinder_free(u);
	fake_free(f);
}
END_TEST

/* A thread.sp outside the task's stack: a message, no frames, no crash. */
START_TEST(test_wild_stack_pointer)
{
	struct fake *f = kernel(true, false, good, 5);
	struct ms_unwinder *u;
	struct ms_stack st;

	fake_put_u64(f, TASK + 0x808, 0xdead000000000000ull);
	unwind(f, &st, &u);
	ck_assert_uint_eq(st.nr, 0);
	ck_assert_uint_eq(st.wchan, 0);
	ck_assert_ptr_nonnull(strstr(st.error, "is not on its stack"));
	ms_unwinder_free(u);
	fake_free(f);
}
END_TEST

/* A stack the dump does not hold: the error, with the read's cause. */
START_TEST(test_unreadable_stack)
{
	struct fake *f = kernel(true, false, good, 5);
	struct ms_unwinder *u;
	struct ms_stack st;
	struct ms_error *err;

	fake_missing(f, STACK + 0x2000, 0x1000);
	ck_assert_ptr_null(ms_unwinder_new(fake_target(f), &u));
	err = ms_unwind_task(u, TASK, &st);
	ck_assert_ptr_nonnull(err);
	ck_assert(ms_error_is(err, MS_ERR_MISSING));
	ms_error_destroy(err);
	ms_unwinder_free(u);
	fake_free(f);
}
END_TEST

/* A return address pointing off the stack's top mid-walk stops the walk, bounded. */
START_TEST(test_frame_off_the_stack)
{
	struct entry bad[5];
	struct fake *f;
	struct ms_unwinder *u;
	struct ms_stack st;

	memcpy(bad, good, sizeof(bad));
	bad[1].sp_off = 0x4000;	/* do_syscall_64's frame far above the stack */
	f = kernel(true, true, bad, 5);
	unwind(f, &st, &u);
	ck_assert_int_eq(st.method, MS_UNWIND_ORC);
	ck_assert_uint_eq(st.nr, 3);
	ck_assert_ptr_nonnull(strstr(st.error, "off the stack"));
	ck_assert_uint_eq(st.wchan, F_WAIT + 0x30);
	ms_unwinder_free(u);
	fake_free(f);
}
END_TEST

static Suite *unwind_suite(void)
{
	Suite *s = suite_create("unwind");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_state_letters);
	tcase_add_test(tc, test_orc_end_bit_era);
	tcase_add_test(tc, test_orc_type3_era);
	tcase_add_test(tc, test_orc_corrupt_entry_after_wchan);
	tcase_add_test(tc, test_orc_corrupt_entry_scan);
	tcase_add_test(tc, test_no_orc_scan_fallback);
	tcase_add_test(tc, test_wild_stack_pointer);
	tcase_add_test(tc, test_unreadable_stack);
	tcase_add_test(tc, test_frame_off_the_stack);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(unwind_suite)
