/*
 * fuzz_oomreport.c - libFuzzer: the OOM report parser (lib/log/oomreport.c)
 * on log records made from the input, one line a record, the first byte of
 * each line its level.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logrec.h"
#include "oomreport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_oom_log log;
	char *text = malloc(size + 1);
	uint64_t seq = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ms_oom_log_init(&log);
	for (char *line = text, *end; line <= text + size; line = end + 1) {
		end = memchr(line, '\n', (size_t)(text + size - line));
		if (!end)
			end = text + size;
		*end = '\0';
		struct ms_log_record r = {
			.seq = seq, .ts_nsec = seq * 1000, .text = line,
			.len = (size_t)(end - line),
			.level = line < end ? (uint8_t)(line[0] & 7) : 6,
		};
		seq++;
		struct ms_error *err = ms_oom_log_feed(&r, &log);
		if (err) {
			ms_error_destroy(err);
			break;
		}
	}
	ms_oom_log_finish(&log);
	ms_oom_log_free(&log);
	free(text);
	return 0;
}
