/*
 * second_dump.c - another dump of the same kernel build, for memdiff:
 * libkdumpfile reads its memory, crash's debug info answers type questions
 * (same vmlinux), and symbol addresses are moved by the difference of the
 * two dumps' KASLR offsets (standalone.c does it).
 *
 * The file is the user's, not crash's: whatever it holds must not take crash
 * down (issue #14: a crafted kdump header killed crash inside libkdumpfile,
 * a PAGESIZE=0000 spun it at 100% CPU).  So the dump is opened and its
 * snapshot built in a forked child, which hands the snapshot back as JSON on
 * a pipe; crash only parses and checks that JSON.  A child that dies, spins
 * past CHILD_TIMEOUT or says nothing is an error message, and crash goes on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "defs.h"

#include <poll.h>
#include <sys/wait.h>
#include <time.h>

#include "memscope_ext.h"
#include "second_dump.h"
#include "snapshot.h"

#define CHILD_TIMEOUT_S 600		/* a 16 GiB dump's snapshot takes ~0.3 s */
#define MAX_SNAPSHOT (1ul << 30)	/* the 16 GiB guest's is ~1 MB */

/* libkdumpfile's name of crash's machine type. */
static const char *kdump_arch(void)
{
	if (machine_type("X86_64"))
		return "x86_64";
	if (machine_type("ARM64"))
		return "aarch64";
	if (machine_type("PPC64"))
		return "ppc64";
	if (machine_type("S390X"))
		return "s390x";
	return NULL;
}

struct ms_error *ms_crash_open_dump(const char *path, struct ms_standalone **out)
{
	struct ms_standalone_opts o = {
		.arch = kdump_arch(),
		.types = ms_crash_ops(),
		.types_ctx = NULL,
		.expect_release = kt->utsname.release,
		.errf = fp,
	};

	return ms_standalone_open(path, &o, out);
}

/* ---- the child ---- */

static void write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

/* "S" and the snapshot's JSON, or "E", the error's code and text. */
static void child_answer(int fd, json_t *snap, struct ms_error *err)
{
	char *text = snap ? json_dumps(snap, JSON_COMPACT) : NULL;

	if (!err && !text)
		err = &ms_error_nomem;
	if (err) {
		char code = (char)('0' + err->code);

		write_all(fd, "E", 1);
		write_all(fd, &code, 1);
		write_all(fd, ms_error_string(err), strlen(ms_error_string(err)));
	} else {
		write_all(fd, "S", 1);
		write_all(fd, text, strlen(text));
	}
	free(text);
}

/*
 * In the child: crash's own signal handlers and error recovery would take
 * the child back into crash's command loop (reading crash's stdin), so
 * faults kill it instead, a longjmp to crash's loop ends it, and its stdin
 * is /dev/null.  It never returns.
 */
static void child(int fd, const char *path)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGINT, SIGPIPE,
				    SIGTERM };
	struct ms_standalone *s = NULL;
	struct ms_error *err;
	json_t *snap = NULL;
	int null;

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	null = open("/dev/null", O_RDONLY);
	if (null >= 0)
		dup2(null, 0);
	if (setjmp(pc->main_loop_env)) {
		fflush(fp);
		_exit(3);
	}
	/* The tests' stand-in for a file that kills its reader after every
	 * check passed (tests/vmcore/test_hostile.py): crash must go on. */
	if (getenv("MEMSCOPE_TEST_CHILD_SIGNAL"))
		raise(atoi(getenv("MEMSCOPE_TEST_CHILD_SIGNAL")));
	err = ms_crash_open_dump(path, &s);
	if (!err) {
		char note[256];

		err = ms_error_wrap(ms_snapshot_build(ms_standalone_target(s), &snap), "%s", path);
		if (ms_standalone_missing_note(s, note, sizeof(note)))
			fprintf(fp, "memdiff: BEFORE: %s\n", note);
	}
	child_answer(fd, snap, err);
	fflush(fp);
	_exit(err ? 1 : 0);
}

/* ---- crash's side ---- */

/* All the child writes, until it closes the pipe or the deadline passes. */
static struct ms_error *read_answer(int fd, char **buf, size_t *len)
{
	time_t deadline = time(NULL) + CHILD_TIMEOUT_S;
	size_t cap = 1 << 16;

	*len = 0;
	*buf = malloc(cap);
	if (!*buf)
		return &ms_error_nomem;
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		time_t now = time(NULL);
		ssize_t n;
		int r;

		if (now >= deadline)
			return ms_error_create(MS_ERR_CORRUPT, "reading the dump took over %d s: "
					       "stopped", CHILD_TIMEOUT_S);
		r = poll(&p, 1, (int)(deadline - now) * 1000);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		if (*len == cap) {
			char *more = cap < MAX_SNAPSHOT ? realloc(*buf, cap * 2) : NULL;

			if (!more)
				return ms_error_create(MS_ERR_CORRUPT, "the dump's snapshot is over "
						       "%zu bytes", cap);
			*buf = more;
			cap *= 2;
		}
		n = read(fd, *buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		*len += (size_t)n;
	}
}

/* How the child ended, as a sentence fragment. */
static void child_end(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
}

/* The child's answer as a snapshot, or the error it or its end says. */
static struct ms_error *parse_answer(const char *path, char *buf, size_t len, int status,
				     json_t **snap)
{
	struct ms_error *err;
	json_error_t jerr;
	char end[96];

	child_end(status, end, sizeof(end));
	if (len && buf[0] == 'E' && len >= 2) {
		enum ms_error_code code = (unsigned char)(buf[1] - '0') < MS_ERR_NR ?
					  (enum ms_error_code)(buf[1] - '0') : MS_ERR_CORRUPT;

		return ms_error_create(code, "%.*s", (int)(len - 2), buf + 2);
	}
	if (!len || buf[0] != 'S' || !(WIFEXITED(status) && !WEXITSTATUS(status)))
		return ms_error_create(MS_ERR_CORRUPT, "%s: the process reading it %s before it "
				       "answered (a corrupt dump?); crash is unharmed", path, end);
	*snap = json_loadb(buf + 1, len - 1, JSON_REJECT_DUPLICATES, &jerr);
	if (!*snap)
		return ms_error_create(MS_ERR_CORRUPT, "%s: its snapshot is no JSON: %s", path,
				       jerr.text);
	err = ms_snapshot_validate(*snap);
	if (err) {
		json_decref(*snap);
		*snap = NULL;
	}
	return ms_error_wrap(err, "%s", path);
}

struct ms_error *ms_crash_snapshot_dump(const char *path, json_t **snap)
{
	struct ms_error *err;
	int pipefd[2], status = 0;
	size_t len = 0;
	char *buf = NULL;
	pid_t pid;

	*snap = NULL;
	if (pipe(pipefd))
		return ms_error_lib(MS_ERR_IO, strerror(errno), "memdiff: cannot make a pipe");
	fflush(fp);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return ms_error_lib(MS_ERR_IO, strerror(errno), "memdiff: cannot fork");
	}
	if (!pid) {
		close(pipefd[0]);
		child(pipefd[1], path);
	}
	close(pipefd[1]);
	err = read_answer(pipefd[0], &buf, &len);
	close(pipefd[0]);
	if (err)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!err)
		err = parse_answer(path, buf, len, status, snap);
	free(buf);
	return err;
}
