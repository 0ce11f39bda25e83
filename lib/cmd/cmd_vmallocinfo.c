/*
 * cmd_vmallocinfo.c - vmallocinfo: the vmalloc areas by caller, or each one
 * as /proc/vmallocinfo lists it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include "command.h"
#include "consumers_print.h"
#include "modules.h"

struct vmallocinfo_opts {
	bool areas, modules;
};

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct vmallocinfo_opts *o = opts;
	struct ms_target *t = ctx->target;
	struct ms_vmalloc vm;
	struct ms_modules m;
	struct ms_error *merr, *err;

	if (o->modules && !ctx->json) {
		if ((err = ms_modules_read(t, &m)))
			return ms_error_wrap(err, "cannot read the modules");
		ms_module_sizes_print(ctx->out, &m);
		ms_modules_free(&m);
		return NULL;
	}
	if ((err = ms_vmalloc_read(t, &vm)))
		return ms_error_wrap(err, "cannot read the vmalloc areas");
	if (ctx->json) {
		json_t *j = ms_vmalloc_json(&vm, t->page_shift);

		merr = ms_modules_read(t, &m);
		if (merr) {
			json_object_set_new(j, "modules", json_null());
			ms_warn_error(t, merr, "no module sizes");
		} else {
			json_object_set_new(j, "modules", ms_module_sizes_json(&m));
			ms_modules_free(&m);
		}
		ms_cmd_json_out(ctx, j, MS_CMD_JSON_FLAGS);
	} else {
		ms_vmalloc_print(ctx->out, t, &vm, o->areas);
	}
	ms_vmalloc_free(&vm);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('a', NULL, struct vmallocinfo_opts, areas),
	MS_FLAG('m', NULL, struct vmallocinfo_opts, modules),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "By caller, a module's areas named with its own symbols:", "",
	  "     AREAS         SIZE     PAGES     MEMORY  CALLER\n"
	  "         2      8413184      2052    8.0 MiB  vmhold_keep_big [vmhold]\n"
	  "         4      2191360       531    2.1 MiB  pcpu_create_chunk\n"
	  "         1      2101248       512    2.0 MiB  bpf_prog_pack_alloc\n"
	  "..." },
	{ "Every area, as /proc/vmallocinfo:", "-a",
	  "0xffffd2a9c0000000-0xffffd2a9c0005000   20480 irq_init_percpu_irqstack+0xf0 vmap\n"
	  "0xffffd2a9c0005000-0xffffd2a9c0007000    8192 acpi_os_map_iomem+0x1b6 phys=0x000000001ffe1000 ioremap\n"
	  "..." },
	{ "Each module's memory, in bytes:", "-m",
	  "MODULE                     SIZE       TEXT     RODATA   RO_AFTER       DATA       INIT\n"
	  "vmhold                    16384       4096       4096          0       8192          0\n"
	  "qemu_fw_cfg               20480       4096       4096       4096       8192          0\n"
	  "2 modules, 36 KiB (vmalloc'ed: inside VmallocUsed)" },
	{ 0 },
};

const struct ms_command ms_cmd_vmallocinfo = {
	.name = "vmallocinfo",
	.summary = "vmalloc areas by caller, or each one as /proc/vmallocinfo",
	.synopsis = "[-a | -m] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.excludes = "am",
	.opts_size = sizeof(struct vmallocinfo_opts),
	.defaults = &(const struct vmallocinfo_opts){ 0 },
	.description =
	"Walks the busy vmap areas as /proc/vmallocinfo does (vmap_area_list in\n"
	"6.1; each vmap_node's busy list since 6.9) and groups them by caller:\n"
	"the function that called vmalloc(), vmap(), ioremap() and the like,\n"
	"named from kallsyms or from the module's own symbol table (\"[mod]\").\n"
	"SIZE is the address space (vm_struct.size, with its guard page), PAGES\n"
	"the pages backing it (vm_struct.nr_pages, what VmallocUsed counts;\n"
	"kernel stacks are among them with CONFIG_VMAP_STACK).\n"
	"\n"
	"  -a        every area, one line each, in /proc/vmallocinfo's layout.\n"
	"  -m        each loaded module's memory instead: its core text, read-only\n"
	"            data, ro_after_init data, data and init sections in bytes, and\n"
	"            their sum, which /proc/modules prints as the module's size.\n"
	"  --json    one JSON document: the callers, the areas and the modules.",
	.examples = examples,
	.run = run,
};
