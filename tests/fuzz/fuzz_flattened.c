/*
 * fuzz_flattened.c - libFuzzer: makedumpfile's flattened stream reassembled
 * (standalone/flattened.c) from a memfd holding the input; the reassembled
 * file then goes through the kdump header checks, as dumpfile.c does.  The
 * stream's index must agree: the same refusal, or the same bytes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dumpcheck.h"
#include "flattened.h"

/* The index reads the reassembled file's bytes (or refused as the copy did). */
static void check_index(int in, int out, struct ms_error *copy_err)
{
	struct ms_flat_index *ix;
	bool overlap;
	struct ms_error *err = ms_flat_index_build(in, &ix, &overlap);
	struct stat st;

	if (copy_err || err) {
		if (!copy_err != !err || strcmp(ms_error_string(copy_err), ms_error_string(err)))
			abort();
		ms_error_destroy(err);
		return;
	}
	if (overlap)
		return;
	if (fstat(out, &st) || (uint64_t)st.st_size != ms_flat_index_size(ix))
		abort();
	for (off_t off = 0; off < st.st_size; off += 4096) {
		char a[4096], b[4096];
		ssize_t n = pread(out, a, sizeof(a), off);

		if (n <= 0 || ms_flat_index_pread(ix, b, sizeof(b), (uint64_t)off) != n ||
		    memcmp(a, b, (size_t)n))
			abort();
	}
	ms_flat_index_free(ix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int in = memfd_create("fuzz-flat", 0), out;
	struct stat st;

	if (in < 0)
		return 0;
	if (write(in, data, size) == (ssize_t)size && ms_is_flattened(in)) {
		struct ms_error *err = ms_reassemble_flattened(in, &out);

		check_index(in, err ? -1 : out, err);
		if (!err) {
			if (!fstat(out, &st))
				err = ms_dumpcheck_fd(out, (uint64_t)st.st_size, "x86_64");
			close(out);
		}
		ms_error_destroy(err);
	}
	close(in);
	return 0;
}
