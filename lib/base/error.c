/*
 * error.c - memscope's error object (see error.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

struct ms_error ms_error_nomem = {
	.code = MS_ERR_NOMEM,
	.message = "out of memory",
};

static char *vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	char *s;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static struct ms_error *make(enum ms_error_code code, bool has_addr, uint64_t addr,
			     const char *cause, const char *fmt, va_list ap)
{
	struct ms_error *err;

	if (code == MS_ERR_NOMEM)
		return &ms_error_nomem;
	err = calloc(1, sizeof(*err));
	if (!err)
		return &ms_error_nomem;
	err->code = code;
	err->has_addr = has_addr;
	err->addr = addr;
	err->message = vformat(fmt, ap);
	err->cause = cause ? strdup(cause) : NULL;
	if (!err->message || (cause && !err->cause)) {
		ms_error_destroy(err);
		return &ms_error_nomem;
	}
	return err;
}

struct ms_error *ms_error_create(enum ms_error_code code, const char *fmt, ...)
{
	struct ms_error *err;
	va_list ap;

	va_start(ap, fmt);
	err = make(code, false, 0, NULL, fmt, ap);
	va_end(ap);
	return err;
}

static struct ms_error *vat(enum ms_error_code code, uint64_t addr, const char *cause,
			    const char *fmt, va_list ap)
{
	struct ms_error *err;
	char *what = vformat(fmt, ap);

	if (!what)
		return &ms_error_nomem;
	err = ms_error_lib(code, cause, "%s at %#llx", what, (unsigned long long)addr);
	free(what);
	if (err != &ms_error_nomem) {
		err->has_addr = true;
		err->addr = addr;
	}
	return err;
}

struct ms_error *ms_error_at(enum ms_error_code code, uint64_t addr, const char *fmt, ...)
{
	struct ms_error *err;
	va_list ap;

	va_start(ap, fmt);
	err = vat(code, addr, NULL, fmt, ap);
	va_end(ap);
	return err;
}

struct ms_error *ms_error_at_lib(enum ms_error_code code, uint64_t addr, const char *cause,
				 const char *fmt, ...)
{
	struct ms_error *err;
	va_list ap;

	va_start(ap, fmt);
	err = vat(code, addr, cause, fmt, ap);
	va_end(ap);
	return err;
}

struct ms_error *ms_error_lib(enum ms_error_code code, const char *cause, const char *fmt, ...)
{
	struct ms_error *err;
	va_list ap;

	va_start(ap, fmt);
	err = make(code, false, 0, cause, fmt, ap);
	va_end(ap);
	return err;
}

struct ms_error *ms_error_wrap(struct ms_error *err, const char *fmt, ...)
{
	char *prefix, *msg;
	va_list ap;

	if (!err || err == &ms_error_nomem)
		return err;
	va_start(ap, fmt);
	prefix = vformat(fmt, ap);
	va_end(ap);
	if (!prefix)
		return err;	/* the cause survives without the context */
	msg = malloc(strlen(prefix) + 2 + strlen(err->message) + 1);
	if (msg) {
		sprintf(msg, "%s: %s", prefix, err->message);
		free(err->message);
		err->message = msg;
		free(err->string);
		err->string = NULL;
	}
	free(prefix);
	return err;
}

void ms_error_destroy(struct ms_error *err)
{
	if (!err || err == &ms_error_nomem)
		return;
	free(err->message);
	free(err->cause);
	free(err->string);
	free(err);
}

const char *ms_error_string(struct ms_error *err)
{
	if (!err)
		return "no error";
	if (!err->cause || err == &ms_error_nomem)
		return err->message;
	if (!err->string) {
		size_t n = strlen(err->message) + 2 + strlen(err->cause) + 1;

		err->string = malloc(n);
		if (!err->string)
			return err->message;
		snprintf(err->string, n, "%s: %s", err->message, err->cause);
	}
	return err->string;
}

const char *ms_error_code_name(enum ms_error_code code)
{
	static const char *const names[MS_ERR_NR] = {
		[MS_ERR_LOOKUP] = "lookup",
		[MS_ERR_FAULT] = "fault",
		[MS_ERR_MISSING] = "missing",
		[MS_ERR_CORRUPT] = "corrupt",
		[MS_ERR_NOMEM] = "nomem",
		[MS_ERR_USAGE] = "usage",
		[MS_ERR_IO] = "io",
		[MS_ERR_UNSUPPORTED] = "unsupported",
	};

	return (unsigned int)code < MS_ERR_NR ? names[code] : "unknown";
}
