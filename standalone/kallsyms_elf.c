/*
 * kallsyms_elf.c - the symbol table of a vmlinux file, in the shape of the
 * kallsyms decoded from a dump (link-time addresses: the caller relocates).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kallsyms.h"

/*
 * x86_64 SMP links .data..percpu at address 0 (its symbols are offsets into
 * each CPU's area, see the PERCPU_VADDR of arch/x86/kernel/vmlinux.lds.S):
 * such a symbol is absolute, as scripts/kallsyms.c marks it ('A').
 */
static bool percpu_offset_section(Elf *elf, size_t shstrndx, const GElf_Shdr *sec)
{
	const char *name = elf_strptr(elf, shstrndx, sec->sh_name);

	return name && !strcmp(name, ".data..percpu") && sec->sh_addr == 0;
}

/* nm's letter for an ELF symbol (enough to prefer globals: upper case), and
 * 'A' for values that do not move with the kernel. */
static char elf_type(Elf *elf, size_t shstrndx, const GElf_Sym *s, const GElf_Shdr *sec)
{
	char c = 'd';

	if (s->st_shndx == SHN_ABS || (sec && percpu_offset_section(elf, shstrndx, sec)))
		c = 'a';
	else if (sec && (sec->sh_flags & SHF_EXECINSTR))
		c = 't';
	else if (sec && sec->sh_type == SHT_NOBITS)
		c = 'b';
	else if (sec && !(sec->sh_flags & SHF_WRITE))
		c = 'r';
	return GELF_ST_BIND(s->st_info) == STB_LOCAL ? c : (char)toupper((unsigned char)c);
}

static struct ms_error *add_elf_symbols(struct ms_kallsyms *ks, Elf *elf, Elf_Scn *scn,
					GElf_Shdr *sh, size_t shstrndx)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	if (!data || !n)
		return ms_error_lib(MS_ERR_LOOKUP, data ? NULL : elf_errmsg(-1),
				    "an empty symbol table");
	for (size_t i = 0; i < n; i++) {
		GElf_Sym sym;
		GElf_Shdr secbuf, *sec = NULL;
		struct ms_error *err;
		const char *name;

		if (!gelf_getsym(data, (int)i, &sym) || !sym.st_name ||
		    GELF_ST_TYPE(sym.st_info) == STT_FILE || GELF_ST_TYPE(sym.st_info) == STT_SECTION)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		if (sym.st_shndx != SHN_UNDEF && sym.st_shndx < SHN_LORESERVE)
			sec = gelf_getshdr(elf_getscn(elf, sym.st_shndx), &secbuf);
		err = ms_kallsyms_add(ks, name, elf_type(elf, shstrndx, &sym, sec), sym.st_value);
		if (err)
			return err;
	}
	return ms_kallsyms_finish(ks);
}

/* The first SHT_SYMTAB section's symbols into ks. */
static struct ms_error *read_symtab(struct ms_kallsyms *ks, Elf *elf)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return ms_error_lib(MS_ERR_IO, elf_errmsg(-1), "no section names");
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			return add_elf_symbols(ks, elf, scn, &sh, shstrndx);
	}
	return ms_error_create(MS_ERR_LOOKUP, "no symbol table");
}

struct ms_error *ms_kallsyms_from_elf(const char *vmlinux, struct ms_kallsyms **out)
{
	struct ms_kallsyms *ks;
	struct ms_error *err;
	Elf *elf;
	int fd;

	*out = NULL;
	fd = open(vmlinux, O_RDONLY);
	if (fd < 0)
		return ms_error_lib(MS_ERR_IO, strerror(errno), "%s: not a readable ELF file",
				    vmlinux);
	if (elf_version(EV_CURRENT) == EV_NONE || !(elf = elf_begin(fd, ELF_C_READ, NULL))) {
		close(fd);
		return ms_error_lib(MS_ERR_IO, elf_errmsg(-1), "%s: not a readable ELF file",
				    vmlinux);
	}
	ks = ms_kallsyms_new();
	if (elf_kind(elf) != ELF_K_ELF)
		err = ms_error_create(MS_ERR_IO, "not a readable ELF file");
	else
		err = ks ? read_symtab(ks, elf) : &ms_error_nomem;
	elf_end(elf);
	close(fd);
	if (err) {
		ms_kallsyms_free(ks);
		return ms_error_wrap(err, "%s", vmlinux);
	}
	*out = ks;
	return NULL;
}
