/*
 * command.c - the command table's parser, help and shared helpers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "grow.h"
#include "snapshot.h"

extern const struct ms_command ms_cmd_meminfo, ms_cmd_zoneinfo, ms_cmd_buddyinfo,
	ms_cmd_oomscore, ms_cmd_oomreport, ms_cmd_slabinfo, ms_cmd_tmpfs, ms_cmd_memcg, ms_cmd_snap, ms_cmd_diff;
extern const struct ms_command ms_cmd_log;
extern const struct ms_command ms_cmd_tasks;
extern const struct ms_command ms_cmd_overcommit;
extern const struct ms_command ms_cmd_pages;
extern const struct ms_command ms_cmd_pipes, ms_cmd_sockstat, ms_cmd_vmallocinfo;

/* In the order the CLI's help lists them. */
const struct ms_command *const ms_commands[] = {
	&ms_cmd_meminfo,
	&ms_cmd_zoneinfo,
	&ms_cmd_buddyinfo,
	&ms_cmd_oomscore,
	&ms_cmd_oomreport,
	&ms_cmd_tasks,
	&ms_cmd_slabinfo,
	&ms_cmd_tmpfs,
	&ms_cmd_memcg,
	&ms_cmd_pipes,
	&ms_cmd_sockstat,
	&ms_cmd_vmallocinfo,
	&ms_cmd_overcommit,
	&ms_cmd_pages,
	&ms_cmd_log,
	&ms_cmd_snap,
	&ms_cmd_diff,
	NULL,
};

const struct ms_command *ms_command_find(const char *name, enum ms_front f)
{
	for (const struct ms_command *const *c = ms_commands; *c; c++)
		if (!strcmp(ms_cmd_name(*c, f), name))
			return *c;
	return NULL;
}

/* ---- parsing ---- */

#define MAX_OPTS	64
#define ID_JSON		1000	/* getopt ids of the common options; */
#define ID_HELP		1001	/* the others are short names or ID_LONG + index */
#define ID_LONG		2000
#define QUOTE_MAX	48	/* of an argument quoted in a message */

/* The common options every command takes in both front ends. */
static const struct option common_longopts[] = {
	{ "json", no_argument, NULL, ID_JSON },
	{ "help", no_argument, NULL, ID_HELP },
};

const char *ms_cmd_quote(char *buf, size_t len, const char *arg)
{
	size_t n = strlen(arg);

	if (n + 3 <= len && n <= QUOTE_MAX)
		snprintf(buf, len, "\"%s\"", arg);
	else
		snprintf(buf, len, "\"%.*s...\"", QUOTE_MAX < (int)len - 6 ? QUOTE_MAX : (int)len - 6,
			 arg);
	return buf;
}

/* An option as help and messages name it: "-n NODE", "--btf FILE". */
static const char *opt_label(char *buf, size_t len, const struct ms_option *o)
{
	int n = o->short_name ? snprintf(buf, len, "-%c", o->short_name) :
				snprintf(buf, len, "--%s", o->long_name);

	if (o->arg && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " %s", o->arg);
	return buf;
}

static struct ms_error *usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static struct ms_error *usage_error(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ms_error_create(MS_ERR_USAGE, "%s", msg);
}

struct ms_error *ms_cmd_usage_error(const struct ms_command *c, char short_name,
				    const char *fmt, ...)
{
	char label[64] = "", msg[256];
	va_list ap;

	for (const struct ms_option *o = c->options; o && (o->short_name || o->long_name); o++)
		if (o->short_name == short_name)
			opt_label(label, sizeof(label), o);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ms_error_create(MS_ERR_USAGE, "%s: %s", label, msg);
}

/* A decimal number with nothing else: no sign, no blank, no trailing byte. */
static bool parse_number(const char *s, long min, long max, long *v)
{
	unsigned long long x;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (*end || errno == ERANGE || x > (unsigned long long)max || (long long)x < min)
		return false;
	*v = (long)x;
	return true;
}

/* Store one option's value. */
static struct ms_error *take(const struct ms_option *o, const char *arg, void *base)
{
	char *dst = (char *)base + o->offset;
	char label[64], q[QUOTE_MAX + 8];
	struct ms_error *err;

	switch (o->type) {
	case MS_OPT_FLAG:
		*(bool *)dst = true;
		return NULL;
	case MS_OPT_CONST:
		*(long *)dst = o->value;
		return NULL;
	case MS_OPT_STRING:
		*(const char **)dst = arg;
		return NULL;
	case MS_OPT_NUMBER:
		if (parse_number(arg, o->min, o->max, (long *)dst))
			return NULL;
		return usage_error("%s: %s is not a number from %ld to %ld",
				   opt_label(label, sizeof(label), o),
				   ms_cmd_quote(q, sizeof(q), arg), o->min, o->max);
	case MS_OPT_CUSTOM:
		err = o->parse(arg, dst);
		if (err)
			err = ms_error_wrap(err, "%s", opt_label(label, sizeof(label), o));
		return err;
	case MS_OPT_HELP:
		return NULL;
	}
	return NULL;
}

/* The getopt tables of the command's options, the binding's and the common ones. */
struct tables {
	char shortopts[4 + 3 * MAX_OPTS];
	struct option longopts[2 * MAX_OPTS + 3];
	const struct ms_option *opt[2 * MAX_OPTS];	/* by position: command's, then extra */
	void *dst[2 * MAX_OPTS];
	int nr;
};

static int opt_id(const struct tables *t, int i)
{
	return t->opt[i]->short_name ? t->opt[i]->short_name : ID_LONG + i;
}

static void add_list(struct tables *t, const struct ms_option *list, void *dst, size_t *ns,
		     size_t *nl)
{
	for (const struct ms_option *o = list; o && (o->short_name || o->long_name); o++) {
		bool arg = o->type == MS_OPT_NUMBER || o->type == MS_OPT_STRING ||
			   o->type == MS_OPT_CUSTOM;

		if (t->nr >= 2 * MAX_OPTS)
			return;
		t->opt[t->nr] = o;
		t->dst[t->nr] = dst;
		if (o->short_name) {
			t->shortopts[(*ns)++] = o->short_name;
			if (arg)
				t->shortopts[(*ns)++] = ':';
		}
		if (o->long_name)
			t->longopts[(*nl)++] = (struct option){ o->long_name,
				arg ? required_argument : no_argument, NULL, opt_id(t, t->nr) };
		t->nr++;
	}
}

static void build_tables(struct tables *t, const struct ms_command *c, const struct ms_parse *p)
{
	size_t ns = 0, nl = 0;

	memset(t, 0, sizeof(*t));
	if (p->stop_at_operand)
		t->shortopts[ns++] = '+';
	t->shortopts[ns++] = ':';	/* ':' for a missing argument, '?' for the rest */
	add_list(t, c ? c->options : NULL, (void *)p->opts.bytes, &ns, &nl);
	add_list(t, p->extra, p->extra_dst, &ns, &nl);
	for (size_t i = 0; i < sizeof(common_longopts) / sizeof(common_longopts[0]); i++)
		t->longopts[nl++] = common_longopts[i];
}

static int find_id(const struct tables *t, int id)
{
	for (int i = 0; i < t->nr; i++)
		if (opt_id(t, i) == id)
			return i;
	return -1;
}

/* What getopt_long's '?' and ':' mean, in words. */
static struct ms_error *getopt_error(const struct tables *t, int c, const char *word)
{
	char q[QUOTE_MAX + 8];
	int i = find_id(t, optopt);
	bool is_long = word && !strncmp(word, "--", 2);
	const char *lname = i >= 0 ? t->opt[i]->long_name :
			    optopt == ID_JSON ? "json" : optopt == ID_HELP ? "help" : NULL;

	if (c == ':') {
		if (is_long && lname)
			return usage_error("option '--%s' requires an argument", lname);
		return usage_error("option requires an argument -- '%c'", optopt);
	}
	if (optopt && is_long && lname)
		return usage_error("option '--%s' doesn't allow an argument", lname);
	if (optopt && !is_long)
		return usage_error("invalid option -- '%c'", optopt);
	return usage_error("unrecognized option %s", ms_cmd_quote(q, sizeof(q), word ? word : ""));
}

/* "-m and -s exclude each other". */
static struct ms_error *check_excludes(const struct ms_command *c, const bool *seen)
{
	for (const char *x = c->excludes; x && x[0] && x[1]; x += 2)
		if (seen[(unsigned char)x[0]] && seen[(unsigned char)x[1]])
			return usage_error("-%c and -%c exclude each other", x[0], x[1]);
	return NULL;
}

static struct ms_error *check_operands(const struct ms_command *c, const struct ms_parse *p)
{
	const struct ms_operands *o = &c->operands[p->front];
	char q[QUOTE_MAX + 8];

	if ((unsigned int)p->argc < o->min)
		return usage_error("missing operand (%s)", o->names);
	if ((unsigned int)p->argc > o->max)
		return usage_error("extra operand %s", ms_cmd_quote(q, sizeof(q), p->argv[o->max]));
	return NULL;
}

static struct ms_error *parse_loop(const struct tables *t, const struct ms_command *c, int argc,
				   char **argv, struct ms_parse *p)
{
	bool seen[256] = { false };
	struct ms_error *err;
	int ch, i;

	while ((ch = getopt_long(argc, argv, t->shortopts, t->longopts, NULL)) != -1) {
		if (ch == '?' || ch == ':')
			return getopt_error(t, ch, optind > 0 && optind <= argc ? argv[optind - 1] :
									     NULL);
		if (ch == ID_JSON) {
			p->json = true;
			continue;
		}
		i = find_id(t, ch);
		if (ch == ID_HELP || (i >= 0 && t->opt[i]->type == MS_OPT_HELP)) {
			p->help = true;
			continue;
		}
		if (i < 0)
			return usage_error("invalid option -- '%c'", ch);
		if (t->opt[i]->short_name)
			seen[(unsigned char)t->opt[i]->short_name] = true;
		err = take(t->opt[i], optarg, t->dst[i]);
		if (err)
			return err;
	}
	p->argc = argc - optind;
	p->argv = argv + optind;
	if (p->help || !c)
		return NULL;
	err = check_excludes(c, seen);
	return err ? err : check_operands(c, p);
}

struct ms_error *ms_cmd_parse(const struct ms_command *c, int argc, char **argv,
			      struct ms_parse *p)
{
	struct tables t;
	struct ms_error *err;
	int saved_opterr = opterr;

	p->help = p->json = false;
	p->argc = 0;
	p->argv = argv + argc;
	memset(p->opts.bytes, 0, sizeof(p->opts.bytes));
	if (c && c->opts_size) {
		if (c->opts_size > sizeof(p->opts.bytes))
			return ms_error_create(MS_ERR_UNSUPPORTED, "%s: options too large", c->name);
		memcpy(p->opts.bytes, c->defaults, c->opts_size);
	}
	build_tables(&t, c, p);
	/* glibc: optind 0 starts afresh (crash ran getopt before us); our messages, not its. */
	optind = 0;
	opterr = 0;
	err = parse_loop(&t, c, argc, argv, p);
	opterr = saved_opterr;
	return err;
}

/* ---- help ---- */

struct lines {
	char **v;
	size_t n, cap;
	bool failed;
};

static void add_line(struct lines *l, char *s)
{
	if (!s || l->failed) {
		free(s);
		l->failed = true;
		return;
	}
	if (l->n + 2 > l->cap) {
		char **v = ms_grow(l->v, &l->cap, l->n + 1, sizeof(*v), 64);

		if (!v) {
			free(s);
			l->failed = true;
			return;
		}
		l->v = v;
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

static char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *str_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !(s = malloc((size_t)n + 1)))
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* s with every '%' doubled: a crash format string that prints s. */
static char *escape_pct(const char *s, size_t len)
{
	char *e = malloc(2 * len + 1), *p = e;

	if (!e)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		*p++ = s[i];
		if (s[i] == '%')
			*p++ = '%';
	}
	*p = '\0';
	return e;
}

static bool has_pct_s(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == '%' && s[i + 1] == 's')
			return true;
	return false;
}

/*
 * A help line for a front end.  crash formats a line that has "%s" (the
 * program name) and prints any other line with a '%' as it is: only a line
 * with a literal "%s" needs its '%'s doubled.
 */
static char *help_line(enum ms_front f, const char *indent, const char *s, size_t len)
{
	char *e, *line;

	if (f != MS_FRONT_CRASH || !has_pct_s(s, len))
		return str_printf("%s%.*s", len ? indent : "", (int)len, s);
	e = escape_pct(s, len);
	line = e ? str_printf("%s%s", indent, e) : NULL;
	free(e);
	return line;
}

/* Each '\n'-separated line of text, indented (empty lines stay empty). */
static void add_text(struct lines *l, enum ms_front f, const char *indent, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		add_line(l, help_line(f, indent, text, len));
		text += len + (nl ? 1 : 0);
	}
}

/* "crash> meminfo -m" (crash's "%s>" prompt), "$ memscope meminfo -m vmcore". */
static void add_prompts(struct lines *l, const struct ms_command *c, enum ms_front f,
			const char *args)
{
	const char *name = ms_cmd_name(c, f);

	while (args) {
		const char *nl = strchr(args, '\n');
		int len = nl ? (int)(nl - args) : (int)strlen(args);
		char *e = f == MS_FRONT_CRASH ? escape_pct(args, (size_t)len) : NULL;

		if (f == MS_FRONT_CRASH)
			add_line(l, e ? str_printf("    %%s> %s%s%s", name, *e ? " " : "", e) : NULL);
		else
			add_line(l, str_printf("    $ memscope %s%s%.*s vmcore", name, len ? " " : "",
					       len, args));
		free(e);
		args = nl ? nl + 1 : NULL;
	}
}

static void add_examples(struct lines *l, const struct ms_command *c, enum ms_front f)
{
	const struct ms_example *e = c->examples;

	if (!e || !e->text)
		return;
	add_line(l, str_printf("%s", ""));
	add_line(l, str_printf("EXAMPLES"));
	for (; e->text; e++) {
		if (e != c->examples)
			add_line(l, str_printf("%s", ""));
		add_text(l, f, "  ", e->text);
		add_line(l, str_printf("%s", ""));
		add_prompts(l, c, f, e->args);
		add_text(l, f, "    ", e->output);
	}
}

const char *ms_cmd_synopsis(const struct ms_command *c, enum ms_front f, char *buf, size_t len)
{
	const char *ops = c->operands[f].names;

	snprintf(buf, len, "%s%s%s", c->synopsis ? c->synopsis : "",
		 c->synopsis && *c->synopsis && ops && *ops ? " " : "", ops ? ops : "");
	if (!*buf)
		snprintf(buf, len, " ");	/* crash: "a space if the command has no arguments" */
	return buf;
}

char **ms_cmd_help_lines(const struct ms_command *c, enum ms_front f, const char *extra)
{
	struct lines l = { 0 };
	char syn[512];
	const char *s = ms_cmd_synopsis(c, f, syn, sizeof(syn));

	add_line(&l, str_printf("%s", ms_cmd_name(c, f)));
	add_line(&l, f == MS_FRONT_CRASH ? escape_pct(c->summary, strlen(c->summary)) :
					   str_printf("%s", c->summary));
	add_line(&l, f == MS_FRONT_CRASH ? escape_pct(s, strlen(s)) : str_printf("%s", s));
	add_text(&l, f, "  ", c->description);
	if (extra) {
		add_line(&l, str_printf("%s", ""));
		add_text(&l, f, "", extra);
	}
	add_examples(&l, c, f);
	if (l.failed) {
		ms_cmd_help_free(l.v);
		return NULL;
	}
	return l.v;
}

void ms_cmd_help_free(char **lines)
{
	for (char **p = lines; p && *p; p++)
		free(*p);
	free(lines);
}

void ms_cmd_help_print(FILE *out, const struct ms_command *c, const char *extra)
{
	char **l = ms_cmd_help_lines(c, MS_FRONT_CLI, extra);

	if (!l)
		return;
	fprintf(out, "NAME\n  %s - %s\n\nSYNOPSIS\n  memscope %s %s\n\nDESCRIPTION\n", l[0], l[1],
		l[0], l[2]);
	for (char **p = l + 3; *p; p++)
		fprintf(out, "%s\n", *p);
	ms_cmd_help_free(l);
}

/* ---- the table as data, for tests ---- */

static const char *const type_names[] = {
	[MS_OPT_FLAG] = "flag", [MS_OPT_NUMBER] = "number", [MS_OPT_CONST] = "flag",
	[MS_OPT_STRING] = "string", [MS_OPT_CUSTOM] = "custom", [MS_OPT_HELP] = "help",
};

static json_t *options_json(const struct ms_option *list)
{
	json_t *a = json_array();

	for (const struct ms_option *o = list; o && (o->short_name || o->long_name); o++) {
		char s[2] = { o->short_name, 0 };
		json_t *j = json_pack("{s:s?, s:s?, s:s?, s:s}", "short", o->short_name ? s : NULL,
				      "long", o->long_name, "arg", o->arg, "type", type_names[o->type]);

		if (o->type == MS_OPT_NUMBER) {
			json_object_set_new(j, "min", json_integer(o->min));
			json_object_set_new(j, "max", json_integer(o->max));
		}
		json_array_append_new(a, j);
	}
	return a;
}

static json_t *operands_json(const struct ms_operands *o)
{
	return json_pack("{s:s, s:i, s:i}", "names", o->names ? o->names : "", "min", (int)o->min,
			 "max", (int)o->max);
}

json_t *ms_commands_json(const struct ms_option *cli_extra)
{
	json_t *cmds = json_array();

	for (const struct ms_command *const *c = ms_commands; *c; c++) {
		json_t *ex = json_array();
		char syn[2][512];

		for (const char *x = (*c)->excludes; x && x[0] && x[1]; x += 2)
			json_array_append_new(ex, json_pack("[s#, s#]", x, 1, x + 1, 1));
		json_array_append_new(cmds, json_pack(
			"{s:s, s:s, s:o, s:o, s:b, s:I, s:{s:o, s:o}}",
			"crash", (*c)->name, "cli", ms_cmd_name(*c, MS_FRONT_CLI),
			"options", options_json((*c)->options), "excludes", ex,
			"opens_own_inputs", (*c)->opens_own_inputs, "schema_version",
			(json_int_t)ms_cmd_json_version(*c), "operands",
			"crash", operands_json(&(*c)->operands[MS_FRONT_CRASH]),
			"cli", operands_json(&(*c)->operands[MS_FRONT_CLI])));
		json_object_set_new(json_array_get(cmds, json_array_size(cmds) - 1), "synopsis",
				    json_pack("{s:s, s:s}", "crash",
					      ms_cmd_synopsis(*c, MS_FRONT_CRASH, syn[0], sizeof(syn[0])),
					      "cli", ms_cmd_synopsis(*c, MS_FRONT_CLI, syn[1],
								     sizeof(syn[1]))));
	}
	return json_pack("{s:o, s:o, s:[s, s]}", "commands", cmds, "cli_options",
			 options_json(cli_extra), "common", "json", "help");
}

/* ---- what commands share ---- */

void ms_cmd_report(struct ms_cmd_ctx *ctx, struct ms_error *err)
{
	ctx->failed = true;
	if (ctx->report)
		ctx->report(ctx, err);
	else
		ms_error_destroy(err);
}

void ms_cmd_progress(struct ms_cmd_ctx *ctx, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	if (!ctx->progress)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	ctx->progress(ctx, what);
}

void ms_cmd_progress_done(struct ms_cmd_ctx *ctx)
{
	if (ctx->progress_done)
		ctx->progress_done(ctx);
}

void ms_cmd_json_out(struct ms_cmd_ctx *ctx, json_t *j, size_t flags)
{
	json_t *v = ctx->cmd && json_is_object(j) ?
		json_pack("{s:I}", "schema_version", (json_int_t)ms_cmd_json_version(ctx->cmd)) : NULL;

	/* schema_version first, then the document's keys in their order (a new
	 * object: jansson has no insertion at the front); the table's version,
	 * whatever the document said. */
	if (v && !json_object_update(v, j) &&
	    !json_object_set_new(v, "schema_version",
				 json_integer((json_int_t)ms_cmd_json_version(ctx->cmd)))) {
		json_decref(j);
		j = v;
	} else {
		json_decref(v);
	}
	json_dumpf(j, ctx->out, flags);
	fputc('\n', ctx->out);
	json_decref(j);
}

/* A file whose first non-blank byte is '{' is a snapshot; anything else a dump.
 * Opened without blocking, and only a regular file or a block device (a FIFO
 * with no writer would block open(2) forever). */
static struct ms_error *is_snapshot(const char *path, bool *snapshot)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK);
	struct stat st;
	FILE *f;
	int ch;

	if (fd < 0)
		return ms_error_create(MS_ERR_IO, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
		close(fd);
		return ms_error_create(MS_ERR_IO, "%s: not a regular file or a block device", path);
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return ms_error_create(MS_ERR_IO, "%s: %s", path, strerror(errno));
	}
	while ((ch = fgetc(f)) != EOF && isspace(ch))
		;
	fclose(f);
	*snapshot = ch == '{';
	return NULL;
}

/* The snapshot of the dump at path, made by the binding. */
static struct ms_error *snapshot_of_dump(struct ms_cmd_ctx *ctx, const char *path, json_t **snap)
{
	struct ms_standalone *s;
	struct ms_target *t;
	struct ms_error *err;

	if (ctx->snapshot_dump)
		return ctx->snapshot_dump(ctx, path, snap);
	if (!ctx->open_dump)
		return ms_error_create(MS_ERR_UNSUPPORTED, "%s: no dump can be opened here", path);
	err = ctx->open_dump(ctx, path, &s, &t);
	if (err)
		return err;
	ms_cmd_progress(ctx, "%s: building the snapshot", path);
	err = ms_snapshot_build(t, snap);
	ctx->close_dump(ctx, path, s);
	return ms_error_wrap(err, "%s", path);
}

struct ms_error *ms_cmd_snapshot_of(struct ms_cmd_ctx *ctx, const char *path, json_t **snap)
{
	struct ms_error *err;
	bool snapshot = false;

	*snap = NULL;
	err = is_snapshot(path, &snapshot);
	if (err)
		return err;
	if (snapshot)
		return ms_snapshot_load(path, snap);
	return snapshot_of_dump(ctx, path, snap);
}

struct ms_error *ms_cmd_snapshot_read(struct ms_cmd_ctx *ctx, const char *path,
				      struct ms_snapshot *s)
{
	struct ms_error *err;
	bool snapshot = false;
	json_t *snap = NULL;

	err = is_snapshot(path, &snapshot);
	if (!err && snapshot)
		return ms_snapshot_read(path, s);	/* never one JSON tree (issue #14) */
	if (!err)
		err = snapshot_of_dump(ctx, path, &snap);	/* a dump: looked at once */
	if (!err) {
		err = ms_snapshot_of_json(snap, s);
		json_decref(snap);
	}
	return err;
}
