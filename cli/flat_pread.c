/*
 * flat_pread.c - pread(2) for the CLI process: a descriptor of a flattened
 * dump (standalone/flattened.c, ms_flat_serve) reads the file its index
 * describes; every other descriptor goes to the system call.
 *
 * libkdumpfile 0.5.1 reads the dump only with pread (its fcache, with
 * file.mmap_policy "never"; `nm -D libkdumpfile.so.10`: pread and fstat are
 * its only file calls) and offers no read hook.  A definition in the
 * executable comes first in the dynamic linker's lookup, so libkdumpfile's
 * pread binds here.  That is what spares the copy of the whole stream
 * (issue #15: 365 MB written to /tmp on each run for a 16 GiB guest).
 * ms_flat_pread_active() checks the binding at run time; where it does not
 * hold (memscope.so in crash, which has no such definition), dumpfile.c
 * reassembles the stream as before.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "flattened.h"

ssize_t pread(int fd, void *buf, size_t len, off_t off);
ssize_t pread64(int fd, void *buf, size_t len, off_t off);

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	const struct ms_flat_index *ix = ms_flat_served(fd);

	if (ix) {
		if (off < 0) {
			errno = EINVAL;
			return -1;
		}
		return ms_flat_index_pread(ix, buf, len, (uint64_t)off);
	}
	return syscall(SYS_pread64, fd, buf, len, off);
}

/* glibc's other name of the same call (off_t is 64 bits on LP64). */
ssize_t pread64(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off);
}

bool ms_flat_pread_active(void)
{
	union { void *p; ssize_t (*f)(int, void *, size_t, off_t); } bound;

	bound.p = dlsym(RTLD_DEFAULT, "pread");
	return bound.f == pread;
}
