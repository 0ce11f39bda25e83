/*
 * kallsyms_elf.c - the symbol table of a vmlinux file, in the shape of the
 * kallsyms decoded from a dump (link-time addresses: the caller relocates).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kallsyms.h"

/* nm's letter for an ELF symbol: enough to prefer globals (upper case). */
static char elf_type(const GElf_Sym *s, GElf_Shdr *sec)
{
	char c = 'd';

	if (s->st_shndx == SHN_ABS)
		c = 'a';
	else if (sec && (sec->sh_flags & SHF_EXECINSTR))
		c = 't';
	else if (sec && sec->sh_type == SHT_NOBITS)
		c = 'b';
	else if (sec && !(sec->sh_flags & SHF_WRITE))
		c = 'r';
	return GELF_ST_BIND(s->st_info) == STB_LOCAL ? c : (char)toupper((unsigned char)c);
}

static int add_elf_symbols(struct ms_kallsyms *ks, Elf *elf, Elf_Scn *scn, GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	if (!data || !n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym sym;
		GElf_Shdr secbuf, *sec = NULL;
		const char *name;

		if (!gelf_getsym(data, (int)i, &sym) || !sym.st_name ||
		    GELF_ST_TYPE(sym.st_info) == STT_FILE || GELF_ST_TYPE(sym.st_info) == STT_SECTION)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		if (sym.st_shndx != SHN_UNDEF && sym.st_shndx < SHN_LORESERVE)
			sec = gelf_getshdr(elf_getscn(elf, sym.st_shndx), &secbuf);
		if (ms_kallsyms_add(ks, name, elf_type(&sym, sec), sym.st_value))
			return -1;
	}
	return 0;
}

struct ms_kallsyms *ms_kallsyms_from_elf(const char *vmlinux, char *err, size_t errlen)
{
	struct ms_kallsyms *ks = ms_kallsyms_new();
	int fd = open(vmlinux, O_RDONLY);
	Elf_Scn *scn = NULL;
	Elf *elf = NULL;
	int rc = -1;

	if (!ks || fd < 0 || elf_version(EV_CURRENT) == EV_NONE ||
	    !(elf = elf_begin(fd, ELF_C_READ, NULL))) {
		snprintf(err, errlen, "%s: not a readable ELF file", vmlinux);
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			rc = add_elf_symbols(ks, elf, scn, &sh);
			break;
		}
	}
	if (rc == 0)
		rc = ms_kallsyms_finish(ks);
	if (rc)
		snprintf(err, errlen, "%s: no symbol table", vmlinux);
out:
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	if (rc) {
		ms_kallsyms_free(ks);
		return NULL;
	}
	return ks;
}
