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

#include "grow.h"
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
	/* sizes: before 6.4 core_layout and init_layout (module_layout); since,
	 * mem[] (module_memory) at the MOD_* indexes; -1 where absent */
	long core, init, ml_size, ml_text, ml_ro, ml_ro_after, ml_w;
	long mem, mm_size, mm_w, mm_stride;
	long mod_idx[7];	/* MOD_TEXT, DATA, RODATA, RO_AFTER_INIT, INIT_TEXT, INIT_DATA, INIT_RODATA */
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
	l->core = core;
	l->mem = core < 0 ? mem : -1;
	/* Only the era's own layout is asked for: a question about a type this
	 * kernel does not have costs crash a gdb parse (crash_types.c). */
	l->text_base = l->text_size = -1;
	l->init = l->ml_size = l->ml_text = l->ml_ro = l->ml_ro_after = l->ml_w = -1;
	l->mm_size = l->mm_w = l->mm_stride = -1;
	for (int i = 0; i < 7; i++)
		l->mod_idx[i] = -1;
	if (core >= 0) {
		/* before 6.4: struct module_layout core_layout { base, size, text_size, ... } */
		l->text_base = core + ms_member_offset(t, "module_layout", "base");
		l->text_size = core + ms_member_offset(t, "module_layout", "text_size");
		l->text_w = ms_member_size(t, "module_layout", "text_size");
		l->init = ms_member_offset(t, "module", "init_layout");
		l->ml_size = ms_member_offset(t, "module_layout", "size");
		l->ml_text = ms_member_offset(t, "module_layout", "text_size");
		l->ml_ro = ms_member_offset(t, "module_layout", "ro_size");
		l->ml_ro_after = ms_member_offset(t, "module_layout", "ro_after_init_size");
		l->ml_w = ms_member_size(t, "module_layout", "size");
	} else if (mem >= 0) {
		/* 6.4+: struct module_memory mem[MOD_MEM_NUM_TYPES], MOD_TEXT first */
		static const char *const names[7] = { "MOD_TEXT", "MOD_DATA", "MOD_RODATA",
			"MOD_RO_AFTER_INIT", "MOD_INIT_TEXT", "MOD_INIT_DATA", "MOD_INIT_RODATA" };
		long i = ms_enum_or(t, "MOD_TEXT", 0), sz = ms_struct_size(t, "module_memory");

		l->text_base = mem + i * sz + ms_member_offset(t, "module_memory", "base");
		l->text_size = mem + i * sz + ms_member_offset(t, "module_memory", "size");
		l->text_w = ms_member_size(t, "module_memory", "size");
		l->mm_size = ms_member_offset(t, "module_memory", "size");
		l->mm_w = ms_member_size(t, "module_memory", "size");
		l->mm_stride = sz;
		for (int k = 0; k < 7; k++)
			l->mod_idx[k] = ms_enum_or(t, names[k], -1);
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

/* The module's memory by kind (see ms_module.size_*): NULL, or why not. */
static struct ms_error *read_sizes(struct ms_target *t, const struct mod_layout *l,
				   struct ms_module *mod)
{
	struct ms_error *err;

	if (l->core >= 0) {
		/* 6.1 layout: text_size <= ro_size <= ro_after_init_size <= size
		 * (kernel/module/main.c layout_sections()). */
		uint64_t size, text, ro, roa, init = 0;

		if (l->ml_size < 0 || l->ml_text < 0 || l->ml_ro < 0 || l->ml_w <= 0)
			return ms_error_create(MS_ERR_LOOKUP, "no layout of module_layout sizes");
		if ((err = ms_read_uint(t, mod->addr + l->core + l->ml_size, l->ml_w, &size)) ||
		    (err = ms_read_uint(t, mod->addr + l->core + l->ml_text, l->ml_w, &text)) ||
		    (err = ms_read_uint(t, mod->addr + l->core + l->ml_ro, l->ml_w, &ro)))
			return err;
		roa = ro;
		if (l->ml_ro_after >= 0 &&
		    (err = ms_read_uint(t, mod->addr + l->core + l->ml_ro_after, l->ml_w, &roa)))
			return err;
		if (l->init >= 0 &&
		    (err = ms_read_uint(t, mod->addr + l->init + l->ml_size, l->ml_w, &init)))
			return err;
		if (text > ro || ro > roa || roa > size)
			return ms_error_at(MS_ERR_CORRUPT, mod->addr, "module %s: sizes text %llu, "
					   "ro %llu, ro_after_init %llu, size %llu", mod->name,
					   (unsigned long long)text, (unsigned long long)ro,
					   (unsigned long long)roa, (unsigned long long)size);
		mod->size_text = text;
		mod->size_rodata = ro - text;
		mod->size_ro_after_init = roa - ro;
		mod->size_data = size - roa;
		mod->size_init = init;
	} else if (l->mem >= 0) {
		uint64_t v[7] = { 0 };

		if (l->mm_size < 0 || l->mm_w <= 0 || l->mm_stride <= 0 || l->mod_idx[0] < 0)
			return ms_error_create(MS_ERR_LOOKUP, "no layout of module_memory");
		for (int i = 0; i < 7; i++) {
			if (l->mod_idx[i] < 0 || l->mod_idx[i] > 16)
				continue;
			if ((err = ms_read_uint(t, mod->addr + l->mem + l->mod_idx[i] * l->mm_stride +
						l->mm_size, (size_t)l->mm_w, &v[i])))
				return err;
		}
		mod->size_text = v[0];
		mod->size_data = v[1];
		mod->size_rodata = v[2];
		mod->size_ro_after_init = v[3];
		mod->size_init = v[4] + v[5] + v[6];
	} else {
		return ms_error_create(MS_ERR_LOOKUP, "no core_layout or mem[] in struct module");
	}
	mod->sizes_ok = true;
	return NULL;
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
	ms_error_destroy(read_sizes(t, l, &mod));	/* sizes_ok says */
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
	struct ms_module *p = ms_grow(v->m->v, &v->cap, v->m->nr, sizeof(*p), 64);

	if (!p)
		return &ms_error_nomem;
	v->m->v = p;
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
