/*
 * manual.c - memscope(1) and the bash completion, written from the command
 * table and the CLI's own options: `memscope --man` and `memscope
 * --bash-completion` (hidden; the Makefile writes build/memscope.1 and
 * build/memscope.bash with them), so neither can drift from --help.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "command.h"

/* The UTF-8 sequence at s (at most len bytes) as a code point, its length in
 * *n; 0 if it is not one (the byte is then written as it is). */
static unsigned long utf8(const unsigned char *s, size_t len, size_t *n)
{
	size_t need = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
	unsigned long cp;

	if (!need || need > len)
		return 0;
	cp = s[0] & (0x3f >> (need - 1));
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	*n = need;
	return cp;
}

/* roff: a backslash as \e, a '-' as \- (a real minus, so that searching the
 * page for an option finds it), a line starting with '.' or '\'' kept text,
 * other than ASCII as \[uXXXX] (troff reads its input as Latin-1). */
static void roff_text(FILE *out, const char *s, size_t len)
{
	if (len && (s[0] == '.' || s[0] == '\''))
		fputs("\\&", out);
	for (size_t i = 0, n; i < len; i++) {
		unsigned long cp = (unsigned char)s[i] >= 0x80 ?
			utf8((const unsigned char *)s + i, len - i, &n) : 0;

		if (cp) {
			fprintf(out, "\\[u%04lX]", cp);
			i += n - 1;
		} else if (s[i] == '\\')
			fputs("\\e", out);
		else if (s[i] == '-')
			fputs("\\-", out);
		else
			fputc(s[i], out);
	}
}

static void roff_line(FILE *out, const char *s)
{
	roff_text(out, s, strlen(s));
	fputc('\n', out);
}

/* Text kept as --help lays it out (its option lists are aligned columns). */
static void roff_block(FILE *out, const char *text)
{
	fputs(".nf\n", out);
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		roff_text(out, text, len);
		fputc('\n', out);
		text += len + (nl ? 1 : 0);
	}
	fputs(".fi\n", out);
}

static void roff_lines(FILE *out, char *const *lines)
{
	fputs(".nf\n", out);
	for (char *const *p = lines; *p; p++)
		roff_line(out, *p);
	fputs(".fi\n", out);
}

static void man_command(FILE *out, const struct ms_command *c)
{
	char **l = ms_cmd_help_lines(c, MS_FRONT_CLI, NULL);
	const char *name = ms_cmd_name(c, MS_FRONT_CLI);

	if (!l)
		return;
	fputs(".SS \"", out);
	roff_text(out, name, strlen(name));
	fputs("\"\n", out);
	roff_line(out, l[1]);
	fputs(".PP\n.B memscope ", out);
	roff_text(out, name, strlen(name));
	fputc('\n', out);
	roff_line(out, l[2]);
	fputs(".RS 2\n", out);
	roff_lines(out, l + 3);
	fputs(".RE\n", out);
	if (c->name != name && strcmp(c->name, name)) {
		fputs(".PP\nIn crash: ", out);
		roff_text(out, c->name, strlen(c->name));
		fputs(".\n", out);
	}
	ms_cmd_help_free(l);
}

void cli_man_page(FILE *out, const struct cli_texts *t)
{
	fprintf(out, ".\\\" memscope(1), written by `memscope --man` from its command table.\n"
		".TH MEMSCOPE 1 \"\" \"memscope %s\" \"User Commands\"\n"
		".SH NAME\nmemscope \\- where did the memory go, from a Linux kernel crash dump\n"
		".SH SYNOPSIS\n"
		".B memscope\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fICOMMAND OPTIONS\\fR] \\fIDUMP\\fR\n"
		".br\n.B memscope\n[\\fIOPTIONS\\fR] \\fIDUMP\\fR...\n"
		".SH DESCRIPTION\n", t->version);
	roff_block(out, t->intro);
	fputs(".PP\n", out);
	roff_block(out, t->batch);
	fputs(".SH OPTIONS\n", out);
	roff_block(out, t->dump_options);
	roff_block(out, t->common_options);
	fputs(".SH COMMANDS\n", out);
	for (const struct ms_command *const *c = ms_commands; *c; c++)
		man_command(out, *c);
	fputs(".SH \"JSON OUTPUT\"\n", out);
	roff_block(out, t->json);
	fputs(".SH \"EXIT STATUS\"\n", out);
	fprintf(out, ".TP\n.B %d\ndone.\n.TP\n.B %d\na dump could not be opened or analysed, "
		"or an answer is partial (the reason is on standard error).\n"
		".TP\n.B %d\nbad usage: an unknown command or option, a bad argument.\n",
		CLI_OK, CLI_FAIL, CLI_USAGE);
	fputs(".SH DIAGNOSTICS\n", out);
	roff_block(out, t->streams);
	fputs(".SH ENVIRONMENT\n", out);
	roff_block(out, t->environment);
	fputs(".SH EXAMPLES\n", out);
	roff_block(out, t->examples);
	fputs(".SH \"SEE ALSO\"\n.BR crash (8),\n.BR makedumpfile (8),\n.BR jq (1)\n", out);
}

/* ---- bash ---- */

/* The words of an option list: "-k --vmlinux --dwarf ...". */
static void option_words(FILE *out, const struct ms_option *list, const char *const *hidden)
{
	for (const struct ms_option *o = list; o && (o->short_name || o->long_name); o++) {
		bool skip = false;

		for (const char *const *h = hidden; h && *h; h++)
			skip |= o->long_name && !strcmp(o->long_name, *h);
		if (skip)
			continue;
		if (o->short_name)
			fprintf(out, " -%c", o->short_name);
		if (o->long_name)
			fprintf(out, " --%s", o->long_name);
	}
}

/* The options of a list that take an argument, file names (FILE) or other words. */
static void arg_words(FILE *out, const struct ms_option *list, bool file)
{
	for (const struct ms_option *o = list; o && (o->short_name || o->long_name); o++) {
		if (!o->arg || (strcmp(o->arg, "FILE") == 0) != file)
			continue;
		if (o->short_name)
			fprintf(out, " -%c", o->short_name);
		if (o->long_name)
			fprintf(out, " --%s", o->long_name);
	}
}

static void arg_vars(FILE *out, const char *indent, const struct ms_option *list)
{
	fprintf(out, "%sfileargs+=\"", indent);
	arg_words(out, list, true);
	fprintf(out, "\"\n%swordargs+=\"", indent);
	arg_words(out, list, false);
	fputs("\"\n", out);
}

void cli_bash_completion(FILE *out, const struct cli_texts *t)
{
	fputs("# bash completion for memscope(1), written by `memscope --bash-completion`\n"
	      "# from its command table.\n"
	      "# SPDX-License-Identifier: GPL-2.0-or-later\n\n"
	      "_memscope()\n{\n"
	      "\tlocal cur prev words cword\n"
	      "\t_init_completion || return\n\n"
	      "\tlocal commands=\"", out);
	for (const struct ms_command *const *c = ms_commands; *c; c++)
		fprintf(out, "%s%s", c == ms_commands ? "" : " ", ms_cmd_name(*c, MS_FRONT_CLI));
	fputs("\"\n\tlocal opts=\"", out);
	option_words(out, t->options, t->hidden);
	fputs(" --json --help\"\n\tlocal fileargs= wordargs=\n", out);
	arg_vars(out, "\t", t->options);
	fputs("\n\tlocal cmd= i\n"
	      "\tfor ((i = 1; i < cword; i++)); do\n"
	      "\t\tcase \" $commands \" in *\" ${words[i]} \"*) cmd=${words[i]}; break ;; esac\n"
	      "\tdone\n\n"
	      "\tcase $cmd in\n", out);
	for (const struct ms_command *const *c = ms_commands; *c; c++) {
		fprintf(out, "\t%s)\n\t\topts+=\"", ms_cmd_name(*c, MS_FRONT_CLI));
		option_words(out, (*c)->options, NULL);
		fputs("\"\n", out);
		arg_vars(out, "\t\t", (*c)->options);
		fputs("\t\t;;\n", out);
	}
	fputs("\tesac\n\n"
	      "\t# An option's argument: a file name for a FILE, nothing to offer for a word.\n"
	      "\tcase \" $fileargs \" in *\" $prev \"*) _filedir; return ;; esac\n"
	      "\tcase \" $wordargs \" in *\" $prev \"*) return ;; esac\n\n"
	      "\tif [[ $cur == -* ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
	      "\t\treturn\n\tfi\n"
	      "\t# Before a command: a command name or a dump (batch mode); after: dumps.\n"
	      "\tif [[ -z $cmd ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))\n"
	      "\tfi\n"
	      "\t_filedir\n"
	      "} &&\n\tcomplete -F _memscope memscope\n", out);
}
