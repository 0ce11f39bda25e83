/*
 * main.c - runs every registered Check suite; exit status is the verdict.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>

#include "suites.h"

#define MAX_SUITES 64

static Suite *(*makers[MAX_SUITES])(void);
static int nr_makers;

void ms_register_suite(Suite *(*make)(void))
{
	if (nr_makers < MAX_SUITES)
		makers[nr_makers++] = make;
}

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	int failed;

	for (int i = 0; i < nr_makers; i++)
		srunner_add_suite(sr, makers[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
