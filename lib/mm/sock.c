/*
 * sock.c - /proc/net/sockstat, the protocols' memory, and the sockets that
 * processes hold open.
 *
 * sockstat_seq_show() (net/ipv4/proc.c, 6.1 and 6.12), for init_net:
 *   sockets: used  sock_inuse_get(): every possible CPU's prot_inuse->all
 *   TCP: inuse     sock_prot_inuse_get(): prot_inuse->val[tcp_prot.inuse_idx]
 *        orphan    tcp_orphan_count_sum(): the per-cpu tcp_orphan_count, >= 0
 *        tw        refcount_read(&net->ipv4.tcp_death_row.tw_refcount) - 1
 *                  (5.18+; atomic tw_count before)
 *        alloc     percpu_counter_sum_positive(tcp_prot.sockets_allocated)
 *        mem       proto_memory_allocated(): max(0, *memory_allocated)
 *   UDP, UDPLITE, RAW: inuse (and UDP mem) the same way
 *   FRAG: inuse    net->ipv4.fqdir->rhashtable.nelems, memory fqdir->mem
 * Since 6.0 (sk_memory_allocated_add(), include/net/sock.h) a CPU keeps up
 * to sysctl_mem_pcpu_rsv pages in *proto->per_cpu_fw_alloc before adding
 * them to memory_allocated: sockstat prints the atomic alone; the memory the
 * protocol holds is the atomic plus every CPU's reserve.
 *
 * Sockets: a descriptor whose inode is S_IFSOCK has file->private_data a
 * struct socket (sock_alloc_file()), socket->sk its struct sock.  Queues as
 * get_tcp4_sock() (net/ipv4/tcp_ipv4.c) and udp4_format_sock()
 * (net/ipv4/udp.c) print them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "grow.h"
#include "kernel.h"
#include "list.h"
#include "sock.h"

#define MAX_PROTOS 256

static void unknown(struct ms_socks *s, struct ms_sockstat_val *v, struct ms_error *err,
		    const char *what)
{
	v->ok = false;
	if (!s->stat.why[0])
		snprintf(s->stat.why, sizeof(s->stat.why), "%s: %s", what,
			 err ? ms_error_string(err) : "no layout");
	ms_error_destroy(err);
}

static void known(struct ms_sockstat_val *v, int64_t x)
{
	v->ok = true;
	v->v = x;
}

/* Sum of an int at base over the CPUs (a per-cpu variable or pointer). */
static struct ms_error *pcpu_int_sum(struct ms_target *t, const struct ms_kernel *k,
				     uint64_t base, bool possible, int64_t *sum)
{
	const unsigned int *cpus = possible ? k->possible : k->online;
	unsigned int nr = possible ? k->nr_possible : k->nr_online;
	struct ms_error *err;

	*sum = 0;
	for (unsigned int i = 0; i < nr; i++) {
		int32_t v;

		if ((err = ms_read_s32(t, ms_percpu_addr(k, base, cpus[i]), &v)))
			return err;
		*sum += v;
	}
	return NULL;
}

/* percpu_counter_sum_positive() (lib/percpu_counter.c): count + every online
 * CPU's s32 counter, at least 0. */
static struct ms_error *percpu_counter_sum_positive(struct ms_target *t,
						    const struct ms_kernel *k, uint64_t fbc,
						    int64_t *v)
{
	long count = ms_member_offset(t, "percpu_counter", "count");
	long counters = ms_member_offset(t, "percpu_counter", "counters");
	uint64_t pc;
	int64_t sum;
	struct ms_error *err;

	if (count < 0 || counters < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no layout of percpu_counter");
	if ((err = ms_read_s64(t, fbc + (uint64_t)count, v)) ||
	    (err = ms_read_ptr(t, fbc + (uint64_t)counters, &pc)) ||
	    (err = pcpu_int_sum(t, k, pc, false, &sum)))
		return err;
	*v += sum;
	if (*v < 0)
		*v = 0;
	return NULL;
}

struct net_layout {
	long ipv4, core, prot_inuse, pi_all, pi_val;
	long death_row, death_row_size, dr_size, tw_refcount, tw_count;
	long fqdir, fq_rht, rht_nelems, fq_mem;
	long inuse_idx, memory_allocated, per_cpu_fw_alloc, sockets_allocated, name, node;
};

static void net_layout(struct ms_target *t, struct net_layout *l)
{
	l->ipv4 = ms_member_offset(t, "net", "ipv4");
	l->core = ms_member_offset(t, "net", "core");
	l->prot_inuse = ms_member_offset(t, "netns_core", "prot_inuse");
	l->pi_all = ms_member_offset(t, "prot_inuse", "all");
	l->pi_val = ms_member_offset(t, "prot_inuse", "val");
	l->death_row = ms_member_offset(t, "netns_ipv4", "tcp_death_row");
	l->death_row_size = ms_member_size(t, "netns_ipv4", "tcp_death_row");
	l->dr_size = ms_struct_size(t, "inet_timewait_death_row");
	l->tw_refcount = ms_member_offset(t, "inet_timewait_death_row", "tw_refcount");
	l->tw_count = ms_member_offset(t, "inet_timewait_death_row", "tw_count");
	l->fqdir = ms_member_offset(t, "netns_ipv4", "fqdir");
	l->fq_rht = ms_member_offset(t, "fqdir", "rhashtable");
	l->rht_nelems = ms_member_offset(t, "rhashtable", "nelems");
	l->fq_mem = ms_member_offset(t, "fqdir", "mem");
	l->inuse_idx = ms_member_offset(t, "proto", "inuse_idx");
	l->memory_allocated = ms_member_offset(t, "proto", "memory_allocated");
	l->per_cpu_fw_alloc = ms_member_offset(t, "proto", "per_cpu_fw_alloc");
	l->sockets_allocated = ms_member_offset(t, "proto", "sockets_allocated");
	l->name = ms_member_offset(t, "proto", "name");
	l->node = ms_member_offset(t, "proto", "node");
}

/* sock_prot_inuse_get(net, prot) for the proto at symbol sym. */
static struct ms_error *prot_inuse(struct ms_target *t, const struct ms_kernel *k,
				   const struct net_layout *l, uint64_t pi, const char *sym,
				   int64_t *v)
{
	uint64_t prot;
	uint32_t idx;
	struct ms_error *err;

	if (l->inuse_idx < 0 || l->pi_val < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no layout of proto.inuse_idx/prot_inuse.val");
	if ((err = ms_symbol(t, sym, &prot)) ||
	    (err = ms_read_u32(t, prot + (uint64_t)l->inuse_idx, &idx)))
		return err;
	if (idx > 64)		/* PROTO_INUSE_NR */
		return ms_error_at(MS_ERR_CORRUPT, prot, "%s.inuse_idx %u", sym, idx);
	return pcpu_int_sum(t, k, pi + (uint64_t)l->pi_val + 4ull * idx, true, v);
}

static struct ms_error *proto_mem(struct ms_target *t, const struct net_layout *l,
				  const char *sym, int64_t *v)
{
	uint64_t prot, ma;
	struct ms_error *err;

	if (l->memory_allocated < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no layout of proto.memory_allocated");
	if ((err = ms_symbol(t, sym, &prot)) ||
	    (err = ms_read_ptr(t, prot + (uint64_t)l->memory_allocated, &ma)))
		return err;
	if (!ma)
		return ms_error_create(MS_ERR_LOOKUP, "%s has no memory_allocated", sym);
	if ((err = ms_read_s64(t, ma, v)))
		return err;
	if (*v < 0)
		*v = 0;
	return NULL;
}

static void read_sockstat(struct ms_target *t, const struct ms_kernel *k,
			  const struct net_layout *l, uint64_t net, struct ms_socks *s)
{
	struct ms_sockstat *st = &s->stat;
	uint64_t pi = 0, prot, fbc, dr, fq;
	int64_t v;
	struct ms_error *err = NULL;

	if (l->core < 0 || l->prot_inuse < 0 || l->pi_all < 0)
		err = ms_error_create(MS_ERR_LOOKUP, "no layout of net.core.prot_inuse");
	else
		err = ms_read_ptr(t, net + (uint64_t)l->core + (uint64_t)l->prot_inuse, &pi);
	if (!err && !pi)
		err = ms_error_create(MS_ERR_CORRUPT, "init_net.core.prot_inuse is NULL");
	if (err) {
		const char *why = ms_error_string(err);

		snprintf(st->why, sizeof(st->why), "prot_inuse: %s", why);
		ms_error_destroy(err);
	} else {
		if ((err = pcpu_int_sum(t, k, pi + (uint64_t)l->pi_all, true, &v)))
			unknown(s, &st->sockets_used, err, "sockets: used");
		else
			known(&st->sockets_used, v);
#define INUSE(field, sym, label)						\
		if ((err = prot_inuse(t, k, l, pi, sym, &v)))			\
			unknown(s, &st->field, err, label);			\
		else								\
			known(&st->field, v);
		INUSE(tcp_inuse, "tcp_prot", "TCP inuse")
		INUSE(udp_inuse, "udp_prot", "UDP inuse")
		INUSE(raw_inuse, "raw_prot", "RAW inuse")
		st->has_udplite = ms_has_symbol(t, "udplite_prot");
		if (st->has_udplite) {
			INUSE(udplite_inuse, "udplite_prot", "UDPLITE inuse")
		}
#undef INUSE
	}
	/* tcp_orphan_count_sum(): for_each_possible_cpu, max(total, 0). */
	if (!(err = ms_symbol(t, "tcp_orphan_count", &fbc)) &&
	    !(err = pcpu_int_sum(t, k, fbc, true, &v)))
		known(&st->tcp_orphan, v < 0 ? 0 : v);
	else
		unknown(s, &st->tcp_orphan, err, "TCP orphan");
	/* tw: the death row is embedded in netns_ipv4 (a pointer in 6.1-rc). */
	err = NULL;
	if (l->ipv4 < 0 || l->death_row < 0 || (l->tw_refcount < 0 && l->tw_count < 0)) {
		unknown(s, &st->tcp_tw, NULL, "TCP tw");
	} else {
		dr = net + (uint64_t)l->ipv4 + (uint64_t)l->death_row;
		if (l->death_row_size == (long)t->word_size && l->dr_size != l->death_row_size)
			err = ms_read_ptr(t, dr, &dr);
		if (!err) {
			int32_t c;

			err = ms_read_s32(t, dr + (uint64_t)(l->tw_refcount >= 0 ? l->tw_refcount
								     : l->tw_count), &c);
			if (!err)
				known(&st->tcp_tw, l->tw_refcount >= 0 ? c - 1 : c);
		}
		if (err)
			unknown(s, &st->tcp_tw, err, "TCP tw");
	}
	if (l->sockets_allocated < 0)
		err = ms_error_create(MS_ERR_LOOKUP, "no layout of proto.sockets_allocated");
	else if (!(err = ms_symbol(t, "tcp_prot", &prot)) &&
		 !(err = ms_read_ptr(t, prot + (uint64_t)l->sockets_allocated, &fbc)))
		err = percpu_counter_sum_positive(t, k, fbc, &v);
	if (err)
		unknown(s, &st->tcp_alloc, err, "TCP alloc");
	else
		known(&st->tcp_alloc, v);
	if ((err = proto_mem(t, l, "tcp_prot", &v)))
		unknown(s, &st->tcp_mem, err, "TCP mem");
	else
		known(&st->tcp_mem, v);
	if ((err = proto_mem(t, l, "udp_prot", &v)))
		unknown(s, &st->udp_mem, err, "UDP mem");
	else
		known(&st->udp_mem, v);
	/* FRAG: 5.3+ fqdir; before, net->ipv4.frags. */
	if (l->ipv4 < 0 || l->fqdir < 0 || l->fq_rht < 0 || l->rht_nelems < 0 || l->fq_mem < 0) {
		unknown(s, &st->frag_inuse, NULL, "FRAG");
		unknown(s, &st->frag_memory, NULL, "FRAG");
		return;
	}
	if ((err = ms_read_ptr(t, net + (uint64_t)l->ipv4 + (uint64_t)l->fqdir, &fq)) || !fq) {
		unknown(s, &st->frag_inuse, err, "FRAG");
		st->frag_memory.ok = false;
		return;
	}
	{
		int32_t n;

		if ((err = ms_read_s32(t, fq + (uint64_t)l->fq_rht + (uint64_t)l->rht_nelems, &n)))
			unknown(s, &st->frag_inuse, err, "FRAG inuse");
		else
			known(&st->frag_inuse, (uint32_t)n);
		if ((err = ms_read_s64(t, fq + (uint64_t)l->fq_mem, &v)))
			unknown(s, &st->frag_memory, err, "FRAG memory");
		else
			known(&st->frag_memory, v);
	}
}

/* ---- proto_list (net/core/sock.c), as proto_seq_show() walks it ---- */

struct proto_walk {
	struct ms_socks *s;
	const struct net_layout *l;
	const struct ms_kernel *k;
	size_t cap;
};

static struct ms_error *one_proto(struct ms_target *t, uint64_t node, void *arg)
{
	struct proto_walk *w = arg;
	struct ms_socks *s = w->s;
	const struct net_layout *l = w->l;
	uint64_t prot = node - (uint64_t)l->node, ma, pcpu = 0;
	struct ms_proto_mem *p;
	struct ms_error *err;

	if ((err = ms_read_ptr(t, prot + (uint64_t)l->memory_allocated, &ma)))
		return ms_error_wrap(err, "proto %#llx", (unsigned long long)prot);
	if (!ma)
		return NULL;
	struct ms_proto_mem *v = ms_grow(s->protos, &w->cap, s->nr_protos, sizeof(*v), 16);

	if (!v)
		return &ms_error_nomem;
	s->protos = v;
	p = &s->protos[s->nr_protos++];
	memset(p, 0, sizeof(*p));
	p->addr = prot;
	p->memory_allocated = ma;
	ms_error_ignore(ms_read_str(t, prot + (uint64_t)l->name, p->name, sizeof(p->name)));
	if ((err = ms_read_s64(t, ma, &p->allocated)))
		return ms_error_wrap(err, "proto %s: memory_allocated", p->name);
	/* More pages than a 64-bit machine has (2^40 pages = 4 PiB): garbage. */
	if (p->allocated > (1ll << 40) || p->allocated < -(1ll << 40))
		return ms_error_at(MS_ERR_CORRUPT, ma, "proto %s: memory_allocated %lld",
				   p->name, (long long)p->allocated);
	if (l->per_cpu_fw_alloc >= 0 &&
	    !ms_error_failed(ms_read_ptr(t, prot + (uint64_t)l->per_cpu_fw_alloc, &pcpu)) && pcpu) {
		err = pcpu_int_sum(t, w->k, pcpu, true, &p->pcpu);
		p->pcpu_ok = !err;
		ms_error_destroy(err);
	} else {
		p->pcpu_ok = l->per_cpu_fw_alloc < 0;	/* before 6.0 there is none */
	}
	snprintf(p->group, sizeof(p->group), "%s", p->name);
	for (size_t i = 0; i + 1 < s->nr_protos; i++)
		if (s->protos[i].memory_allocated == ma && !s->protos[i].shared) {
			char g[sizeof(p->group)];

			/* proto_register() adds to the head: the later-listed came first */
			snprintf(g, sizeof(g), "%.31s %.95s", p->name, s->protos[i].group);
			memcpy(s->protos[i].group, g, sizeof(g));
			p->shared = true;
			break;
		}
	if (!p->shared)
		s->proto_pages += (p->allocated > 0 ? p->allocated : 0) + (p->pcpu_ok ? p->pcpu : 0);
	return NULL;
}

static struct ms_error *read_protos(struct ms_target *t, const struct ms_kernel *k,
				    const struct net_layout *l, struct ms_socks *s)
{
	struct proto_walk w = { .s = s, .l = l, .k = k };
	struct ms_list_result r;
	uint64_t head;
	struct ms_error *err;

	if (l->node < 0 || l->memory_allocated < 0 || l->name < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no layout of proto.node/memory_allocated");
	if ((err = ms_symbol(t, "proto_list", &head)))
		return err;
	err = ms_list_visit(t, head, MAX_PROTOS, 0, one_proto, &w, &r);
	if (err == &ms_error_nomem)
		return err;
	s->protos_complete = !err && r.status == MS_LIST_OK;
	if (!s->protos_complete && !s->why[0])
		snprintf(s->why, sizeof(s->why), "proto_list walk %s%s%s",
			 ms_list_status_name(r.status), err ? ": " : "",
			 err ? ms_error_string(err) : "");
	ms_error_destroy(err);
	return NULL;
}

/* ---- sockets held by processes ---- */

struct sock_layout {
	long socket_sk, common, family, state, num, dport, rcv_saddr, daddr, prot;
	long backlog, wmem_alloc, wmem_queued, fwd_alloc, ack_backlog, type, protocol;
	long type_size, protocol_size;
	long rcv_nxt, copied_seq, write_seq, snd_una, fwd_deficit;
	long name;
};

static bool sock_layout(struct ms_target *t, struct sock_layout *l)
{
	long c = ms_member_offset(t, "sock", "__sk_common");

	l->socket_sk = ms_member_offset(t, "socket", "sk");
	l->common = c;
#define SKC(f, m) l->f = c < 0 ? -1 : ms_member_offset(t, "sock_common", m); \
	if (l->f >= 0) l->f += c;
	SKC(family, "skc_family")
	SKC(state, "skc_state")
	SKC(num, "skc_num")
	SKC(dport, "skc_dport")
	SKC(rcv_saddr, "skc_rcv_saddr")
	SKC(daddr, "skc_daddr")
	SKC(prot, "skc_prot")
#undef SKC
	/* sk_rmem_alloc is #defined as sk_backlog.rmem_alloc, the first member of
	 * sk_backlog's anonymous struct (include/net/sock.h, 2.6.x to 6.12). */
	l->backlog = ms_member_offset(t, "sock", "sk_backlog");
	l->wmem_alloc = ms_member_offset(t, "sock", "sk_wmem_alloc");
	l->wmem_queued = ms_member_offset(t, "sock", "sk_wmem_queued");
	l->fwd_alloc = ms_member_offset(t, "sock", "sk_forward_alloc");
	l->ack_backlog = ms_member_offset(t, "sock", "sk_ack_backlog");
	l->type = ms_member_offset(t, "sock", "sk_type");
	l->type_size = ms_member_size(t, "sock", "sk_type");
	l->protocol = ms_member_offset(t, "sock", "sk_protocol");
	l->protocol_size = ms_member_size(t, "sock", "sk_protocol");
	l->rcv_nxt = ms_member_offset(t, "tcp_sock", "rcv_nxt");
	l->copied_seq = ms_member_offset(t, "tcp_sock", "copied_seq");
	l->write_seq = ms_member_offset(t, "tcp_sock", "write_seq");
	l->snd_una = ms_member_offset(t, "tcp_sock", "snd_una");
	l->fwd_deficit = ms_member_offset(t, "udp_sock", "forward_deficit");
	l->name = ms_member_offset(t, "proto", "name");
	return l->socket_sk >= 0 && l->family >= 0 && l->state >= 0 && l->num >= 0 &&
	       l->dport >= 0 && l->prot >= 0 && l->backlog >= 0 && l->wmem_alloc >= 0 &&
	       l->wmem_queued >= 0 && l->fwd_alloc >= 0 && l->type > 0 && l->protocol > 0 &&
	       l->type_size > 0 && l->protocol_size > 0 && l->name >= 0;
}

struct sref {
	uint64_t sk;
	size_t task;
};

struct sock_collect {
	const struct sock_layout *l;
	size_t task;
	struct sref *v;
	size_t nr, cap;
};

static struct ms_error *on_file(struct ms_target *t, const struct ms_file *f, void *arg)
{
	struct sock_collect *c = arg;
	uint64_t sk;
	struct ms_error *err;

	if ((f->mode & MS_S_IFMT) != MS_S_IFSOCK || !f->private_data)
		return NULL;
	if ((err = ms_read_ptr(t, f->private_data + (uint64_t)c->l->socket_sk, &sk)))
		return ms_error_wrap(err, "socket %#llx", (unsigned long long)f->private_data);
	if (!sk)
		return NULL;
	struct sref *v = ms_grow(c->v, &c->cap, c->nr, sizeof(*v), 64);

	if (!v)
		return &ms_error_nomem;
	c->v = v;
	c->v[c->nr++] = (struct sref){ sk, c->task };
	return NULL;
}

static int by_sk(const void *a, const void *b)
{
	const struct sref *x = a, *y = b;

	if (x->sk != y->sk)
		return x->sk < y->sk ? -1 : 1;
	return x->task < y->task ? -1 : x->task > y->task;
}

static int by_task(const void *a, const void *b)
{
	const struct ms_sock *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->sk < y->sk ? -1 : x->sk > y->sk;
}

static bool is_tcp(const struct ms_sock *so)
{
	return !strcmp(so->proto, "TCP") || !strcmp(so->proto, "TCPv6");
}

static struct ms_error *read_sock(struct ms_target *t, const struct sock_layout *l,
				  struct ms_sock *so)
{
	uint64_t sk = so->sk, v, prot;
	int32_t i32;
	uint32_t u32a, u32b;
	struct ms_error *err;

	if ((err = ms_read_uint(t, sk + (uint64_t)l->family, 2, &v)))
		return err;
	so->family = (unsigned int)v;
	if ((err = ms_read_uint(t, sk + (uint64_t)l->state, 1, &v)))
		return err;
	so->state = (unsigned int)v;
	if ((err = ms_read_uint(t, sk + (uint64_t)l->num, 2, &v)))
		return err;
	so->sport = (unsigned int)v;
	if ((err = ms_read_uint(t, sk + (uint64_t)l->dport, 2, &v)))
		return err;
	so->dport = (unsigned int)(((v & 0xff) << 8) | ((v >> 8) & 0xff));	/* ntohs */
	if (l->rcv_saddr >= 0 && !ms_error_failed(ms_read_u32(t, sk + (uint64_t)l->rcv_saddr, &u32a)))
		so->saddr = u32a;
	if (l->daddr >= 0 && !ms_error_failed(ms_read_u32(t, sk + (uint64_t)l->daddr, &u32b)))
		so->daddr = u32b;
	if ((err = ms_read_uint(t, sk + (uint64_t)l->type, (size_t)l->type_size, &v)))
		return err;
	so->type = (unsigned int)v;
	if ((err = ms_read_uint(t, sk + (uint64_t)l->protocol, (size_t)l->protocol_size, &v)))
		return err;
	so->protocol = (unsigned int)v;
	if ((err = ms_read_ptr(t, sk + (uint64_t)l->prot, &prot)))
		return err;
	if (prot)
		ms_error_ignore(ms_read_str(t, prot + (uint64_t)l->name, so->proto,
					    sizeof(so->proto)));
	if ((err = ms_read_s32(t, sk + (uint64_t)l->backlog, &i32)))
		return err;
	so->rmem_alloc = i32;
	if ((err = ms_read_s32(t, sk + (uint64_t)l->wmem_alloc, &i32)))
		return err;
	so->wmem_alloc = (int64_t)i32 - 1;	/* sk_wmem_alloc_get() */
	if ((err = ms_read_s32(t, sk + (uint64_t)l->wmem_queued, &i32)))
		return err;
	so->wmem_queued = i32;
	if ((err = ms_read_s32(t, sk + (uint64_t)l->fwd_alloc, &i32)))
		return err;
	so->forward_alloc = i32;
	/* get_tcp4_sock() / udp4_format_sock(): the queues /proc/net prints. */
	if (is_tcp(so)) {
		long tcp_listen = ms_enum_or(t, "TCP_LISTEN", -1);
		uint32_t a, b;

		if (l->rcv_nxt < 0 || l->copied_seq < 0 || l->write_seq < 0 || l->snd_una < 0)
			return NULL;
		if (tcp_listen >= 0 && so->state == (unsigned int)tcp_listen) {
			if (l->ack_backlog < 0 || (err = ms_read_u32(t, sk + (uint64_t)l->ack_backlog, &a)))
				return err;
			so->rx_queue = a;
		} else {
			if ((err = ms_read_u32(t, sk + (uint64_t)l->rcv_nxt, &a)) ||
			    (err = ms_read_u32(t, sk + (uint64_t)l->copied_seq, &b)))
				return err;
			so->rx_queue = (int32_t)(a - b) > 0 ? (int32_t)(a - b) : 0;
		}
		if ((err = ms_read_u32(t, sk + (uint64_t)l->write_seq, &a)) ||
		    (err = ms_read_u32(t, sk + (uint64_t)l->snd_una, &b)))
			return err;
		so->tx_queue = (uint32_t)(a - b);
		so->queues_ok = true;
	} else if (!strcmp(so->proto, "UDP") || !strcmp(so->proto, "UDPv6") ||
		   !strcmp(so->proto, "UDP-Lite")) {
		int32_t def = 0;

		if (l->fwd_deficit >= 0 &&
		    (err = ms_read_s32(t, sk + (uint64_t)l->fwd_deficit, &def)))
			return err;
		so->rx_queue = so->rmem_alloc - def;	/* udp_rqueue_get() */
		so->tx_queue = so->wmem_alloc;
		so->queues_ok = true;
	}
	return NULL;
}

static struct ms_error *read_sockets(struct ms_target *t, const struct ms_tasks *ts,
				     struct ms_socks *s)
{
	struct sock_layout l;
	struct sock_collect c = { .l = &l };
	struct ms_error *err;

	if (!sock_layout(t, &l)) {
		s->complete = false;
		snprintf(s->why, sizeof(s->why), "no layout of struct socket / sock / sock_common");
		return NULL;
	}
	for (size_t i = 0; i < ts->nr; i++) {
		bool complete;
		char why[96];

		c.task = i;
		err = ms_task_files(t, ts->v[i].addr, on_file, &c, &complete, why, sizeof(why));
		if (err == &ms_error_nomem) {
			free(c.v);
			return err;
		}
		if ((err || !complete) && s->complete) {
			s->complete = false;
			snprintf(s->why, sizeof(s->why), "pid %d: open files: %s", ts->v[i].pid,
				 err ? ms_error_string(err) : why);
		}
		ms_error_destroy(err);
	}
	if (c.nr)
		qsort(c.v, c.nr, sizeof(*c.v), by_sk);
	s->v = calloc(c.nr ? c.nr : 1, sizeof(*s->v));
	if (!s->v) {
		free(c.v);
		return &ms_error_nomem;
	}
	for (size_t i = 0; i < c.nr; i++) {
		struct ms_sock *so;

		if (i && c.v[i].sk == c.v[i - 1].sk)
			continue;
		so = &s->v[s->nr++];
		so->sk = c.v[i].sk;
		so->pid = ts->v[c.v[i].task].tgid;
		memcpy(so->comm, ts->v[c.v[i].task].comm, sizeof(so->comm));
		err = read_sock(t, &l, so);
		so->complete = !err;
		if (err && s->complete) {
			s->complete = false;
			snprintf(s->why, sizeof(s->why), "sock %#llx: %s",
				 (unsigned long long)so->sk, ms_error_string(err));
		}
		ms_error_destroy(err);
	}
	free(c.v);
	if (s->nr)
		qsort(s->v, s->nr, sizeof(*s->v), by_task);
	return NULL;
}

struct ms_error *ms_socks_read(struct ms_target *t, const struct ms_tasks *ts,
			       struct ms_socks *s)
{
	const struct ms_kernel *k;
	struct net_layout l;
	uint64_t net;
	struct ms_error *err;

	memset(s, 0, sizeof(*s));
	s->complete = true;
	if ((err = ms_kernel_get(t, &k)))
		return err;
	if ((err = ms_symbol(t, "init_net", &net)))
		return err;
	net_layout(t, &l);
	read_sockstat(t, k, &l, net, s);
	if ((err = read_protos(t, k, &l, s))) {
		if (err == &ms_error_nomem) {
			ms_socks_free(s);
			return err;
		}
		s->protos_complete = false;
		if (!s->why[0])
			snprintf(s->why, sizeof(s->why), "proto_list: %s", ms_error_string(err));
		ms_error_destroy(err);
	}
	if (ts) {
		if (!ts->complete) {
			s->complete = false;
			snprintf(s->why, sizeof(s->why), "the process list was cut short");
		}
		if ((err = read_sockets(t, ts, s))) {
			ms_socks_free(s);
			return err;
		}
	}
	return NULL;
}

void ms_socks_free(struct ms_socks *s)
{
	free(s->protos);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

struct ms_error *ms_sock_queues(struct ms_target *t, const struct ms_sock *so,
				struct ms_sock_queues *q)
{
	static const char *const lists[] = { "sk_receive_queue", "sk_write_queue",
					     "sk_error_queue" };
	long frag = ms_member_offset(t, "sock", "sk_frag");
	long page = ms_member_offset(t, "page_frag", "page");
	long rtx = ms_member_offset(t, "sock", "tcp_rtx_queue");
	long ooo = ms_member_offset(t, "tcp_sock", "out_of_order_queue");

	memset(q, 0, sizeof(*q));
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		long off = ms_member_offset(t, "sock", lists[i]);

		if (off < 0)
			return ms_error_create(MS_ERR_LOOKUP, "no struct sock.%s", lists[i]);
		q->lists[q->nr_lists++] = so->sk + (uint64_t)off;
	}
	/* a tcp_sock begins with its struct sock (inet_connection_sock, inet_sock) */
	if (is_tcp(so)) {
		if (rtx < 0 || ooo < 0)
			return ms_error_create(MS_ERR_LOOKUP, "no sock.tcp_rtx_queue or "
					       "tcp_sock.out_of_order_queue");
		q->trees[q->nr_trees++] = so->sk + (uint64_t)rtx;
		q->trees[q->nr_trees++] = so->sk + (uint64_t)ooo;
	}
	if (frag >= 0 && page >= 0)
		return ms_read_ptr(t, so->sk + (uint64_t)(frag + page), &q->frag_page);
	return NULL;
}

const char *ms_tcp_state_name(unsigned int state)
{
	/* include/net/tcp_states.h: the order /proc/net/tcp's "st" column shows. */
	static const char *const names[] = {
		"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
		"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
		"NEW_SYN_RECV",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

/* ---- the uncounted consumer ---- */

#include "uncounted.h"

/* Socket buffers: the protocols' memory (each memory_allocated once, with
 * the per-cpu reserves), holders by command from the sockets' queues. */
struct ms_error *ms_unc_sockets(struct ms_unc_ctx *c, struct ms_unc_item *it)
{
	const struct ms_tasks *ts = NULL;
	struct ms_socks s;
	struct ms_error *terr = ms_unc_tasks(c, &ts);
	struct ms_error *err = ms_socks_read(c->t, terr ? NULL : ts, &s);

	if (err) {
		ms_error_destroy(terr);
		return err;
	}
	it->pages = s.proto_pages;
	if (!s.protos_complete) {
		it->state = MS_UNC_PARTIAL;
		snprintf(it->why, sizeof(it->why), "%s", s.why);
	}
	for (size_t i = 0; i < s.nr; i++) {
		int64_t b = s.v[i].rmem_alloc + s.v[i].wmem_queued;

		if (b > 0)
			ms_unc_add_holder(it, s.v[i].comm, s.v[i].pid, 1,
					  ((uint64_t)b + ms_page_size(c->t) - 1) >> c->t->page_shift);
	}
	ms_error_destroy(terr);
	ms_socks_free(&s);
	return NULL;
}
