/*
 * error_print.h - how a caller that has nothing to add reports an error an
 * analysis returned: "memscope: <cause>", the line the analyses used to warn
 * themselves before they returned struct ms_error (so outputs stay the same).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_ERROR_PRINT_H
#define MEMSCOPE_ERROR_PRINT_H

#include <stdbool.h>

#include "target.h"

/* Warn with err's text and destroy it: true if there was an error. */
static inline bool ms_report_error(struct ms_target *t, struct ms_error *err)
{
	if (!err)
		return false;
	ms_warn(t, "%s", ms_error_string(err));
	ms_error_destroy(err);
	return true;
}

#endif
