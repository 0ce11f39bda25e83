/*
 * unwind_orc.c - x86_64 kernel stack unwinding of a sleeping task, as
 * arch/x86/kernel/unwind_orc.c (6.1 and 6.12) does it: unwind_start() from
 * the inactive_task_frame at task->thread.sp, then unwind_next_frame() with
 * the entry orc_find() gives for each ip, checking every read against the
 * task's stack.  Without ORC tables: frame pointers (unwind_frame.c's bp
 * chain); when ORC fails before a wchan is found: the text addresses on the
 * stack (unwind_guess.c).  wchan is __get_wchan()'s (arch/x86/kernel/process.c).
 * The tables are copied from the dump once, vmlinux's on start, a module's
 * on first use.  Every walk is bounded by the stack and MS_UNWIND_MAX_FRAMES.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unwind_orc.h"

#define MAX_ORCS (16u << 20)		/* entries of one table: far above any kernel */
#define DEFAULT_THREAD_SIZE 16384	/* x86_64 THREAD_SIZE: 4 pages, no KASAN */
#define SYM_CACHE 512

/* ORC_REG_* (arch/x86/include/asm/orc_types.h, the same in 6.1 and 6.12). */
enum { REG_UNDEFINED, REG_PREV_SP, REG_DX, REG_DI, REG_BP, REG_SP, REG_R10, REG_R13,
       REG_BP_INDIRECT, REG_SP_INDIRECT };
/* The entry types, one numbering for both eras (see enum ms_orc_era). */
enum { T_UNDEFINED, T_END_OF_STACK, T_CALL, T_REGS, T_REGS_PARTIAL, T_BAD };

struct orc {
	int16_t sp_offset, bp_offset;
	unsigned int sp_reg, bp_reg, type;
	bool end, signal;
};

struct orc_table {
	bool loaded;
	size_t nr;
	uint64_t *ip;			/* absolute, from the int32 offsets */
	unsigned char *u;		/* struct orc_entry, 6 bytes each */
};

struct sym_slot {
	uint64_t addr;
	bool offset, used;
	char text[160];
};

struct ms_unwinder {
	struct ms_target *t;
	bool have_orc;
	enum ms_orc_era era;
	struct orc_table vmlinux;
	struct ms_modules mods;
	bool have_mods;
	struct orc_table *mod_orc;	/* parallel to mods.v */
	uint64_t stext, etext, sched_start, sched_end, lock_start, lock_end, ret_from_fork;
	long thread_sp, task_stack, thread_size;
	long frame_size, frame_bp, frame_ret;
	long regs_size, r_ip, r_sp, r_cs, r_bp, r_r10, r_r13, r_di, r_dx;
	unsigned char *stack;		/* one task's stack, thread_size bytes */
	struct sym_slot cache[SYM_CACHE];
};

/* ---- tables ----------------------------------------------------------------- */

static struct ms_error *load_table(struct ms_target *t, uint64_t ip_at, uint64_t u_at, size_t nr,
				   struct orc_table *o)
{
	int32_t *rel;
	struct ms_error *err;

	o->loaded = true;
	if (!nr)
		return NULL;
	if (nr > MAX_ORCS)
		return ms_error_create(MS_ERR_CORRUPT, "%zu ORC entries", nr);
	rel = malloc(nr * 4);
	o->ip = malloc(nr * sizeof(*o->ip));
	o->u = malloc(nr * 6);
	if (!rel || !o->ip || !o->u) {
		free(rel);
		return &ms_error_nomem;
	}
	err = ms_read(t, ip_at, rel, nr * 4);
	if (!err)
		err = ms_read(t, u_at, o->u, nr * 6);
	/* orc_ip(): the entry's own address plus the offset it holds. */
	for (size_t i = 0; !err && i < nr; i++)
		o->ip[i] = ip_at + 4 * i +
			   (uint64_t)(int64_t)(int32_t)ms_get_uint(t, rel, (long)(4 * i), 4);
	free(rel);
	if (!err)
		o->nr = nr;
	return err;
}

static void free_table(struct orc_table *o)
{
	free(o->ip);
	free(o->u);
	memset(o, 0, sizeof(*o));
}

/* Decode an entry of the dumped kernel's era (little-endian bit fields). */
static void decode(const struct ms_unwinder *u, const unsigned char *e, struct orc *o)
{
	static const unsigned int end_bit_types[4] = { T_CALL, T_REGS, T_REGS_PARTIAL, T_BAD };
	unsigned int bits = e[5];

	o->sp_offset = (int16_t)ms_get_uint(u->t, e, 0, 2);
	o->bp_offset = (int16_t)ms_get_uint(u->t, e, 2, 2);
	o->sp_reg = e[4] & 0xf;
	o->bp_reg = e[4] >> 4;
	if (u->era == MS_ORC_ERA_END_BIT) {
		o->type = end_bit_types[bits & 3];
		o->end = bits & 4;
		o->signal = false;
	} else {
		o->type = (bits & 7) <= 4 ? (bits & 7) : T_BAD;
		o->signal = bits & 8;
		o->end = false;
	}
}

/* __orc_find(): the rightmost entry whose ip is <= ip. */
static const unsigned char *table_find(const struct orc_table *o, uint64_t ip)
{
	size_t lo = 0, hi = o->nr, found = 0;

	if (!o->nr)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->ip[mid] <= ip) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return o->u + 6 * found;
}

static const struct orc_table *module_table(struct ms_unwinder *u, uint64_t ip)
{
	const struct ms_module *m = u->have_mods ? ms_module_of(&u->mods, ip) : NULL;
	struct orc_table *o;
	struct ms_error *err;

	if (!m || !m->orc_ip || !m->orc_unwind)
		return NULL;
	o = &u->mod_orc[m - u->mods.v];
	if (!o->loaded) {
		err = load_table(u->t, m->orc_ip, m->orc_unwind, m->num_orcs, o);
		if (err) {
			ms_warn_error(u->t, err, "module %s: cannot read its ORC tables", m->name);
			free_table(o);
			o->loaded = true;
		}
	}
	return o;
}

/* orc_find(): NULL where the kernel finds no entry. */
static bool orc_find(struct ms_unwinder *u, uint64_t ip, struct orc *o)
{
	const unsigned char *e = NULL;
	const struct orc_table *mt;

	if (ip == 0) {
		/* null_orc_entry */
		*o = (struct orc){ .sp_offset = 8, .sp_reg = REG_SP, .bp_reg = REG_UNDEFINED,
				   .type = T_CALL };
		return true;
	}
	if (ip >= u->stext && ip < u->etext)
		e = table_find(&u->vmlinux, ip);
	else if ((mt = module_table(u, ip)))
		e = table_find(mt, ip);
	if (!e)
		return false;
	decode(u, e, o);
	return true;
}

/* ---- set-up ----------------------------------------------------------------- */

static long member(struct ms_target *t, const char *s, const char *m, long fallback)
{
	long off = ms_member_offset(t, s, m);

	return off >= 0 ? off : fallback;
}

struct ms_error *ms_unwinder_new(struct ms_target *t, struct ms_unwinder **out)
{
	struct ms_unwinder *u = calloc(1, sizeof(*u));
	uint64_t ip_start, ip_stop, orc_start;
	struct ms_error *err;
	long thread;

	*out = NULL;
	if (!u)
		return &ms_error_nomem;
	u->t = t;
	thread = ms_member_offset(t, "task_struct", "thread");
	u->thread_sp = thread >= 0 ? member(t, "thread_struct", "sp", -1) : -1;
	if (u->thread_sp >= 0)
		u->thread_sp += thread;
	u->task_stack = ms_member_offset(t, "task_struct", "stack");
	u->thread_size = ms_struct_size(t, "thread_union");
	if (u->thread_size <= 0)
		u->thread_size = DEFAULT_THREAD_SIZE;
	u->frame_size = ms_struct_size(t, "inactive_task_frame");
	u->frame_bp = ms_member_offset(t, "inactive_task_frame", "bp");
	u->frame_ret = ms_member_offset(t, "inactive_task_frame", "ret_addr");
	u->regs_size = ms_struct_size(t, "pt_regs");
	u->r_ip = ms_member_offset(t, "pt_regs", "ip");
	u->r_sp = ms_member_offset(t, "pt_regs", "sp");
	u->r_cs = ms_member_offset(t, "pt_regs", "cs");
	u->r_bp = ms_member_offset(t, "pt_regs", "bp");
	u->r_r10 = ms_member_offset(t, "pt_regs", "r10");
	u->r_r13 = ms_member_offset(t, "pt_regs", "r13");
	u->r_di = ms_member_offset(t, "pt_regs", "di");
	u->r_dx = ms_member_offset(t, "pt_regs", "dx");
	err = NULL;
	if (u->thread_sp < 0 || u->task_stack < 0 || u->frame_size <= 0 || u->frame_bp < 0 ||
	    u->frame_ret < 0 || u->regs_size <= 0 || u->r_ip < 0 || u->r_sp < 0 || u->r_cs < 0)
		err = ms_error_create(MS_ERR_LOOKUP, "cannot lay out thread.sp, "
				      "inactive_task_frame and pt_regs");
	if (!err)
		err = ms_symbol(t, "_stext", &u->stext);
	if (!err)
		err = ms_symbol(t, "_etext", &u->etext);
	if (!err)
		err = ms_symbol(t, "__sched_text_start", &u->sched_start);
	if (!err)
		err = ms_symbol(t, "__sched_text_end", &u->sched_end);
	if (!err && !(u->stack = malloc((size_t)u->thread_size)))
		err = &ms_error_nomem;
	if (err) {
		ms_unwinder_free(u);
		return ms_error_wrap(err, "cannot unwind kernel stacks");
	}
	/* Optional: no __lock_text, or no ret_from_fork, leaves 0 (an empty range). */
	if (ms_has_symbol(t, "__lock_text_start") && ms_has_symbol(t, "__lock_text_end")) {
		ms_error_destroy(ms_symbol(t, "__lock_text_start", &u->lock_start));
		ms_error_destroy(ms_symbol(t, "__lock_text_end", &u->lock_end));
	}
	/* 6.12 returns to ret_from_fork_asm, 6.1 to ret_from_fork. */
	if (ms_has_symbol(t, "ret_from_fork_asm"))
		ms_error_destroy(ms_symbol(t, "ret_from_fork_asm", &u->ret_from_fork));
	else if (ms_has_symbol(t, "ret_from_fork"))
		ms_error_destroy(ms_symbol(t, "ret_from_fork", &u->ret_from_fork));

	err = ms_modules_read(t, &u->mods);
	if (err)
		ms_warn_error(t, err, "module addresses are not unwound or named");
	else if (!(u->mod_orc = calloc(u->mods.nr ? u->mods.nr : 1, sizeof(*u->mod_orc))))
		ms_modules_free(&u->mods);
	else
		u->have_mods = true;

	/* 6.4 gave orc_entry a 3-bit type and a signal bit instead of "end". */
	u->era = ms_has_member(t, "orc_entry", "signal") ? MS_ORC_ERA_TYPE3 : MS_ORC_ERA_END_BIT;
	err = ms_symbol(t, "__start_orc_unwind_ip", &ip_start);
	if (!err)
		err = ms_symbol(t, "__stop_orc_unwind_ip", &ip_stop);
	if (!err)
		err = ms_symbol(t, "__start_orc_unwind", &orc_start);
	if (!err && ip_stop < ip_start)
		err = ms_error_create(MS_ERR_CORRUPT, "__stop_orc_unwind_ip below its start");
	if (!err)
		err = load_table(t, ip_start, orc_start, (size_t)((ip_stop - ip_start) / 4),
				 &u->vmlinux);
	if (err) {
		if (!ms_error_is(err, MS_ERR_LOOKUP))
			ms_warn_error(t, err, "ORC tables unreadable: frame pointers instead");
		else
			ms_error_destroy(err);
		free_table(&u->vmlinux);
	} else {
		u->have_orc = u->vmlinux.nr > 0;
	}
	*out = u;
	return NULL;
}

void ms_unwinder_free(struct ms_unwinder *u)
{
	if (!u)
		return;
	free_table(&u->vmlinux);
	for (size_t i = 0; u->mod_orc && i < u->mods.nr; i++)
		free_table(&u->mod_orc[i]);
	free(u->mod_orc);
	ms_modules_free(&u->mods);
	free(u->stack);
	free(u);
}

const char *ms_unwinder_describe(const struct ms_unwinder *u, char *buf, size_t len)
{
	if (u->have_orc)
		snprintf(buf, len, "ORC (%zu vmlinux entries, %s era; %zu modules)", u->vmlinux.nr,
			 u->era == MS_ORC_ERA_TYPE3 ? "6.4+" : "end-bit", u->mods.nr);
	else
		snprintf(buf, len, "frame pointers (no ORC tables)");
	return buf;
}

const struct ms_modules *ms_unwinder_modules(const struct ms_unwinder *u)
{
	return u->have_mods ? &u->mods : NULL;
}

bool ms_unwinder_in_sched(const struct ms_unwinder *u, uint64_t addr)
{
	return (addr >= u->lock_start && addr < u->lock_end) ||
	       (addr >= u->sched_start && addr < u->sched_end);
}

/* __kernel_text_address(): core kernel text or a module's. */
static bool kernel_text(const struct ms_unwinder *u, uint64_t addr)
{
	return (addr >= u->stext && addr < u->etext) ||
	       (u->have_mods && ms_module_of(&u->mods, addr));
}

/* ---- one stack -------------------------------------------------------------- */

struct state {
	uint64_t base, end;		/* the task's stack */
	uint64_t ip, sp, bp;
	uint64_t regs, prev_regs;	/* addresses of pt_regs on the stack, or 0 */
	bool full_regs, signal, done, error;
};

static bool on_stack(const struct state *s, uint64_t addr, uint64_t len)
{
	return addr >= s->base && addr < s->end && len <= s->end - addr;
}

/* deref_stack_reg(): a word of the stack, never outside it. */
static bool deref(const struct ms_unwinder *u, const struct state *s, uint64_t addr,
		  uint64_t *v)
{
	if (!on_stack(s, addr, 8))
		return false;
	*v = ms_get_u64(u->t, u->stack, (long)(addr - s->base));
	return true;
}

/* get_reg(): a register of the last pt_regs seen, full or the iret part. */
static bool get_reg(const struct ms_unwinder *u, const struct state *s, long off, uint64_t *v)
{
	if (off < 0 || !s->regs)
		return false;
	if (s->full_regs)
		return deref(u, s, s->regs + (uint64_t)off, v);
	if (s->prev_regs)
		return deref(u, s, s->prev_regs + (uint64_t)off, v);
	return false;
}

static const char *reg_name(unsigned int r)
{
	static const char *const n[] = { "undefined", "prev_sp", "dx", "di", "bp", "sp",
					 "r10", "r13", "bp_indirect", "sp_indirect" };

	return r < sizeof(n) / sizeof(n[0]) ? n[r] : "?";
}

/* goto err: the unwind stops, and says why. */
static bool __attribute__((format(printf, 4, 5)))
fail(struct state *s, char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	s->error = true;
	s->done = true;
	return false;
}

#define FAIL(...) fail(s, why, wlen, __VA_ARGS__)

/* unwind_next_frame() of 6.1 (end bit) and 6.12 (3-bit type). */
static bool next_frame(struct ms_unwinder *u, struct state *s, char *why, size_t wlen)
{
	uint64_t sp, tmp, prev_sp = s->sp, cs;
	unsigned long long at = s->ip;	/* orig_ip, for the messages */
	bool indirect = false;
	struct orc o;

	if (s->done)
		return false;
	/* End-of-stack check for user tasks: user_mode(regs) is cs & 3. */
	if (s->regs && deref(u, s, s->regs + (uint64_t)u->r_cs, &cs) && (cs & 3))
		goto the_end;
	if (!orc_find(u, s->signal ? s->ip : s->ip - 1, &o)) {
		/* orc_fp_entry: assume a frame pointer, as the kernel does. */
		o = (struct orc){ .type = T_CALL, .sp_reg = REG_BP, .sp_offset = 16,
				  .bp_reg = REG_PREV_SP, .bp_offset = -16 };
		s->error = true;
	}
	if (u->era == MS_ORC_ERA_END_BIT) {
		if (o.sp_reg == REG_UNDEFINED) {
			if (!o.end)
				return FAIL("undefined ORC entry at %#llx", at);
			goto the_end;
		}
	} else {
		if (o.type == T_UNDEFINED)
			return FAIL("undefined ORC entry at %#llx", at);
		if (o.type == T_END_OF_STACK)
			goto the_end;
		s->signal = o.signal;
	}

	switch (o.sp_reg) {
	case REG_SP:
		sp = s->sp + (uint64_t)(int64_t)o.sp_offset;
		break;
	case REG_BP:
		sp = s->bp + (uint64_t)(int64_t)o.sp_offset;
		break;
	case REG_SP_INDIRECT:
		sp = s->sp;
		indirect = true;
		break;
	case REG_BP_INDIRECT:
		sp = s->bp + (uint64_t)(int64_t)o.sp_offset;
		indirect = true;
		break;
	case REG_R10:
	case REG_R13:
	case REG_DI:
	case REG_DX:
		if (!get_reg(u, s, o.sp_reg == REG_R10 ? u->r_r10 : o.sp_reg == REG_R13 ? u->r_r13 :
				o.sp_reg == REG_DI ? u->r_di : u->r_dx, &sp))
			return FAIL("missing %s value at %#llx", reg_name(o.sp_reg), at);
		break;
	default:
		return FAIL("unknown SP base reg %u at %#llx", o.sp_reg, at);
	}
	if (indirect) {
		if (!deref(u, s, sp, &sp))
			return FAIL("indirect SP off the stack at %#llx", at);
		if (o.sp_reg == REG_SP_INDIRECT)
			sp += (uint64_t)(int64_t)o.sp_offset;
	}

	switch (o.type) {
	case T_CALL:
		if (!deref(u, s, sp - 8, &s->ip))
			return FAIL("return address off the stack at %#llx", at);
		s->sp = sp;
		s->regs = s->prev_regs = 0;
		if (u->era == MS_ORC_ERA_END_BIT)
			s->signal = false;
		break;
	case T_REGS:
		/* deref_stack_regs(): the whole pt_regs on the stack. */
		if (!on_stack(s, sp, (uint64_t)u->regs_size) ||
		    !deref(u, s, sp + (uint64_t)u->r_ip, &s->ip) ||
		    !deref(u, s, sp + (uint64_t)u->r_sp, &s->sp))
			return FAIL("can't access registers at %#llx", at);
		s->regs = sp;
		s->prev_regs = 0;
		s->full_regs = true;
		if (u->era == MS_ORC_ERA_END_BIT)
			s->signal = true;
		break;
	case T_REGS_PARTIAL:
		/* deref_stack_iret_regs(): sp is the iret frame, at pt_regs.ip. */
		if (!on_stack(s, sp, (uint64_t)(u->regs_size - u->r_ip)) ||
		    !deref(u, s, sp, &s->ip) ||
		    !deref(u, s, sp + (uint64_t)(u->r_sp - u->r_ip), &s->sp))
			return FAIL("can't access iret registers at %#llx", at);
		if (s->full_regs)
			s->prev_regs = s->regs;
		s->regs = sp - (uint64_t)u->r_ip;
		s->full_regs = false;
		if (u->era == MS_ORC_ERA_END_BIT)
			s->signal = true;
		break;
	default:
		return FAIL("unknown .orc_unwind entry type %u at %#llx", o.type, at);
	}

	switch (o.bp_reg) {
	case REG_UNDEFINED:
		if (get_reg(u, s, u->r_bp, &tmp))
			s->bp = tmp;
		break;
	case REG_PREV_SP:
		if (!deref(u, s, sp + (uint64_t)(int64_t)o.bp_offset, &s->bp))
			return FAIL("saved BP off the stack at %#llx", at);
		break;
	case REG_BP:
		if (!deref(u, s, s->bp + (uint64_t)(int64_t)o.bp_offset, &s->bp))
			return FAIL("saved BP off the stack at %#llx", at);
		break;
	default:
		return FAIL("unknown BP base reg %u for ip %#llx", o.bp_reg, at);
	}
	/* Prevent a recursive loop due to bad ORC data. */
	if (on_stack(s, s->sp, 8) && s->sp <= prev_sp)
		return FAIL("stack going in the wrong direction at %#llx", at);
	if (!on_stack(s, s->sp, 1))
		goto the_end;	/* left the task stack: no other stack is saved for it */
	return true;
the_end:
	s->done = true;
	return false;
}

/* unwind_get_return_address() of each frame, as arch_stack_walk() collects them
 * (stopping at the first that is not kernel text). */
static void record(struct ms_unwinder *u, struct state *s, struct ms_stack *st, bool *zero)
{
	uint64_t addr = kernel_text(u, s->ip) ? s->ip : 0;

	if (!addr)
		*zero = true;
	else if (st->nr < MS_UNWIND_MAX_FRAMES)
		st->ip[st->nr++] = addr;
}

static void unwind_orc(struct ms_unwinder *u, struct state *s, struct ms_stack *st, bool *zero)
{
	while (!s->done && !*zero && st->nr < MS_UNWIND_MAX_FRAMES) {
		record(u, s, st, zero);
		if (*zero)
			break;
		next_frame(u, s, st->error, sizeof(st->error));
	}
	st->reached_end = s->done && !s->error;
}

/* The bp chain: [bp] is the caller's bp, [bp + 8] the return address. */
static void unwind_fp(struct ms_unwinder *u, struct state *s, struct ms_stack *st, bool *zero)
{
	uint64_t bp = s->bp, next, ret;

	record(u, s, st, zero);
	while (!*zero && st->nr < MS_UNWIND_MAX_FRAMES) {
		if (!deref(u, s, bp, &next) || !deref(u, s, bp + 8, &ret)) {
			if (bp)
				snprintf(st->error, sizeof(st->error), "frame pointer %#llx off "
					 "the stack", (unsigned long long)bp);
			break;
		}
		s->ip = ret;
		record(u, s, st, zero);
		if (next <= bp) {
			st->reached_end = !next;
			break;
		}
		bp = next;
	}
}

/* unwind_guess.c: every word from thread.sp up that is a kernel text address. */
static void unwind_scan(struct ms_unwinder *u, const struct state *s, uint64_t from,
			struct ms_stack *st)
{
	uint64_t v;

	st->nr = 0;
	for (uint64_t a = from; deref(u, s, a, &v) && st->nr < MS_UNWIND_MAX_FRAMES; a += 8)
		if (kernel_text(u, v))
			st->ip[st->nr++] = v;
}

/* __get_wchan(): the first return address outside the scheduler; the last one
 * seen if the unwind ended among them; 0 at an address that is not text. */
static uint64_t wchan_of(const struct ms_unwinder *u, const struct ms_stack *st, bool zero)
{
	for (size_t i = 0; i < st->nr; i++)
		if (!ms_unwinder_in_sched(u, st->ip[i]))
			return st->ip[i];
	return zero || !st->nr ? 0 : st->ip[st->nr - 1];
}

static bool found_wchan(const struct ms_unwinder *u, const struct ms_stack *st)
{
	for (size_t i = 0; i < st->nr; i++)
		if (!ms_unwinder_in_sched(u, st->ip[i]))
			return true;
	return false;
}

struct ms_error *ms_unwind_task(struct ms_unwinder *u, uint64_t task, struct ms_stack *st)
{
	struct state s = { 0 };
	uint64_t stack, tsp;
	struct ms_error *err;
	bool zero = false;

	memset(st, 0, sizeof(*st));
	err = ms_read_ptr(u->t, task + (uint64_t)u->task_stack, &stack);
	if (!err)
		err = ms_read_ptr(u->t, task + (uint64_t)u->thread_sp, &tsp);
	if (!err)
		err = ms_read(u->t, stack, u->stack, (size_t)u->thread_size);
	if (err)
		return ms_error_wrap(err, "its kernel stack");
	s.base = stack;
	s.end = stack + (uint64_t)u->thread_size;
	/* unwind_start() of a task that is not running: its inactive_task_frame. */
	if (!deref(u, &s, tsp + (uint64_t)u->frame_bp, &s.bp) ||
	    !deref(u, &s, tsp + (uint64_t)u->frame_ret, &s.ip)) {
		snprintf(st->error, sizeof(st->error), "thread.sp %#llx is not on its stack "
			 "[%#llx, %#llx)", (unsigned long long)tsp, (unsigned long long)s.base,
			 (unsigned long long)s.end);
		return NULL;
	}
	s.sp = tsp + (uint64_t)u->frame_size;
	s.signal = s.ip == u->ret_from_fork;
	if (u->have_orc) {
		st->method = MS_UNWIND_ORC;
		unwind_orc(u, &s, st, &zero);
		if (st->error[0] && !found_wchan(u, st)) {
			/* A partial ORC answer with no wchan in it: guess from the stack. */
			size_t n = strlen(st->error);

			snprintf(st->error + n, sizeof(st->error) - n, "; stack scanned instead");
			st->method = MS_UNWIND_SCAN;
			unwind_scan(u, &s, tsp, st);
			zero = false;
		}
	} else {
		st->method = MS_UNWIND_FP;
		unwind_fp(u, &s, st, &zero);
		if (!found_wchan(u, st)) {
			st->method = MS_UNWIND_SCAN;
			unwind_scan(u, &s, tsp, st);
			zero = false;
		}
	}
	st->wchan = wchan_of(u, st, zero);
	return NULL;
}

const char *ms_unwinder_symbolize(struct ms_unwinder *u, uint64_t addr, bool offset, char *buf,
				  size_t len)
{
	struct sym_slot *c = &u->cache[(addr ^ (addr >> 9) ^ offset) % SYM_CACHE];
	const struct ms_module *m = u->have_mods ? ms_module_of(&u->mods, addr) : NULL;
	char name[80];
	uint64_t off = 0, size = 0;
	struct ms_error *err;

	if (c->used && c->addr == addr && c->offset == offset) {
		snprintf(buf, len, "%s", c->text);
		return buf;
	}
	if (m)
		err = ms_module_symbol(u->t, &u->mods, m, addr, name, sizeof(name), &off, &size);
	else
		err = ms_symbol_at(u->t, addr, name, sizeof(name), &off);
	if (err) {
		ms_error_destroy(err);
		snprintf(c->text, sizeof(c->text), "%#llx%s%s%s", (unsigned long long)addr,
			 m ? " [" : "", m ? m->name : "", m ? "]" : "");
	} else if (offset) {
		snprintf(c->text, sizeof(c->text), "%s+%#llx%s%s%s", name, (unsigned long long)off,
			 m ? " [" : "", m ? m->name : "", m ? "]" : "");
	} else {
		snprintf(c->text, sizeof(c->text), "%s", name);
	}
	c->addr = addr;
	c->offset = offset;
	c->used = true;
	snprintf(buf, len, "%s", c->text);
	return buf;
}

const char *ms_unwind_method_name(enum ms_unwind_method m)
{
	switch (m) {
	case MS_UNWIND_ORC: return "orc";
	case MS_UNWIND_FP: return "fp";
	case MS_UNWIND_SCAN: return "scan";
	default: return "none";
	}
}
