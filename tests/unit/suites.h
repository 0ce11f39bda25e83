/*
 * suites.h - each test file registers its Check suite with MS_SUITE(fn);
 * main.c runs them all.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SUITES_H
#define MEMSCOPE_SUITES_H

#include <check.h>

void ms_register_suite(Suite *(*make)(void));

#define MS_SUITE(fn) \
	static void __attribute__((constructor)) register_##fn(void) { ms_register_suite(fn); }

#endif
