/*
 * test_command.c - the command table's parser and help (lib/cmd/command.c),
 * under the sanitizers: what both front ends accept, refuse and print.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "suites.h"

struct opts {
	bool a, b;
	long n, top;
	const char *file;
};

static const struct ms_option options[] = {
	MS_FLAG('a', NULL, struct opts, a),
	MS_FLAG('b', "bee", struct opts, b),
	MS_NUMBER('n', NULL, "NODE", struct opts, n, 0, 1023),
	MS_CONST('z', NULL, struct opts, top, 0),
	MS_NUMBER('t', NULL, "COUNT", struct opts, top, 0, 4294967295L),
	MS_STRING('o', "output", "FILE", struct opts, file),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "Twice:", "-a\n-b", "100%\nno %s here" },
	{ NULL },
};

static const struct ms_command cmd = {
	.name = "tcmd",
	.cli_name = "t",
	.summary = "a test of 100% of it",
	.synopsis = "[-a | -b] [-n NODE]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.excludes = "ab",
	.opts_size = sizeof(struct opts),
	.defaults = &(const struct opts){ .n = -1, .top = 20 },
	.description = "First line, 5%.\n\n  -a  a flag.",
	.examples = examples,
};

/* Parse a space-separated command line: NULL if accepted, else the message. */
static const char *parse(enum ms_front f, const char *line, struct ms_parse *p)
{
	static char buf[512], msg[512];
	static char *argv[32];
	int argc = 0;
	struct ms_error *err;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *w = strtok(buf, " "); w && argc < 31; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	*p = (struct ms_parse){ .front = f };
	err = ms_cmd_parse(&cmd, argc, argv, p);
	if (!err)
		return NULL;
	ck_assert_int_eq(err->code, MS_ERR_USAGE);
	snprintf(msg, sizeof(msg), "%s", ms_error_string(err));
	ms_error_destroy(err);
	return msg;
}

static const struct opts *opts_of(const struct ms_parse *p)
{
	return (const struct opts *)p->opts.bytes;
}

START_TEST(test_parse_good)
{
	struct ms_parse p;

	ck_assert_ptr_null(parse(MS_FRONT_CRASH, "tcmd", &p));
	ck_assert_int_eq(opts_of(&p)->n, -1);
	ck_assert_int_eq(opts_of(&p)->top, 20);
	ck_assert_ptr_null(parse(MS_FRONT_CRASH, "tcmd -a -n 1023 --json", &p));
	ck_assert(opts_of(&p)->a && p.json);
	ck_assert_int_eq(opts_of(&p)->n, 1023);
	/* Operands after options or before them (getopt_long permutes). */
	ck_assert_ptr_null(parse(MS_FRONT_CLI, "t vmcore --bee -o x.json", &p));
	ck_assert(opts_of(&p)->b);
	ck_assert_str_eq(opts_of(&p)->file, "x.json");
	ck_assert_int_eq(p.argc, 1);
	ck_assert_str_eq(p.argv[0], "vmcore");
	/* A constant and a number into one field: the last one given wins. */
	ck_assert_ptr_null(parse(MS_FRONT_CRASH, "tcmd -t 5 -z", &p));
	ck_assert_int_eq(opts_of(&p)->top, 0);
	ck_assert_ptr_null(parse(MS_FRONT_CRASH, "tcmd -z -t 4294967295", &p));
	ck_assert_int_eq(opts_of(&p)->top, 4294967295L);
	ck_assert_ptr_null(parse(MS_FRONT_CRASH, "tcmd --help", &p));
	ck_assert(p.help);
}
END_TEST

START_TEST(test_parse_bad)
{
	static const char *const bad_numbers[] = { "abc", "3x", "1024", "-1", "+1", "0x1", "1e3" };
	struct ms_parse p;
	char line[64], want[128];

	for (size_t i = 0; i < sizeof(bad_numbers) / sizeof(bad_numbers[0]); i++) {
		snprintf(line, sizeof(line), "tcmd -n %s", bad_numbers[i]);
		snprintf(want, sizeof(want), "-n NODE: \"%s\" is not a number from 0 to 1023",
			 bad_numbers[i]);
		ck_assert_str_eq(parse(MS_FRONT_CRASH, line, &p), want);
	}
	ck_assert_str_eq(parse(MS_FRONT_CRASH, "tcmd -t 4294967296", &p),
			 "-t COUNT: \"4294967296\" is not a number from 0 to 4294967295");
	ck_assert_str_eq(parse(MS_FRONT_CRASH, "tcmd -n", &p),
			 "option requires an argument -- 'n'");
	ck_assert_str_eq(parse(MS_FRONT_CRASH, "tcmd --output", &p),
			 "option '--output' requires an argument");
	ck_assert_str_eq(parse(MS_FRONT_CRASH, "tcmd -q", &p), "invalid option -- 'q'");
	ck_assert_str_eq(parse(MS_FRONT_CRASH, "tcmd --nope", &p), "unrecognized option \"--nope\"");
	ck_assert_str_eq(parse(MS_FRONT_CRASH, "tcmd --json=1", &p),
			 "option '--json' doesn't allow an argument");
	ck_assert_str_eq(parse(MS_FRONT_CRASH, "tcmd -a -b", &p), "-a and -b exclude each other");
	ck_assert_str_eq(parse(MS_FRONT_CRASH, "tcmd extra", &p), "extra operand \"extra\"");
	ck_assert_str_eq(parse(MS_FRONT_CLI, "t -a", &p), "missing operand (DUMP)");
}
END_TEST

START_TEST(test_long_argument_is_cut_in_messages)
{
	size_t len = 100 * 1024;
	char *arg = malloc(len + 1), *argv[] = { "tcmd", "-n", arg, NULL };
	struct ms_parse p = { .front = MS_FRONT_CRASH };
	struct ms_error *err;

	ck_assert_ptr_nonnull(arg);
	memset(arg, '7', len);
	arg[len] = '\0';
	err = ms_cmd_parse(&cmd, 3, argv, &p);
	ck_assert_ptr_nonnull(err);
	ck_assert_uint_lt(strlen(ms_error_string(err)), 200);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "...\" is not a number"));
	ms_error_destroy(err);
	free(arg);
}
END_TEST

/* crash formats a help line only if it has "%s": '%' is doubled only there. */
START_TEST(test_help_lines)
{
	char **crash = ms_cmd_help_lines(&cmd, MS_FRONT_CRASH, NULL);
	char **cli = ms_cmd_help_lines(&cmd, MS_FRONT_CLI, "EXTRA\n  more");
	int i;

	ck_assert_ptr_nonnull(crash);
	ck_assert_ptr_nonnull(cli);
	ck_assert_str_eq(crash[0], "tcmd");
	ck_assert_str_eq(crash[1], "a test of 100%% of it");
	ck_assert_str_eq(crash[2], "[-a | -b] [-n NODE]");
	ck_assert_str_eq(crash[3], "  First line, 5%.");
	ck_assert_str_eq(crash[4], "");
	ck_assert_str_eq(cli[0], "t");
	ck_assert_str_eq(cli[1], "a test of 100% of it");
	ck_assert_str_eq(cli[2], "[-a | -b] [-n NODE] DUMP");
	for (i = 0; crash[i] && strcmp(crash[i], "EXAMPLES"); i++)
		;
	ck_assert_ptr_nonnull(crash[i]);
	ck_assert_str_eq(crash[i + 1], "  Twice:");
	ck_assert_str_eq(crash[i + 3], "    %s> tcmd -a");
	ck_assert_str_eq(crash[i + 4], "    %s> tcmd -b");
	ck_assert_str_eq(crash[i + 5], "    100%");
	ck_assert_str_eq(crash[i + 6], "    no %%s here");
	for (i = 0; cli[i] && strcmp(cli[i], "EXTRA"); i++)
		;
	ck_assert_ptr_nonnull(cli[i]);
	ck_assert_str_eq(cli[i + 1], "  more");
	ck_assert_str_eq(cli[i + 6], "    $ memscope t -a vmcore");
	ck_assert_str_eq(cli[i + 9], "    no %s here");
	ms_cmd_help_free(crash);
	ms_cmd_help_free(cli);
}
END_TEST

/* Every command of the table: unique short names, help for each option. */
/* Every --json gets the command's schema_version as its first key. */
START_TEST(test_json_out_schema_version)
{
	struct ms_command c2 = cmd;
	struct ms_cmd_ctx ctx = { .cmd = &cmd };
	char *buf = NULL;
	size_t len = 0;

	ctx.out = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(ctx.out);
	ms_cmd_json_out(&ctx, json_pack("{s:i, s:s}", "b", 1, "a", "x"), JSON_COMPACT);
	c2.json_version = 7;
	ctx.cmd = &c2;
	ms_cmd_json_out(&ctx, json_pack("{s:i}", "schema_version", 3), JSON_COMPACT);
	ms_cmd_json_out(&ctx, json_pack("[i]", 1), JSON_COMPACT);	/* not an object: as it is */
	fclose(ctx.out);
	ck_assert_str_eq(buf, "{\"schema_version\":1,\"b\":1,\"a\":\"x\"}\n"
			      "{\"schema_version\":7}\n[1]\n");
	ck_assert_int_eq(ms_cmd_json_version(&c2), 7);
	free(buf);
}
END_TEST

START_TEST(test_table)
{
	for (const struct ms_command *const *c = ms_commands; *c; c++) {
		char **help = ms_cmd_help_lines(*c, MS_FRONT_CLI, NULL);
		bool seen[256] = { false };

		ck_assert_ptr_nonnull(help);
		ck_assert_ptr_eq(ms_command_find((*c)->name, MS_FRONT_CRASH), *c);
		ck_assert_ptr_eq(ms_command_find(ms_cmd_name(*c, MS_FRONT_CLI), MS_FRONT_CLI), *c);
		ck_assert_uint_le((*c)->opts_size, MS_CMD_OPTS_MAX);
		for (const struct ms_option *o = (*c)->options; o->short_name || o->long_name; o++) {
			char flag[8];
			bool documented = false;

			ck_assert(!seen[(unsigned char)o->short_name]);
			seen[(unsigned char)o->short_name] = true;
			snprintf(flag, sizeof(flag), "-%c", o->short_name);
			for (char **l = help + 3; *l; l++)
				documented |= strstr(*l, flag) != NULL;
			ck_assert_msg(documented, "%s %s", (*c)->name, flag);
		}
		ms_cmd_help_free(help);
	}
}
END_TEST

static Suite *command_suite(void)
{
	Suite *s = suite_create("command");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_good);
	tcase_add_test(tc, test_parse_bad);
	tcase_add_test(tc, test_long_argument_is_cut_in_messages);
	tcase_add_test(tc, test_help_lines);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_json_out_schema_version);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(command_suite)
