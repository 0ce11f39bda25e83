/*
 * cmd_sockstat.c - sockstat: /proc/net/sockstat, the protocols' memory and
 * the sockets that hold queued memory.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include "command.h"
#include "consumers_print.h"

struct sockstat_opts {
	bool all, lines;
};

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct sockstat_opts *o = opts;
	struct ms_target *t = ctx->target;
	struct ms_tasks ts;
	struct ms_socks s;
	bool have_tasks = false;
	struct ms_error *err = NULL;

	if (!o->lines) {
		err = ms_tasks_read(t, &ts);
		if (err)	/* sockstat itself needs no process */
			ms_warn_error(t, err, "no sockets by process: the process list");
		else
			have_tasks = true;
	}
	err = ms_socks_read(t, have_tasks ? &ts : NULL, &s);
	if (have_tasks)
		ms_tasks_free(&ts);
	if (err)
		return ms_error_wrap(err, "cannot read the socket counters");
	if (ctx->json)
		ms_cmd_json_out(ctx, ms_sockstat_json(&s, t->page_shift), MS_CMD_JSON_FLAGS);
	else if (o->lines)
		ms_sockstat_print_proc(ctx->out, &s);
	else
		ms_sockstat_print(ctx->out, &s, t->page_shift, o->all);
	ms_socks_free(&s);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('a', NULL, struct sockstat_opts, all),
	MS_FLAG('m', NULL, struct sockstat_opts, lines),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "Only the /proc/net/sockstat lines:", "-m",
	  "sockets: used 11\n"
	  "TCP: inuse 9 orphan 0 tw 0 alloc 9 mem 0\n"
	  "UDP: inuse 2 mem 0\n"
	  "UDPLITE: inuse 0\n"
	  "RAW: inuse 0\n"
	  "FRAG: inuse 0 memory 0" },
	{ "Unread data on loopback connections, charged to the per-cpu reserves:", "",
	  "...\n"
	  " ALLOCATED    PER-CPU      PAGES       SIZE  PROTOCOLS (one memory_allocated)\n"
	  "         0         77         77    308 KiB  TCP MPTCP TCPv6 MPTCPv6\n"
	  "         0          6          6     24 KiB  UDP UDP-Lite UDPv6 UDPLITEv6\n"
	  "protocol memory, each memory_allocated once with the per-cpu reserves: 332 KiB\n"
	  "\n"
	  "    PID COMM             PROTO    STATE        LOCAL                 REMOTE                 RX_QUEUE  TX_QUEUE      RMEM   WQUEUED\n"
	  "    104 sockhold         UDP      CLOSE        127.0.0.1:5002        0.0.0.0:0                 23040         0     23040         0\n"
	  "    104 sockhold         TCP      ESTABLISHED  127.0.0.1:5001        127.0.0.1:59952           65536         0     69376         0\n"
	  "..." },
	{ 0 },
};

const struct ms_command ms_cmd_sockstat = {
	.name = "sockstat",
	.summary = "/proc/net/sockstat, protocol memory and the sockets holding it",
	.synopsis = "[-m] [-a] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.excludes = "ma",
	.opts_size = sizeof(struct sockstat_opts),
	.defaults = &(const struct sockstat_opts){ 0 },
	.description =
	"Prints /proc/net/sockstat of the initial network namespace as the kernel\n"
	"would (sockstat_seq_show(): inuse from every CPU's prot_inuse, orphans,\n"
	"time-wait, allocated sockets, and mem: the protocol's memory_allocated, in\n"
	"pages).  Since 6.0 each CPU also keeps a reserve of up to\n"
	"net.core.mem_pcpu_rsv pages (proto->per_cpu_fw_alloc) that sockstat does\n"
	"not print: the PROTOCOL table folds it in, each memory_allocated once\n"
	"(TCP and TCPv6 share theirs).  That total is what meminfo shows as\n"
	"socket buffers, at most: skb heads are slab, page-frag data is in no\n"
	"counter.\n"
	"\n"
	"Then every socket a process holds open (the S_IFSOCK files of its fd\n"
	"table) with queued memory: RX_QUEUE and TX_QUEUE as /proc/net/tcp and\n"
	"/proc/net/udp print them (bytes not read, bytes not acknowledged),\n"
	"RMEM (sk_rmem_alloc) and WQUEUED (sk_wmem_queued) in bytes of skb\n"
	"truesize.  A socket open in several processes is listed once, for the\n"
	"lowest pid.\n"
	"\n"
	"  -m        only the /proc/net/sockstat lines.\n"
	"  -a        every socket, also those with nothing queued.\n"
	"  --json    one JSON document.",
	.examples = examples,
	.run = run,
};
