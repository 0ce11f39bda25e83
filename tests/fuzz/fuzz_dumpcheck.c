/*
 * fuzz_dumpcheck.c - libFuzzer: the ELF and kdump header checks on any bytes
 * (standalone/dumpcheck*.c).  Seeds: the scenario dumps' first blocks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>

#include "dumpcheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_error_destroy(ms_dumpcheck_buf(data, size, "x86_64"));
	return 0;
}
