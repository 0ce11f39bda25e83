/*
 * modules.h - the dumped kernel's loaded modules (the `modules` list of
 * struct module): each one's name, core text range, ORC tables and symbols,
 * for the unwinder (orc_module_find()) and for naming an address in a module
 * as /proc/PID/stack does ("fuse_get_req+0x21b/0x270 [fuse]").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_MODULES_H
#define MEMSCOPE_MODULES_H

#include "target.h"

#define MS_MODULE_NAME_LEN 56		/* MODULE_NAME_LEN on 64-bit */

struct ms_module {
	uint64_t addr;			/* struct module */
	char name[MS_MODULE_NAME_LEN + 1];
	uint64_t text, text_size;	/* core text: core_layout (< 6.4) or mem[MOD_TEXT] */
	uint64_t orc_ip, orc_unwind;	/* mod->arch.orc_unwind_ip / orc_unwind, or 0 */
	unsigned int num_orcs;
	uint64_t symtab, strtab;	/* mod->kallsyms->symtab / strtab, or 0 */
	unsigned int num_symtab;
	/* Its memory in bytes (module_layout before 6.4, module_memory since):
	 * core text, read-only data, ro_after_init data, writable data, and
	 * the init sections (0 once do_init_module() freed them).  /proc/modules'
	 * size is their sum (m_show(), kernel/module/procfs.c). */
	bool sizes_ok;
	uint64_t size_text, size_rodata, size_ro_after_init, size_data, size_init;
};

struct ms_modules {
	size_t nr;
	struct ms_module *v;
	bool complete;			/* the list was walked back to its head */
	long sym_size, sym_name, sym_shndx, sym_value;	/* Elf64_Sym layout */
};

/* Walk the `modules` list: NULL (what was cut short is said on t->errf), or the
 * error that leaves no list (no `modules` symbol, no struct module layout). */
struct ms_error *ms_modules_read(struct ms_target *t, struct ms_modules *m);
void ms_modules_free(struct ms_modules *m);

/* The module whose core text holds addr (__module_text_address()), or NULL. */
const struct ms_module *ms_module_of(const struct ms_modules *m, uint64_t addr);

/* find_kallsyms_symbol() (kernel/module/kallsyms.c, 6.1): the closest named,
 * defined symbol at or below addr in mod, and its size up to the next one (or
 * the end of the text): NULL, a read's error, MS_ERR_LOOKUP if none. */
struct ms_error *ms_module_symbol(struct ms_target *t, const struct ms_modules *m,
				  const struct ms_module *mod, uint64_t addr, char *buf,
				  size_t len, uint64_t *offset, uint64_t *size);

#endif
