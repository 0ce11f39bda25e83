/*
 * dumpcheck.c - which format a dump is, and the checks its formats share:
 * reads bounded by the file, ELF notes, VMCOREINFO (see dumpcheck.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _DEFAULT_SOURCE	/* be32toh() and friends, also under -D_POSIX_C_SOURCE */
#include <ctype.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dumpcheck.h"

#define MAX_NOTES_SIZE (64u << 20)	/* a CPU's notes are ~1 KiB; 8192 CPUs fit */

struct ms_error *ms_dc_read(const struct ms_dumpcheck_src *src, void *buf, size_t len,
			    uint64_t off, const char *what)
{
	if (off > src->size || len > src->size - off)
		return ms_error_create(MS_ERR_CORRUPT, "%s (%zu bytes at %llu) lies past the end of "
				       "the file (%llu bytes): the dump may be truncated", what, len,
				       (unsigned long long)off, (unsigned long long)src->size);
	errno = 0;
	if (src->read(src->ctx, buf, len, off))
		return errno ? ms_error_lib(MS_ERR_IO, strerror(errno), "cannot read %s", what) :
		       ms_error_create(MS_ERR_CORRUPT, "%s: the file ends early: the dump may be "
				       "truncated", what);
	return NULL;
}

int ms_dc_arch_page_size(const char *arch, uint64_t page_size)
{
	if (page_size == 4096)
		return 1;
	if (!strcmp(arch, "aarch64"))
		return page_size == 16384 || page_size == 65536;
	if (!strcmp(arch, "ppc64"))
		return page_size == 65536;
	return 0;
}

/* The value of "KEY=" in a VMCOREINFO text, its length in *n; NULL if absent. */
static const char *vmcoreinfo_value(const char *text, size_t len, const char *key, size_t *n)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i < len;) {
		const char *eol = memchr(text + i, '\n', len - i);
		size_t line = eol ? (size_t)(eol - (text + i)) : len - i;

		if (line > klen && !memcmp(text + i, key, klen) && text[i + klen] == '=') {
			*n = line - klen - 1;
			return text + i + klen + 1;
		}
		i += line + 1;
	}
	return NULL;
}

struct ms_error *ms_dc_vmcoreinfo(const char *text, size_t len, const char *arch,
				  uint64_t *page_size)
{
	const char *v;
	uint64_t ps = 0;
	size_t n;

	*page_size = 0;
	v = vmcoreinfo_value(text, len, "PAGESIZE", &n);
	if (v) {
		size_t i;

		for (i = 0; i < n && i < 8 && isdigit((unsigned char)v[i]); i++)
			ps = ps * 10 + (uint64_t)(v[i] - '0');
		if (i != n || !ms_dc_arch_page_size(arch, ps))
			return ms_error_create(MS_ERR_CORRUPT, "VMCOREINFO PAGESIZE=%.*s is no page "
					       "size of %s", (int)(n < 20 ? n : 20), v, arch);
		*page_size = ps;
	}
	v = vmcoreinfo_value(text, len, "OSRELEASE", &n);
	if (v) {
		if (!n || n >= 65)
			return ms_error_create(MS_ERR_CORRUPT, "VMCOREINFO OSRELEASE is %zu bytes long",
					       n);
		for (size_t i = 0; i < n; i++)
			if (!isgraph((unsigned char)v[i]))
				return ms_error_create(MS_ERR_CORRUPT, "VMCOREINFO OSRELEASE is not "
						       "printable");
	}
	return NULL;
}

static uint32_t u32(const unsigned char *p, int big)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return big ? be32toh(v) : le32toh(v);
}

#define ALIGN4(x) (((x) + 3) & ~(uint64_t)3)

/*
 * Elf64_Nhdr records, as the kernel's crash_save_vmcoreinfo() and QEMU's
 * dump.c write them (the same layout in 32- and 64-bit ELF): name and
 * description padded to 4 bytes, each within the segment.
 */
struct ms_error *ms_dc_notes(const struct ms_dumpcheck_src *src, uint64_t off, uint64_t len,
			     int big, const char *arch, uint64_t *page_size)
{
	struct ms_error *err;
	unsigned char *buf;
	uint64_t pos = 0;

	if (len > MAX_NOTES_SIZE)
		return ms_error_create(MS_ERR_CORRUPT, "the notes are %llu bytes long",
				       (unsigned long long)len);
	buf = malloc(len ? len : 1);
	if (!buf)
		return &ms_error_nomem;
	err = ms_dc_read(src, buf, len, off, "the ELF notes");
	while (!err && len - pos >= 12) {
		uint64_t namesz = u32(buf + pos, big), descsz = u32(buf + pos + 4, big);
		uint64_t name = pos + 12, desc = name + ALIGN4(namesz);

		if (desc > len || ALIGN4(descsz) > len - desc) {
			err = ms_error_create(MS_ERR_CORRUPT, "an ELF note at %llu runs past its "
					      "segment (name %llu, description %llu bytes)",
					      (unsigned long long)(off + pos),
					      (unsigned long long)namesz, (unsigned long long)descsz);
			break;
		}
		if (namesz >= 10 && !memcmp(buf + name, "VMCOREINFO", 10))
			err = ms_dc_vmcoreinfo((const char *)buf + desc, descsz, arch, page_size);
		pos = desc + ALIGN4(descsz);
	}
	free(buf);
	return err;
}

struct ms_error *ms_dumpcheck(const struct ms_dumpcheck_src *src, const char *arch)
{
	unsigned char magic[8];
	struct ms_error *err;

	if (!arch)
		arch = "x86_64";
	err = ms_dc_read(src, magic, sizeof(magic), 0, "the file's signature");
	if (err)
		return ms_error_wrap(err, "not a dump");
	if (!memcmp(magic, "\177ELF", 4))
		return ms_dumpcheck_elf(src, arch);
	if (!memcmp(magic, "KDUMP   ", 8) || !memcmp(magic, "DISKDUMP", 8))
		return ms_dumpcheck_kdump(src, arch);
	return ms_error_create(MS_ERR_UNSUPPORTED, "not a dump: neither ELF nor kdump "
			       "(makedumpfile's diskdump) nor a flattened stream");
}

struct buf_src {
	const unsigned char *p;
	size_t len;
};

static int buf_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	const struct buf_src *b = ctx;

	errno = 0;
	if (off > b->len || len > b->len - off)
		return -1;
	memcpy(buf, b->p + off, len);
	return 0;
}

struct ms_error *ms_dumpcheck_buf(const void *buf, size_t len, const char *arch)
{
	struct buf_src b = { buf, len };
	struct ms_dumpcheck_src src = { buf_read, &b, len };

	return ms_dumpcheck(&src, arch);
}

static int fd_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	int fd = *(int *)ctx;
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = 0;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

struct ms_error *ms_dumpcheck_fd(int fd, uint64_t size, const char *arch)
{
	struct ms_dumpcheck_src src = { fd_read, &fd, size };

	return ms_dumpcheck(&src, arch);
}
