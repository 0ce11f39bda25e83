/*
 * sock.h - socket memory: /proc/net/sockstat of the initial network
 * namespace (net/ipv4/proc.c sockstat_seq_show(), net/socket.c
 * socket_seq_show()), every protocol's memory_allocated with its per-cpu
 * forward allocation, and the sockets processes hold open with their queued
 * memory, as /proc/net/tcp and /proc/net/udp show them.  The owner of struct
 * proto, struct socket, struct sock and the inet/tcp/udp socket members read.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SOCK_H
#define MEMSCOPE_SOCK_H

#include "tasks.h"

#define MS_SOCK_WHY_LEN 160
#define MS_PROTO_NAME_LEN 32		/* proto.name[32] */

/* One /proc/net/sockstat value: known or not (and why). */
struct ms_sockstat_val {
	bool ok;
	int64_t v;
};

struct ms_sockstat {
	struct ms_sockstat_val sockets_used;			/* sock_inuse_get() */
	struct ms_sockstat_val tcp_inuse, tcp_orphan, tcp_tw, tcp_alloc, tcp_mem;
	struct ms_sockstat_val udp_inuse, udp_mem;
	bool has_udplite;					/* udplite_prot exists */
	struct ms_sockstat_val udplite_inuse, raw_inuse;
	struct ms_sockstat_val frag_inuse, frag_memory;
	char why[MS_SOCK_WHY_LEN];				/* the first unknown's cause */
};

/* A protocol's memory (/proc/net/protocols' "memory" column and more). */
struct ms_proto_mem {
	char name[MS_PROTO_NAME_LEN + 1];
	uint64_t addr;			/* struct proto */
	uint64_t memory_allocated;	/* the atomic_long_t it points to (shared: TCP and TCPv6) */
	int64_t allocated;		/* atomic_long_read(memory_allocated), pages */
	bool pcpu_ok;
	int64_t pcpu;			/* sum of *per_cpu_fw_alloc over the possible CPUs, pages */
	bool shared;			/* the same memory_allocated as a protocol before it */
	char group[128];		/* the first of a group: every name sharing it, oldest first */
};

struct ms_sock {
	uint64_t sk;			/* struct sock */
	int32_t pid;			/* first process holding it */
	char comm[MS_TASK_COMM_LEN + 1];
	unsigned int family, type, protocol, state;
	char proto[MS_PROTO_NAME_LEN + 1];	/* sk->sk_prot->name */
	uint32_t saddr, daddr;		/* IPv4, network order as stored */
	unsigned int sport, dport;	/* host order */
	int64_t rmem_alloc;		/* sk_rmem_alloc, bytes */
	int64_t wmem_alloc;		/* sk_wmem_alloc - 1, bytes */
	int64_t wmem_queued;		/* sk_wmem_queued, bytes */
	int64_t forward_alloc;		/* sk_forward_alloc, bytes */
	bool queues_ok;
	int64_t rx_queue, tx_queue;	/* what /proc/net/tcp|udp prints */
	bool complete;
};

struct ms_socks {
	struct ms_sockstat stat;
	size_t nr_protos;
	struct ms_proto_mem *protos;	/* proto_list order */
	bool protos_complete;
	int64_t proto_pages;		/* sum over distinct memory_allocated, per-cpu folded */
	size_t nr;
	struct ms_sock *v;		/* each socket once, in process order */
	bool complete;
	char why[MS_SOCK_WHY_LEN];
};

/* sockstat, the protocols and (ts != NULL) the sockets of every process:
 * NULL (what could not be read is data: ok flags, complete, why), or
 * MS_ERR_NOMEM, or the error that leaves nothing (no init_net). */
struct ms_error *ms_socks_read(struct ms_target *t, const struct ms_tasks *ts,
			       struct ms_socks *s);
void ms_socks_free(struct ms_socks *s);

/* The socket-buffer queues of one socket, for skb.h's walks: the struct
 * sk_buff_heads sk_receive_queue, sk_write_queue and sk_error_queue, and a
 * TCP socket's struct rb_roots tcp_rtx_queue (a union with sk_send_head in
 * struct sock) and tcp_sock.out_of_order_queue; and sk->sk_frag.page, the
 * page fragment a socket that does not use its task's (sk_use_task_frag
 * false: kernel sockets) copies into. */
struct ms_sock_queues {
	uint64_t lists[3];
	size_t nr_lists;
	uint64_t trees[2];
	size_t nr_trees;
	uint64_t frag_page;		/* struct page, or 0 */
};

/* NULL, or the error that leaves q empty (no layout, a failed read). */
struct ms_error *ms_sock_queues(struct ms_target *t, const struct ms_sock *so,
				struct ms_sock_queues *q);

/* The TCP state's name as include/net/tcp_states.h has it: "ESTABLISHED". */
const char *ms_tcp_state_name(unsigned int state);

#endif
