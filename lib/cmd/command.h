/*
 * command.h - memscope's commands, each described once for both front ends.
 *
 * A command is a table entry: its names (crash's, and the CLI's where they
 * differ), a one-line summary, its options (what they take, where the value
 * goes in the command's own option struct), its operands in each front end,
 * the options that exclude each other, its help (NAME, SYNOPSIS,
 * DESCRIPTION, EXAMPLES, in crash's layout) and run().  The crash binding
 * (extension/memscope.c) registers crash's command table and help arrays
 * from it; the CLI (cli/main.c) loops over it.  Both parse with
 * ms_cmd_parse(), so they accept, reject and explain alike.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_COMMAND_H
#define MEMSCOPE_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "error.h"
#include "target.h"

/* The front ends, as an index and as a mask. */
enum ms_front {
	MS_FRONT_CRASH,
	MS_FRONT_CLI,
	MS_NR_FRONTS,
};

enum ms_opt_type {
	MS_OPT_FLAG,		/* sets a bool */
	MS_OPT_NUMBER,		/* a decimal number in [min, max], into a long */
	MS_OPT_CONST,		/* stores value into a long (slabinfo -a: top = 0) */
	MS_OPT_STRING,		/* a const char * (points into argv) */
	MS_OPT_CUSTOM,		/* parse(arg, dst): "-w min", "-a 3,DMA32" */
	MS_OPT_HELP,		/* asks for the help */
};

struct ms_option {
	char short_name;		/* 0: long only */
	const char *long_name;		/* NULL: short only */
	const char *arg;		/* the argument's name in help and messages, or NULL */
	enum ms_opt_type type;
	size_t offset;			/* offsetof() in the command's option struct */
	long min, max;			/* MS_OPT_NUMBER's range */
	long value;			/* MS_OPT_CONST's value */
	/* MS_OPT_CUSTOM: NULL, or an MS_ERR_USAGE error saying what is wrong. */
	struct ms_error *(*parse)(const char *arg, void *dst);
};

/* Table entries: short name, long name (or NULL), then what the type needs;
 * st is the command's option struct, f its field. */
#define MS_FLAG(s, l, st, f) \
	{ .short_name = s, .long_name = l, .type = MS_OPT_FLAG, .offset = offsetof(st, f) }
#define MS_CONST(s, l, st, f, v) \
	{ .short_name = s, .long_name = l, .type = MS_OPT_CONST, .offset = offsetof(st, f), \
	  .value = v }
#define MS_NUMBER(s, l, a, st, f, lo, hi) \
	{ .short_name = s, .long_name = l, .arg = a, .type = MS_OPT_NUMBER, \
	  .offset = offsetof(st, f), .min = lo, .max = hi }
#define MS_STRING(s, l, a, st, f) \
	{ .short_name = s, .long_name = l, .arg = a, .type = MS_OPT_STRING, .offset = offsetof(st, f) }
#define MS_CUSTOM(s, l, a, st, f, fn) \
	{ .short_name = s, .long_name = l, .arg = a, .type = MS_OPT_CUSTOM, \
	  .offset = offsetof(st, f), .parse = fn }
#define MS_HELP_OPT(s, l) { .short_name = s, .long_name = l, .type = MS_OPT_HELP }
/* The end of an option list. */
#define MS_OPT_END { .short_name = 0, .long_name = NULL }

/* The operands after the options, in one front end. */
struct ms_operands {
	const char *names;		/* for the synopsis and messages: "DUMP", "[FILE]" */
	unsigned int min, max;
};

/* One example of the help: rendered "crash> NAME ARGS" in crash and
 * "$ memscope NAME ARGS vmcore" in the CLI. */
struct ms_example {
	const char *text;		/* what it shows */
	const char *args;		/* after the name; several commands: '\n' between */
	const char *output;		/* lines of output, or NULL */
};

struct ms_cmd_ctx;
struct ms_standalone;

struct ms_command {
	const char *name;		/* crash's name, and the CLI's... */
	const char *cli_name;		/* ...unless this is set */
	const char *summary;		/* one line, no final period */
	const char *synopsis;		/* the options part; operands are added per front end */
	struct ms_operands operands[MS_NR_FRONTS];
	/* The CLI opens no DUMP for it: run() opens its operands (diff, snap). */
	bool opens_own_inputs;
	const struct ms_option *options;	/* ends with MS_OPT_END */
	const char *excludes;		/* pairs of short names that exclude each other: "ms" */
	size_t opts_size;		/* the option struct, initialised from defaults */
	const void *defaults;
	const char *description;	/* lines, '\n'-separated, not indented */
	const struct ms_example *examples;	/* ends with { 0 } */
	struct ms_error *(*run)(struct ms_cmd_ctx *ctx, const void *opts);
	/* The schema_version its --json carries (schemas/CLI_NAME.schema.json
	 * describes it): bumped, with the schema, by every change to the output;
	 * 0 is version 1. */
	unsigned int json_version;
};

/* Everything a command runs with, filled in by the binding. */
struct ms_cmd_ctx {
	const struct ms_command *cmd;
	enum ms_front front;
	struct ms_target *target;	/* the dump; NULL when the command opens its inputs */
	const char *dump;		/* its path when the binding opened it (CLI), or NULL */
	FILE *out;			/* crash's fp, or stdout */
	int argc;			/* the operands */
	char **argv;
	bool json;			/* --json */
	bool failed;			/* something was reported: the CLI exits with 1 */

	/* The binding's hooks. */
	/* Print an error the binding's way, now, and destroy it (crash: "NAME: ..." on
	 * fp; CLI: "memscope: DUMP: ..." on stderr). */
	void (*report)(struct ms_cmd_ctx *ctx, struct ms_error *err);
	/* Another dump (diff's, memdiff's BEFORE): its target in *t, a handle in *s. */
	struct ms_error *(*open_dump)(struct ms_cmd_ctx *ctx, const char *path,
				      struct ms_standalone **s, struct ms_target **t);
	void (*close_dump)(struct ms_cmd_ctx *ctx, const char *path, struct ms_standalone *s);
	/* Instead of open_dump: another dump's snapshot, built where a bad file
	 * cannot hurt (crash: in a child process); NULL: open_dump. */
	struct ms_error *(*snapshot_dump)(struct ms_cmd_ctx *ctx, const char *path, json_t **snap);
	/* Progress of long work (NULL: none shown); progress_done clears it. */
	void (*progress)(struct ms_cmd_ctx *ctx, const char *what);
	void (*progress_done)(struct ms_cmd_ctx *ctx);
	void *binding;			/* the binding's own */
};

/* Every command, in the order help lists them; NULL-terminated. */
extern const struct ms_command *const ms_commands[];

/* A command's name in a front end. */
static inline const char *ms_cmd_name(const struct ms_command *c, enum ms_front f)
{
	return (f == MS_FRONT_CLI && c->cli_name) ? c->cli_name : c->name;
}

/* The command of that name in a front end, or NULL. */
const struct ms_command *ms_command_find(const char *name, enum ms_front f);

/* ---- parsing ---- */

#define MS_CMD_OPTS_MAX 256	/* the largest option struct */

struct ms_parse {
	/* in */
	enum ms_front front;
	const struct ms_option *extra;	/* the binding's own options (CLI: -k, --btf), or NULL */
	void *extra_dst;		/* where they go */
	bool stop_at_operand;		/* the CLI's options before a command name */
	/* out */
	bool help;			/* --help (or the binding's help option) was given */
	bool json;
	int argc;			/* the operands, in argv's order */
	char **argv;
	union {
		long align_l;
		void *align_p;
		unsigned char bytes[MS_CMD_OPTS_MAX];
	} opts;				/* the command's option struct */
};

/*
 * Parse argv[1..argc-1] (argv[0] is the command's name) with getopt_long:
 * NULL, or an MS_ERR_USAGE error whose message is the same in both front
 * ends.  Allocates nothing else (crash's usage path longjmps).  c may be NULL
 * to parse the binding's own options alone.
 */
struct ms_error *ms_cmd_parse(const struct ms_command *c, int argc, char **argv,
			      struct ms_parse *p);

/* "-a ORDER[,ZONE]: " + message, as an MS_ERR_USAGE error (a check run() makes). */
struct ms_error *ms_cmd_usage_error(const struct ms_command *c, char short_name,
				    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A quoted argument for a message, cut to a readable length: "\"3x\"". */
const char *ms_cmd_quote(char *buf, size_t len, const char *arg);

/* ---- help ---- */

/*
 * The help as lines in crash's help_data layout: [0] name, [1] summary,
 * [2] synopsis, then the DESCRIPTION lines (the EXAMPLES section among
 * them), NULL-terminated.  For crash they are crash's format strings: '%'
 * escaped where crash would format the line, "%s>" for its prompt.  For the
 * CLI they are plain text, the prompt "$ memscope".  extra (the CLI's own
 * options: a title line, then indented lines) goes before EXAMPLES.
 * NULL when out of memory; ms_cmd_help_free() frees them.
 */
char **ms_cmd_help_lines(const struct ms_command *c, enum ms_front f, const char *extra);
void ms_cmd_help_free(char **lines);
/* The synopsis of a front end: the options part, then the operands. */
const char *ms_cmd_synopsis(const struct ms_command *c, enum ms_front f, char *buf, size_t len);
/* The CLI's help of a command: crash's layout, "memscope NAME" in the synopsis. */
void ms_cmd_help_print(FILE *out, const struct ms_command *c, const char *extra);

/* Every command and option as one JSON document (memscope --list-options). */
json_t *ms_commands_json(const struct ms_option *cli_extra);

/* ---- what commands share ---- */

/* A failure that still leaves an answer to print: reported now, run() goes on. */
void ms_cmd_report(struct ms_cmd_ctx *ctx, struct ms_error *err);

void ms_cmd_progress(struct ms_cmd_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ms_cmd_progress_done(struct ms_cmd_ctx *ctx);

/* The schema_version of c's --json. */
static inline unsigned int ms_cmd_json_version(const struct ms_command *c)
{
	return c->json_version ? c->json_version : 1;
}

/* Write a JSON document to ctx->out with those jansson flags, and drop it.  An
 * object gets "schema_version" (ms_cmd_json_version()) as its first key: every
 * --json is written here, and says which schema it follows. */
void ms_cmd_json_out(struct ms_cmd_ctx *ctx, json_t *j, size_t flags);
/* The layout every command's --json has (memsnap's and memdiff's differ). */
#define MS_CMD_JSON_FLAGS JSON_INDENT(2)

/*
 * A snapshot of path: a file whose first non-blank byte is '{' is loaded as
 * a snapshot; anything else is opened as a dump (ctx->snapshot_dump, else
 * ctx->open_dump) and its snapshot built.  Only a regular file or a block
 * device is read: a FIFO or a terminal is refused, never waited on.
 */
struct ms_error *ms_cmd_snapshot_of(struct ms_cmd_ctx *ctx, const char *path, json_t **snap);
/* The same as the diff reads it: a snapshot file element by element
 * (ms_snapshot_read), anything else as ms_cmd_snapshot_of() has it. */
struct ms_snapshot;
struct ms_error *ms_cmd_snapshot_read(struct ms_cmd_ctx *ctx, const char *path,
				      struct ms_snapshot *s);

#endif
