/*
 * consumers_print.c - pipes, sockstat and vmallocinfo in text and JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "consumers_print.h"
#include "modules.h"
#include "units.h"

static const char *pages_str(char *buf, size_t len, uint64_t pages, unsigned int shift)
{
	return ms_fmt_kb(buf, len, (long long)(pages << (shift - 10)));
}

/* ---- pipes ---- */

struct cmd_sum {
	char comm[MS_TASK_COMM_LEN + 1];
	unsigned int procs, pipes;
	uint64_t pages, bytes;
	int32_t last_pid;
};

static int by_pages(const void *a, const void *b)
{
	const struct cmd_sum *x = a, *y = b;

	if (x->pages != y->pages)
		return x->pages > y->pages ? -1 : 1;
	return strcmp(x->comm, y->comm);
}

/* Pages by command: a pipe counts once, for the command of its first holder;
 * processes are those holding any pipe. */
static struct cmd_sum *by_command(const struct ms_pipes *p, size_t *nr)
{
	struct cmd_sum *v = calloc(p->nr_holders + 1, sizeof(*v));

	*nr = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < p->nr_holders; i++) {
		const struct ms_pipe_holder *h = &p->holders[i];
		const struct ms_pipe *pp = &p->v[h->pipe];
		bool first = pp->first_holder == i;
		size_t j;

		for (j = 0; j < *nr; j++)
			if (!strcmp(v[j].comm, h->comm))
				break;
		if (j == *nr) {
			memcpy(v[j].comm, h->comm, sizeof(v[j].comm));
			v[j].last_pid = -1;
			(*nr)++;
		}
		if (first) {
			v[j].pipes++;
			v[j].pages += pp->pages + (pp->tmp_page ? 1 : 0);
			v[j].bytes += pp->bytes;
		}
	}
	/* processes: distinct pids per command */
	for (size_t j = 0; j < *nr; j++) {
		int32_t *seen = calloc(p->nr_holders + 1, sizeof(*seen));
		size_t ns = 0;

		if (!seen)
			continue;
		for (size_t i = 0; i < p->nr_holders; i++) {
			size_t k;

			if (strcmp(p->holders[i].comm, v[j].comm))
				continue;
			for (k = 0; k < ns; k++)
				if (seen[k] == p->holders[i].pid)
					break;
			if (k == ns)
				seen[ns++] = p->holders[i].pid;
		}
		v[j].procs = (unsigned int)ns;
		free(seen);
	}
	qsort(v, *nr, sizeof(*v), by_pages);
	return v;
}

void ms_pipes_print(FILE *out, const struct ms_pipes *p, unsigned int shift, bool all)
{
	char a[32];
	size_t nc = 0;
	struct cmd_sum *cs;

	fprintf(out, "%16s %10s %6s %6s %10s %6s %9s  %s\n", "PIPE", "INODE", "SLOTS", "USED",
		"BYTES", "PAGES", "SIZE", "HELD BY (PID COMM FDS)");
	for (size_t i = 0; i < p->nr; i++) {
		const struct ms_pipe *pp = &p->v[i];
		uint64_t pages = pp->pages + (pp->tmp_page ? 1 : 0);

		if (!all && !pages && !pp->spliced && pp->complete)
			continue;
		fprintf(out, "%16" PRIx64 " %10" PRIu64 " ", pp->addr, pp->ino);
		if (pp->complete)
			fprintf(out, "%6u %6u %10" PRIu64 " %6" PRIu64 " %9s ", pp->ring_size,
				pp->head - pp->tail, pp->bytes, pages, pages_str(a, sizeof(a), pages, shift));
		else
			fprintf(out, "%6s %6s %10s %6s %9s ", "?", "?", "?", "?", "?");
		for (size_t h = 0; h < pp->nr_holders; h++) {
			const struct ms_pipe_holder *ph = &p->holders[pp->first_holder + h];

			fprintf(out, "%s%d %s %u", h ? ", " : " ", ph->pid, ph->comm, ph->nr_fds);
		}
		if (pp->spliced)
			fprintf(out, "  (+%" PRIu64 " spliced pages)", pp->spliced);
		if (pp->tmp_page)
			fprintf(out, "  (1 spare page)");
		if (!pp->complete)
			fprintf(out, "  <- %s", pp->why);
		fputc('\n', out);
	}
	cs = by_command(p, &nc);
	if (cs && nc) {
		fprintf(out, "\n%-16s %9s %6s %10s %6s %9s\n", "COMMAND", "PROCESSES", "PIPES",
			"BYTES", "PAGES", "SIZE");
		for (size_t j = 0; j < nc; j++) {
			if (!all && !cs[j].pages)
				continue;
			fprintf(out, "%-16s %9u %6u %10" PRIu64 " %6" PRIu64 " %9s\n", cs[j].comm,
				cs[j].procs, cs[j].pipes, cs[j].bytes, cs[j].pages,
				pages_str(a, sizeof(a), cs[j].pages, shift));
		}
	}
	free(cs);
	fprintf(out, "\n%zu pipes, %" PRIu64 " bytes queued in %" PRIu64 " pages (%s), each pipe "
		"counted once\n", p->nr, p->bytes, p->pages, pages_str(a, sizeof(a), p->pages, shift));
	if (!p->complete)
		fprintf(out, "incomplete: %s\n", p->why);
}

json_t *ms_pipes_json(const struct ms_pipes *p, unsigned int shift)
{
	json_t *pipes = json_array(), *cmds = json_array();
	size_t nc = 0;
	struct cmd_sum *cs;

	for (size_t i = 0; i < p->nr; i++) {
		const struct ms_pipe *pp = &p->v[i];
		json_t *hs = json_array();

		for (size_t h = 0; h < pp->nr_holders; h++) {
			const struct ms_pipe_holder *ph = &p->holders[pp->first_holder + h];

			json_array_append_new(hs, json_pack("{s:i, s:s, s:i}", "pid", ph->pid,
							    "comm", ph->comm, "fds", ph->nr_fds));
		}
		json_array_append_new(pipes, json_pack(
			"{s:s, s:I, s:b, s:o, s:I, s:I, s:I, s:I, s:I, s:b, s:o}",
			"address", "", "ino", (json_int_t)pp->ino, "complete", pp->complete,
			"why", pp->complete ? json_null() : json_string(pp->why),
			"ring_size", (json_int_t)pp->ring_size,
			"used_slots", (json_int_t)(pp->head - pp->tail),
			"bytes", (json_int_t)pp->bytes, "pages", (json_int_t)pp->pages,
			"spliced_pages", (json_int_t)pp->spliced, "tmp_page", pp->tmp_page,
			"holders", hs));
		{
			char addr[24];

			snprintf(addr, sizeof(addr), "%#" PRIx64, pp->addr);
			json_object_set_new(json_array_get(pipes, json_array_size(pipes) - 1),
					    "address", json_string(addr));
		}
	}
	cs = by_command(p, &nc);
	for (size_t j = 0; cs && j < nc; j++)
		json_array_append_new(cmds, json_pack("{s:s, s:i, s:i, s:I, s:I}", "comm",
			cs[j].comm, "processes", cs[j].procs, "pipes", cs[j].pipes,
			"bytes", (json_int_t)cs[j].bytes, "pages", (json_int_t)cs[j].pages));
	free(cs);
	return json_pack("{s:I, s:o, s:o, s:I, s:I, s:b, s:o}", "page_size",
			 (json_int_t)(1ll << shift), "pipes", pipes, "commands", cmds,
			 "pages", (json_int_t)p->pages, "bytes", (json_int_t)p->bytes,
			 "complete", p->complete,
			 "why", p->complete ? json_null() : json_string(p->why));
}

/* ---- sockstat ---- */

static void val(FILE *out, const char *label, const struct ms_sockstat_val *v)
{
	if (v->ok)
		fprintf(out, " %s %" PRId64, label, v->v);
	else
		fprintf(out, " %s ?", label);
}

/* The sockets' queued memory by command: each socket once (its lowest pid). */
struct sock_cmd {
	char comm[MS_TASK_COMM_LEN + 1];
	unsigned int procs, socks;
	int32_t last_pid;
	int64_t rmem, wqueued;
};

static struct sock_cmd *sock_commands(const struct ms_socks *s, size_t *nr)
{
	struct sock_cmd *v = calloc(s->nr + 1, sizeof(*v));

	*nr = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < s->nr; i++) {	/* s->v is in pid order */
		const struct ms_sock *so = &s->v[i];
		size_t j;

		for (j = 0; j < *nr; j++)
			if (!strcmp(v[j].comm, so->comm))
				break;
		if (j == *nr) {
			memcpy(v[j].comm, so->comm, sizeof(v[j].comm));
			v[j].last_pid = -1;
			(*nr)++;
		}
		if (v[j].last_pid != so->pid) {
			v[j].procs++;
			v[j].last_pid = so->pid;
		}
		v[j].socks++;
		v[j].rmem += so->rmem_alloc > 0 ? so->rmem_alloc : 0;
		v[j].wqueued += so->wmem_queued > 0 ? so->wmem_queued : 0;
	}
	return v;
}

void ms_sockstat_print_proc(FILE *out, const struct ms_socks *s)
{
	const struct ms_sockstat *st = &s->stat;

	/* socket_seq_show() (net/socket.c) and sockstat_seq_show() (net/ipv4/proc.c) */
	fprintf(out, "sockets:");
	val(out, "used", &st->sockets_used);
	fprintf(out, "\nTCP:");
	val(out, "inuse", &st->tcp_inuse);
	val(out, "orphan", &st->tcp_orphan);
	val(out, "tw", &st->tcp_tw);
	val(out, "alloc", &st->tcp_alloc);
	val(out, "mem", &st->tcp_mem);
	fprintf(out, "\nUDP:");
	val(out, "inuse", &st->udp_inuse);
	val(out, "mem", &st->udp_mem);
	if (st->has_udplite) {
		fprintf(out, "\nUDPLITE:");
		val(out, "inuse", &st->udplite_inuse);
	}
	fprintf(out, "\nRAW:");
	val(out, "inuse", &st->raw_inuse);
	fprintf(out, "\nFRAG:");
	val(out, "inuse", &st->frag_inuse);
	val(out, "memory", &st->frag_memory);
	fputc('\n', out);
	if (st->why[0])
		fprintf(out, "    <- memscope: \"?\" is unknown: %s\n", st->why);
}

static void addr_port(char *buf, size_t len, uint32_t a, unsigned int port)
{
	const uint8_t *b = (const uint8_t *)&a;	/* network order as the kernel stores it */

	snprintf(buf, len, "%u.%u.%u.%u:%u", b[0], b[1], b[2], b[3], port);
}

void ms_sockstat_print(FILE *out, const struct ms_socks *s, unsigned int shift, bool all)
{
	char a[32], l[32], r[32];

	ms_sockstat_print_proc(out, s);
	fprintf(out, "\n%10s %10s %10s %10s  %s\n", "ALLOCATED", "PER-CPU", "PAGES", "SIZE",
		"PROTOCOLS (one memory_allocated)");
	for (size_t i = 0; i < s->nr_protos; i++) {
		const struct ms_proto_mem *p = &s->protos[i];

		if (p->shared)
			continue;
		fprintf(out, "%10" PRId64 " ", p->allocated);
		if (p->pcpu_ok)
			fprintf(out, "%10" PRId64 " ", p->pcpu);
		else
			fprintf(out, "%10s ", "?");
		{
			int64_t tot = p->allocated + (p->pcpu_ok ? p->pcpu : 0);

			fprintf(out, "%10" PRId64 " %10s  %s\n", tot,
				pages_str(a, sizeof(a), (uint64_t)(tot > 0 ? tot : 0), shift), p->group);
		}
	}
	fprintf(out, "protocol memory, each memory_allocated once with the per-cpu reserves: %s\n",
		pages_str(a, sizeof(a), (uint64_t)(s->proto_pages > 0 ? s->proto_pages : 0), shift));
	fprintf(out, "\n%7s %-16s %-8s %-12s %-21s %-21s %9s %9s %9s %9s\n", "PID", "COMM",
		"PROTO", "STATE", "LOCAL", "REMOTE", "RX_QUEUE", "TX_QUEUE", "RMEM", "WQUEUED");
	for (size_t i = 0; i < s->nr; i++) {
		const struct ms_sock *so = &s->v[i];
		const char *st = "-";
		char stn[16];

		if (!all && so->rmem_alloc <= 0 && so->wmem_queued <= 0 &&
		    !(so->queues_ok && (so->rx_queue || so->tx_queue)))
			continue;
		/* inet sockets share the TCP states (UDP: CLOSE, ESTABLISHED) */
		if (so->family == 2 || so->family == 10)	/* AF_INET, AF_INET6: ABI */
			st = ms_tcp_state_name(so->state);
		else {
			snprintf(stn, sizeof(stn), "%u", so->state);
			st = stn;
		}
		addr_port(l, sizeof(l), so->saddr, so->sport);
		addr_port(r, sizeof(r), so->daddr, so->dport);
		fprintf(out, "%7d %-16s %-8s %-12s %-21s %-21s ", so->pid, so->comm,
			so->proto[0] ? so->proto : "?", st, l, r);
		if (so->queues_ok)
			fprintf(out, "%9" PRId64 " %9" PRId64 " ", so->rx_queue, so->tx_queue);
		else
			fprintf(out, "%9s %9s ", "-", "-");
		fprintf(out, "%9" PRId64 " %9" PRId64 "%s\n", so->rmem_alloc, so->wmem_queued,
			so->complete ? "" : "  <- incomplete");
	}
	{
		size_t nc = 0;
		struct sock_cmd *cs = sock_commands(s, &nc);

		if (cs && nc) {
			fprintf(out, "\n%-16s %9s %7s %12s %12s %10s\n", "COMMAND", "PROCESSES",
				"SOCKETS", "RMEM", "WQUEUED", "SIZE");
			for (size_t j = 0; j < nc; j++) {
				if (!all && !cs[j].rmem && !cs[j].wqueued)
					continue;
				fprintf(out, "%-16s %9u %7u %12" PRId64 " %12" PRId64 " %10s\n",
					cs[j].comm, cs[j].procs, cs[j].socks, cs[j].rmem, cs[j].wqueued,
					ms_fmt_kb(a, sizeof(a), (cs[j].rmem + cs[j].wqueued) >> 10));
			}
		}
		free(cs);
	}
	if (!s->complete || !s->protos_complete)
		fprintf(out, "incomplete: %s\n", s->why);
}

static json_t *jval(const struct ms_sockstat_val *v)
{
	return v->ok ? json_integer((json_int_t)v->v) : json_null();
}

json_t *ms_sockstat_json(const struct ms_socks *s, unsigned int shift)
{
	const struct ms_sockstat *st = &s->stat;
	json_t *protos = json_array(), *socks = json_array(), *cmds;
	json_t *stat = json_pack("{s:o, s:{s:o, s:o, s:o, s:o, s:o}, s:{s:o, s:o}, s:{s:o}, "
				 "s:{s:o, s:o}}",
		"sockets_used", jval(&st->sockets_used),
		"tcp", "inuse", jval(&st->tcp_inuse), "orphan", jval(&st->tcp_orphan),
		"tw", jval(&st->tcp_tw), "alloc", jval(&st->tcp_alloc), "mem", jval(&st->tcp_mem),
		"udp", "inuse", jval(&st->udp_inuse), "mem", jval(&st->udp_mem),
		"raw", "inuse", jval(&st->raw_inuse),
		"frag", "inuse", jval(&st->frag_inuse), "memory", jval(&st->frag_memory));

	if (st->has_udplite)
		json_object_set_new(stat, "udplite", json_pack("{s:o}", "inuse",
							       jval(&st->udplite_inuse)));
	for (size_t i = 0; i < s->nr_protos; i++) {
		const struct ms_proto_mem *p = &s->protos[i];

		json_array_append_new(protos, json_pack("{s:s, s:s, s:I, s:o, s:b}", "name", p->name,
			"group", p->group,
			"allocated_pages", (json_int_t)p->allocated, "per_cpu_pages",
			p->pcpu_ok ? json_integer((json_int_t)p->pcpu) : json_null(),
			"shares_memory_allocated", p->shared));
	}
	for (size_t i = 0; i < s->nr; i++) {
		const struct ms_sock *so = &s->v[i];
		char a[32], b[32];

		addr_port(a, sizeof(a), so->saddr, so->sport);
		addr_port(b, sizeof(b), so->daddr, so->dport);
		json_array_append_new(socks, json_pack(
			"{s:i, s:s, s:s, s:i, s:i, s:i, s:s, s:s, s:i, s:i, s:o, s:o, s:I, s:I, s:I, "
			"s:I, s:b}",
			"pid", so->pid, "comm", so->comm, "proto", so->proto, "family", so->family,
			"type", so->type, "state", so->state, "local", a, "remote", b,
			"local_port", so->sport, "remote_port", so->dport,
			"rx_queue", so->queues_ok ? json_integer(so->rx_queue) : json_null(),
			"tx_queue", so->queues_ok ? json_integer(so->tx_queue) : json_null(),
			"rmem_alloc", (json_int_t)so->rmem_alloc,
			"wmem_alloc", (json_int_t)so->wmem_alloc,
			"wmem_queued", (json_int_t)so->wmem_queued,
			"forward_alloc", (json_int_t)so->forward_alloc, "complete", so->complete));
	}
	{
		size_t nc = 0;
		struct sock_cmd *cs = sock_commands(s, &nc);

		cmds = json_array();
		for (size_t j = 0; cs && j < nc; j++)
			json_array_append_new(cmds, json_pack("{s:s, s:i, s:i, s:I, s:I}", "comm",
				cs[j].comm, "processes", cs[j].procs, "sockets", cs[j].socks,
				"rmem_alloc", (json_int_t)cs[j].rmem,
				"wmem_queued", (json_int_t)cs[j].wqueued));
		free(cs);
	}
	return json_pack("{s:I, s:o, s:o, s:I, s:o, s:o, s:b, s:b, s:o}", "page_size",
			 (json_int_t)(1ll << shift), "sockstat", stat, "protocols", protos,
			 "protocol_pages", (json_int_t)s->proto_pages, "sockets", socks,
			 "commands", cmds,
			 "complete", s->complete, "protocols_complete", s->protos_complete,
			 "why", s->why[0] ? json_string(s->why) : json_null());
}

/* ---- vmallocinfo ---- */

static void flag_words(FILE *out, uint64_t f)
{
	/* s_show() (mm/vmalloc.c): the words in this order. */
	if (f & MS_VM_IOREMAP)
		fprintf(out, " ioremap");
	if (f & MS_VM_ALLOC)
		fprintf(out, " vmalloc");
	if (f & MS_VM_MAP)
		fprintf(out, " vmap");
	if (f & MS_VM_USERMAP)
		fprintf(out, " user");
	if (f & MS_VM_DMA_COHERENT)
		fprintf(out, " dma-coherent");
}

void ms_vmalloc_print(FILE *out, struct ms_target *t, const struct ms_vmalloc *vm, bool areas)
{
	char a[32];

	if (areas) {
		struct ms_modules mods;
		struct ms_error *err = ms_modules_read(t, &mods);
		bool have = !err;

		ms_error_destroy(err);
		for (size_t i = 0; i < vm->nr; i++) {
			const struct ms_vmap_area *v = &vm->v[i];
			char sym[MS_VMAP_SYM_LEN], mod[64], fn[96];

			if (!v->vm) {
				fprintf(out, "0x%016" PRIx64 "-0x%016" PRIx64 " %7" PRIu64 " vm_map_ram\n",
					v->va_start, v->va_end, v->va_end - v->va_start);
				continue;
			}
			fprintf(out, "0x%016" PRIx64 "-0x%016" PRIx64 " %7" PRIu64, v->addr,
				v->addr + v->size, v->size);
			if (v->caller) {
				ms_vmalloc_symbolize(t, have ? &mods : NULL, v->caller, sym, sizeof(sym),
						     mod, sizeof(mod), fn, sizeof(fn));
				fprintf(out, " %s", sym);
			}
			if (v->nr_pages)
				fprintf(out, " pages=%" PRIu64, v->nr_pages);
			if (v->phys_addr)
				fprintf(out, " phys=0x%016" PRIx64, v->phys_addr);
			flag_words(out, v->flags);
			fputc('\n', out);
		}
		if (have)
			ms_modules_free(&mods);
	} else {
		fprintf(out, "%10s %12s %9s %10s  %s\n", "AREAS", "SIZE", "PAGES", "MEMORY", "CALLER");
		for (size_t i = 0; i < vm->nr_callers; i++) {
			const struct ms_vmap_caller *c = &vm->callers[i];

			fprintf(out, "%10" PRIu64 " %12" PRIu64 " %9" PRIu64 " %10s  %s\n", c->areas,
				c->size, c->pages, pages_str(a, sizeof(a), c->pages, t->page_shift),
				c->name);
		}
	}
	fprintf(out, "\n%zu areas, %" PRIu64 " bytes of address space, %" PRIu64 " pages (%s) "
		"backed (VmallocUsed counts them)", vm->nr, vm->size, vm->pages,
		pages_str(a, sizeof(a), vm->pages, t->page_shift));
	if (vm->map_ram)
		fprintf(out, "; vm_map_ram: %" PRIu64 " bytes", vm->map_ram);
	fputc('\n', out);
	if (!vm->complete)
		fprintf(out, "incomplete: %s\n", vm->why);
}

json_t *ms_vmalloc_json(const struct ms_vmalloc *vm, unsigned int shift)
{
	json_t *areas = json_array(), *callers = json_array();

	for (size_t i = 0; i < vm->nr_callers; i++) {
		const struct ms_vmap_caller *c = &vm->callers[i];

		json_array_append_new(callers, json_pack("{s:s, s:o, s:I, s:I, s:I}", "caller",
			c->name, "module", c->module[0] ? json_string(c->module) : json_null(),
			"areas", (json_int_t)c->areas, "size", (json_int_t)c->size,
			"pages", (json_int_t)c->pages));
	}
	for (size_t i = 0; i < vm->nr; i++) {
		const struct ms_vmap_area *v = &vm->v[i];
		char s[24], e[24];

		snprintf(s, sizeof(s), "%#" PRIx64, v->vm ? v->addr : v->va_start);
		snprintf(e, sizeof(e), "%#" PRIx64, v->vm ? v->addr + v->size : v->va_end);
		json_array_append_new(areas, json_pack("{s:s, s:s, s:I, s:I, s:I, s:o}", "start", s,
			"end", e, "size", (json_int_t)(v->vm ? v->size : v->va_end - v->va_start),
			"pages", (json_int_t)v->nr_pages, "flags", (json_int_t)v->flags,
			"caller", v->caller_idx != (size_t)-1
			? json_string(vm->callers[v->caller_idx].name) : json_null()));
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:b, s:o, s:o, s:o}", "page_size",
			 (json_int_t)(1ll << shift), "areas_count", (json_int_t)vm->nr,
			 "size", (json_int_t)vm->size, "pages", (json_int_t)vm->pages,
			 "vm_map_ram_bytes", (json_int_t)vm->map_ram, "complete", vm->complete,
			 "why", vm->complete ? json_null() : json_string(vm->why),
			 "callers", callers, "areas", areas);
}

/* ---- module sizes ---- */

static uint64_t module_total(const struct ms_module *md)
{
	return md->size_text + md->size_rodata + md->size_ro_after_init + md->size_data +
	       md->size_init;
}

void ms_module_sizes_print(FILE *out, const struct ms_modules *m)
{
	uint64_t total = 0;
	char a[32];

	fprintf(out, "%-20s %10s %10s %10s %10s %10s %10s\n", "MODULE", "SIZE", "TEXT", "RODATA",
		"RO_AFTER", "DATA", "INIT");
	for (size_t i = 0; i < m->nr; i++) {
		const struct ms_module *md = &m->v[i];

		if (!md->sizes_ok) {
			fprintf(out, "%-20s %10s\n", md->name, "?");
			continue;
		}
		total += module_total(md);
		fprintf(out, "%-20s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %10" PRIu64
			" %10" PRIu64 "\n", md->name, module_total(md), md->size_text, md->size_rodata,
			md->size_ro_after_init, md->size_data, md->size_init);
	}
	fprintf(out, "%zu modules, %s (vmalloc'ed: inside VmallocUsed)%s\n", m->nr,
		ms_fmt_kb(a, sizeof(a), (long long)(total >> 10)),
		m->complete ? "" : "; the module list was cut short");
}

json_t *ms_module_sizes_json(const struct ms_modules *m)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < m->nr; i++) {
		const struct ms_module *md = &m->v[i];

		if (!md->sizes_ok) {
			json_array_append_new(arr, json_pack("{s:s, s:n}", "name", md->name, "size"));
			continue;
		}
		json_array_append_new(arr, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}",
			"name", md->name, "size", (json_int_t)module_total(md),
			"text", (json_int_t)md->size_text, "rodata", (json_int_t)md->size_rodata,
			"ro_after_init", (json_int_t)md->size_ro_after_init,
			"data", (json_int_t)md->size_data, "init", (json_int_t)md->size_init));
	}
	return arr;
}
