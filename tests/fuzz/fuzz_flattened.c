/*
 * fuzz_flattened.c - libFuzzer: makedumpfile's flattened stream reassembled
 * (standalone/flattened.c) from a memfd holding the input; the reassembled
 * file then goes through the kdump header checks, as dumpfile.c does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dumpcheck.h"
#include "flattened.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int in = memfd_create("fuzz-flat", 0), out;
	struct stat st;

	if (in < 0)
		return 0;
	if (write(in, data, size) == (ssize_t)size && ms_is_flattened(in)) {
		struct ms_error *err = ms_reassemble_flattened(in, &out);

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
