/*
 * modules.c - struct module, read from the `modules` list as
 * kernel/module/main.c keeps it (list_for_each_entry_rcu(mod, &modules, list)).
 * This file is the one owner of struct module, struct module_layout (before
 * 6.4), struct module_memory (6.4+), struct mod_kallsyms and Elf64_Sym.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "modules.h"
#include "text.h"

#define MAX_MODULES 65536		/* far above any kernel: a bad list, not modules */
#define MAX_SYMTAB (1u << 20)		/* Elf64_Sym entries of one module, at most */

struct mod_layout {
	long list, name, name_len;
	long text_base, text_size;	/* in struct module */
	long text_w;			/* width of the size member */
	long orc_num, orc_ip, orc_unwind;
	long kallsyms, ks_symtab, ks_num, ks_strtab;
};

static struct ms_error *layout(struct ms_target *t, struct mod_layout *l)
{
	long arch = ms_member_offset(t, "module", "arch");
	long core = ms_member_offset(t, "module", "core_layout");
	long mem = ms_member_offset(t, "module", "mem");

	l->list = ms_member_offset(t, "module", "list");
	l->name = ms_member_offset(t, "module", "name");
	l->name_len = ms_member_size(t, "module", "name");
	if (l->list < 0 || l->name < 0 || l->name_len <= 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot lay out struct module");
	if (core >= 0) {
		/* before 6.4: struct module_layout core_layout { base, size, text_size, ... } */
		l->text_base = core + ms_member_offset(t, "module_layout", "base");
		l->text_size = core + ms_member_offset(t, "module_layout", "text_size");
		l->text_w = ms_member_size(t, "module_layout", "text_size");
	} else if (mem >= 0) {
		/* 6.4+: struct module_memory mem[MOD_MEM_NUM_TYPES], MOD_TEXT first */
		long i = ms_enum_or(t, "MOD_TEXT", 0), sz = ms_struct_size(t, "module_memory");

		l->text_base = mem + i * sz + ms_member_offset(t, "module_memory", "base");
		l->text_size = mem + i * sz + ms_member_offset(t, "module_memory", "size");
		l->text_w = ms_member_size(t, "module_memory", "size");
	} else {
		l->text_base = l->text_size = -1;
	}
	l->orc_num = l->orc_ip = l->orc_unwind = -1;
	if (arch >= 0 && ms_has_member(t, "mod_arch_specific", "orc_unwind")) {
		l->orc_num = arch + ms_member_offset(t, "mod_arch_specific", "num_orcs");
		l->orc_ip = arch + ms_member_offset(t, "mod_arch_specific", "orc_unwind_ip");
		l->orc_unwind = arch + ms_member_offset(t, "mod_arch_specific", "orc_unwind");
	}
	l->kallsyms = ms_member_offset(t, "module", "kallsyms");
	l->ks_symtab = ms_member_offset(t, "mod_kallsyms", "symtab");
	l->ks_num = ms_member_offset(t, "mod_kallsyms", "num_symtab");
	l->ks_strtab = ms_member_offset(t, "mod_kallsyms", "strtab");
	return NULL;
}

struct visit {
	const struct mod_layout *l;
	struct ms_modules *m;
	size_t cap;
};

static void read_kallsyms(struct ms_target *t, const struct mod_layout *l, struct ms_module *mod)
{
	uint64_t ks, num = 0;
	struct ms_error *err;

	if (l->kallsyms < 0 || l->ks_symtab < 0 || l->ks_num < 0 || l->ks_strtab < 0)
		return;
	err = ms_read_ptr(t, mod->addr + l->kallsyms, &ks);
	if (!err && ks)
		err = ms_read_ptr(t, ks + l->ks_symtab, &mod->symtab);
	if (!err && ks)
		err = ms_read_ptr(t, ks + l->ks_strtab, &mod->strtab);
	if (!err && ks)
		err = ms_read_uint(t, ks + l->ks_num, 4, &num);
	if (err || num > MAX_SYMTAB) {
		ms_warn_error(t, err ? err : ms_error_create(MS_ERR_CORRUPT, "%llu symbols",
							     (unsigned long long)num),
			      "module %s: no symbols", mod->name);
		mod->symtab = mod->strtab = 0;
		return;
	}
	mod->num_symtab = (unsigned int)num;
}

static struct ms_error *module_cb(struct ms_target *t, uint64_t node, void *arg)
{
	struct visit *v = arg;
	const struct mod_layout *l = v->l;
	struct ms_module mod = { .addr = node - (uint64_t)l->list };
	size_t n = l->name_len < MS_MODULE_NAME_LEN ? (size_t)l->name_len : MS_MODULE_NAME_LEN;
	struct ms_error *err;
	uint64_t num = 0;

	err = ms_read(t, mod.addr + l->name, mod.name, n);
	if (err) {
		ms_warn_error(t, err, "cannot read struct module at %#llx",
			      (unsigned long long)mod.addr);
		return NULL;
	}
	mod.name[n] = '\0';
	ms_text_sanitize(mod.name);
	if (l->text_base >= 0) {
		err = ms_read_ptr(t, mod.addr + l->text_base, &mod.text);
		if (!err)
			err = ms_read_uint(t, mod.addr + l->text_size, (size_t)l->text_w,
					   &mod.text_size);
		if (err) {
			ms_warn_error(t, err, "module %s: no text range", mod.name);
			mod.text = mod.text_size = 0;
		}
	}
	if (l->orc_ip >= 0) {
		err = ms_read_ptr(t, mod.addr + l->orc_ip, &mod.orc_ip);
		if (!err)
			err = ms_read_ptr(t, mod.addr + l->orc_unwind, &mod.orc_unwind);
		if (!err)
			err = ms_read_uint(t, mod.addr + l->orc_num, 4, &num);
		if (err) {
			ms_warn_error(t, err, "module %s: no ORC tables", mod.name);
			mod.orc_ip = mod.orc_unwind = 0;
		}
		mod.num_orcs = (unsigned int)num;
	}
	read_kallsyms(t, l, &mod);
	if (v->m->nr == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		struct ms_module *p = realloc(v->m->v, cap * sizeof(*p));

		if (!p)
			return &ms_error_nomem;
		v->m->v = p;
		v->cap = cap;
	}
	v->m->v[v->m->nr++] = mod;
	return NULL;
}

struct ms_error *ms_modules_read(struct ms_target *t, struct ms_modules *m)
{
	struct mod_layout l;
	struct visit v = { .l = &l, .m = m };
	struct ms_list_result r;
	struct ms_error *err;
	uint64_t head;

	memset(m, 0, sizeof(*m));
	err = layout(t, &l);
	if (!err)
		err = ms_symbol(t, "modules", &head);
	if (err)
		return ms_error_wrap(err, "no module list");
	m->sym_size = ms_struct_size(t, "elf64_sym");
	m->sym_name = ms_member_offset(t, "elf64_sym", "st_name");
	m->sym_shndx = ms_member_offset(t, "elf64_sym", "st_shndx");
	m->sym_value = ms_member_offset(t, "elf64_sym", "st_value");
	if (m->sym_size <= 0 || m->sym_name < 0 || m->sym_shndx < 0 || m->sym_value < 0) {
		/* The ELF ABI's Elf64_Sym, when the type information lacks it. */
		m->sym_size = 24;
		m->sym_name = 0;
		m->sym_shndx = 6;
		m->sym_value = 8;
	}
	err = ms_list_visit(t, head, MAX_MODULES, 0, module_cb, &v, &r);
	if (ms_error_is(err, MS_ERR_NOMEM)) {
		ms_modules_free(m);
		return err;
	}
	m->complete = !err && r.status == MS_LIST_OK;
	if (!m->complete)
		ms_list_warn(t, err, "module list: %s at %#llx; %zu modules read",
			     ms_list_status_name(r.status), (unsigned long long)r.where, m->nr);
	return NULL;
}

void ms_modules_free(struct ms_modules *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

const struct ms_module *ms_module_of(const struct ms_modules *m, uint64_t addr)
{
	for (size_t i = 0; i < m->nr; i++)
		if (addr >= m->v[i].text && addr - m->v[i].text < m->v[i].text_size)
			return &m->v[i];
	return NULL;
}

/* is_mapping_symbol() (include/linux/module_symbol.h): ARM-style "$x", ".L..". */
static bool mapping_symbol(const char *s)
{
	if (s[0] == '.' && s[1] == 'L')
		return true;
	if (s[0] == 'L' && s[1] == '0')
		return true;
	return s[0] == '$' && s[1] && strchr("axtd", s[1]) && (s[2] == '\0' || s[2] == '.');
}

struct ms_error *ms_module_symbol(struct ms_target *t, const struct ms_modules *m,
				  const struct ms_module *mod, uint64_t addr, char *buf,
				  size_t len, uint64_t *offset, uint64_t *size)
{
	uint64_t best = 0, bestval = 0, nextval = mod->text + mod->text_size;
	size_t bytes = (size_t)m->sym_size * mod->num_symtab;
	unsigned char *tab;
	struct ms_error *err;
	char name[128];

	if (!mod->symtab || mod->num_symtab < 2)
		return ms_error_create(MS_ERR_LOOKUP, "module %s has no symbols", mod->name);
	tab = malloc(bytes);
	if (!tab)
		return &ms_error_nomem;
	err = ms_read(t, mod->symtab, tab, bytes);
	/* ELF's real symbols start at 1. */
	for (unsigned int i = 1; !err && i < mod->num_symtab; i++) {
		const unsigned char *s = tab + (size_t)i * (size_t)m->sym_size;
		uint64_t val = ms_get_u64(t, s, m->sym_value);

		if (ms_get_uint(t, s, m->sym_shndx, 2) == 0)	/* SHN_UNDEF */
			continue;
		if (val <= addr && val > bestval) {
			err = ms_read_str(t, mod->strtab + ms_get_uint(t, s, m->sym_name, 4),
					  name, sizeof(name));
			if (err || !name[0] || mapping_symbol(name))
				continue;
			best = i;
			bestval = val;
			snprintf(buf, len, "%s", name);
		}
		if (val > addr && val < nextval)
			nextval = val;
	}
	free(tab);
	if (err)
		return ms_error_wrap(err, "module %s: symbol table", mod->name);
	if (!best)
		return ms_error_create(MS_ERR_LOOKUP, "no symbol of %s at %#llx", mod->name,
				       (unsigned long long)addr);
	*offset = addr - bestval;
	*size = nextval - bestval;
	return NULL;
}
