/*
 * error.h - the one error object every fallible memscope call returns.
 *
 * In the manner of libdrgn's struct drgn_error: a function that can fail
 * returns struct ms_error *, NULL on success.  The object says what kind of
 * failure it was (a look-up, a read at an address, a page the dump does not
 * hold, data that makes no sense, no memory, bad usage, a file), keeps the
 * address and the underlying library's own text where there is one (as
 * libkdumpfile keeps a context string beside kdump_status), and a message
 * that callers may prefix with what they were doing.
 *
 * The caller owns a returned error: it hands it up, or reports and destroys
 * it.  Out of memory is the static ms_error_nomem, which destroy ignores, so
 * reporting it needs no allocation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_ERROR_H
#define MEMSCOPE_ERROR_H

#include <stdbool.h>
#include <stdint.h>

enum ms_error_code {
	MS_ERR_LOOKUP,		/* no such symbol, type, member or enumerator */
	MS_ERR_FAULT,		/* memory at an address cannot be read */
	MS_ERR_MISSING,		/* the dump does not hold that page (filtered out) */
	MS_ERR_CORRUPT,		/* what was read makes no sense (a bad pointer, count) */
	MS_ERR_NOMEM,		/* out of memory */
	MS_ERR_USAGE,		/* a bad option or argument */
	MS_ERR_IO,		/* a file cannot be opened, read or written */
	MS_ERR_UNSUPPORTED,	/* a kernel or dump this code does not handle */
	MS_ERR_NR,
};

struct ms_error {
	enum ms_error_code code;
	bool has_addr;
	uint64_t addr;		/* where a read failed (FAULT, MISSING, CORRUPT) */
	char *message;		/* what failed, with the context callers added */
	char *cause;		/* the library's own text (kdump_get_err(), libbpf), or NULL */
	char *string;		/* ms_error_string()'s cache */
};

/* The error for out of memory: static, never freed. */
extern struct ms_error ms_error_nomem;

/* A new error; ms_error_nomem if it cannot be allocated. */
struct ms_error *ms_error_create(enum ms_error_code code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* An error at an address (a failed read): the message says where. */
struct ms_error *ms_error_at(enum ms_error_code code, uint64_t addr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error with the underlying library's own text (may be NULL). */
struct ms_error *ms_error_lib(enum ms_error_code code, const char *cause, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An error at an address with the library's own text (may be NULL). */
struct ms_error *ms_error_at_lib(enum ms_error_code code, uint64_t addr, const char *cause,
				 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Prefix err's message with what the caller was doing ("zone DMA32: ...").
 * Returns err (NULL stays NULL; ms_error_nomem is left as it is). */
struct ms_error *ms_error_wrap(struct ms_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void ms_error_destroy(struct ms_error *err);

/* The whole text: message, then ": " and the library's cause if any.
 * Valid until err is destroyed. */
const char *ms_error_string(struct ms_error *err);

/* "lookup", "fault", "missing", "corrupt", "nomem", "usage", "io", "unsupported". */
const char *ms_error_code_name(enum ms_error_code code);

/* True if err is of that code (NULL is no error). */
static inline bool ms_error_is(const struct ms_error *err, enum ms_error_code code)
{
	return err && err->code == code;
}

/* An error a caller handled by falling back: destroy it and say so (NULL). */
static inline struct ms_error *ms_error_ignore(struct ms_error *err)
{
	ms_error_destroy(err);
	return NULL;
}

/* A call whose cause the caller does not report (an optional field, a
 * best-effort probe): destroy the error and say whether there was one. */
static inline bool ms_error_failed(struct ms_error *err)
{
	ms_error_destroy(err);
	return err != NULL;
}

#endif
