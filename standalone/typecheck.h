/*
 * typecheck.h - types and symbols checked against the dump they read.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_TYPECHECK_H
#define MEMSCOPE_TYPECHECK_H

#include "error.h"
#include "target.h"

/* NULL if t's types agree with the dump's VMCOREINFO (SIZE and OFFSET of the
 * mm structures) and init_uts_ns, read through them, names VMCOREINFO's
 * OSRELEASE; else MS_ERR_UNSUPPORTED saying what disagrees, or the error of
 * the read that failed. */
struct ms_error *ms_types_fit_dump(struct ms_target *t);

#endif
