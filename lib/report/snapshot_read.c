/*
 * snapshot_read.c - a snapshot file read into struct ms_snapshot without
 * ever holding it as one jansson tree (issue #14: a 185 MB snapshot took
 * 4.7 GB that way).  The top-level object is walked key by key, each
 * section decoded as one value with JSON_DISABLE_EOF_CHECK (the decoder
 * says in json_error_t.position where the value ended); the row arrays
 * (commands, slab.caches, tmpfs, processes) are walked element by element,
 * each element checked against the schema and kept as a compact row.
 * A top-level key given twice is refused here, one inside an element by
 * JSON_REJECT_DUPLICATES; jansson bounds the nesting of each value.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapshot.h"

static const char *const command_fields[] = { "processes", "threads", "anon_kb", "file_kb",
					      "shmem_kb", "pgtables_kb", "kstack_kb",
					      "anon_unsynced_kb", NULL };
static const char *const cache_fields[] = { "kb", NULL };
static const char *const tmpfs_fields[] = { "used_kb", "unmapped_kb", NULL };

static void snapshot_init(struct ms_snapshot *s)
{
	s->doc = NULL;
	ms_snaprows_init(&s->commands, "comm", command_fields);
	ms_snaprows_init(&s->caches, "name", cache_fields);
	ms_snaprows_init(&s->tmpfs, "mount", tmpfs_fields);
}

void ms_snapshot_fini(struct ms_snapshot *s)
{
	json_decref(s->doc);
	s->doc = NULL;
	ms_snaprows_fini(&s->commands);
	ms_snaprows_fini(&s->caches);
	ms_snaprows_fini(&s->tmpfs);
}

static struct ms_error *seal(struct ms_snapshot *s)
{
	struct ms_error *err = ms_snaprows_seal(&s->commands);

	if (!err)
		err = ms_snaprows_seal(&s->caches);
	if (!err)
		err = ms_snaprows_seal(&s->tmpfs);
	return err;
}

struct ms_error *ms_snapshot_of_json(json_t *snap, struct ms_snapshot *s)
{
	struct ms_error *err;

	snapshot_init(s);
	s->doc = json_incref(snap);
	err = ms_snaprows_from_json(&s->commands, json_object_get(snap, "commands"));
	if (!err)
		err = ms_snaprows_from_json(&s->caches,
					    json_object_get(json_object_get(snap, "slab"), "caches"));
	if (!err)
		err = ms_snaprows_from_json(&s->tmpfs, json_object_get(snap, "tmpfs"));
	if (err)
		ms_snapshot_fini(s);
	return err;
}

struct reader {
	const char *name;	/* the file, for errors */
	const char *buf;
	size_t len, pos;
	struct ms_snapshot *s;
	unsigned int streamed;	/* the row sections read into tables (bits) */
};

/* The line pos is on, for errors only. */
static int line_of(const struct reader *r, size_t pos)
{
	int line = 1;

	for (size_t i = 0; i < pos && i < r->len; i++)
		line += r->buf[i] == '\n';
	return line;
}

static struct ms_error *syntax(const struct reader *r, const char *what)
{
	return ms_error_create(MS_ERR_CORRUPT, "%s: line %d: %s", r->name, line_of(r, r->pos),
			       what);
}

/* The next character past JSON whitespace, or -1 at the end. */
static int peek(struct reader *r)
{
	while (r->pos < r->len && r->buf[r->pos] && strchr(" \t\r\n", r->buf[r->pos]))
		r->pos++;
	return r->pos < r->len ? (unsigned char)r->buf[r->pos] : -1;
}

/* One JSON value at r->pos into *v, r->pos moved past it. */
static struct ms_error *decode(struct reader *r, json_t **v)
{
	json_error_t jerr;

	*v = json_loadb(r->buf + r->pos, r->len - r->pos,
			JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &jerr);
	if (!*v) {
		if (json_error_code(&jerr) == json_error_out_of_memory)
			return &ms_error_nomem;
		return ms_error_create(MS_ERR_CORRUPT, "%s: line %d: %s", r->name,
				       line_of(r, r->pos) + jerr.line - 1, jerr.text);
	}
	r->pos += (size_t)jerr.position;
	return NULL;
}

/* Where a row section's elements go: a table, or nowhere (checked only). */
struct rows_section {
	const char *const where[3];	/* its key path */
	const char *name_key;		/* what names a row */
	size_t table;			/* offsetof its table in struct ms_snapshot, or 0 */
	unsigned int bit;		/* its bit in reader.streamed */
};

static const struct rows_section commands_s = { { "commands", NULL }, "comm",
	offsetof(struct ms_snapshot, commands), 1 };
static const struct rows_section caches_s = { { "slab", "caches", NULL }, "name",
	offsetof(struct ms_snapshot, caches), 2 };
static const struct rows_section tmpfs_s = { { "tmpfs", NULL }, "mount",
	offsetof(struct ms_snapshot, tmpfs), 4 };
static const struct rows_section processes_s = { { "processes", NULL }, "comm", 0, 8 };

/* A row array, r->pos at its '[': each element checked (schema, then its
 * name as ms_snapshot_validate() wants it) and added to its table. */
static struct ms_error *read_rows(struct reader *r, const struct rows_section *sect)
{
	struct ms_snaprows *table = sect->table ? (struct ms_snaprows *)((char *)r->s + sect->table) :
				    NULL;
	const char *name_key = sect->name_key;
	struct ms_error *err;
	size_t i = 0;
	json_t *elem;
	int c;

	r->streamed |= sect->bit;
	r->pos++;	/* '[' */
	if (peek(r) == ']') {
		r->pos++;
		return NULL;
	}
	for (;; i++) {
		peek(r);
		err = decode(r, &elem);
		if (err)
			return err;
		err = ms_snapshot_check_element(sect->where, i, elem);
		if (!err && !json_is_string(json_object_get(elem, name_key)))
			err = ms_error_create(MS_ERR_CORRUPT, "not a memscope snapshot: a list "
					      "(commands, tmpfs, processes, nodes, slab.caches) is "
					      "malformed");
		if (err) {
			/* "...: what is wrong (path)", as ms_snapshot_load() says it. */
			struct ms_error *bad = ms_error_create(err->code, "%s (%s)",
							       ms_error_string(err), r->name);

			ms_error_destroy(err);
			err = bad;
		}
		if (!err && table)
			err = ms_snaprows_add(table, elem);
		json_decref(elem);
		if (err)
			return err;
		c = peek(r);
		if (c == ']') {
			r->pos++;
			return NULL;
		}
		if (c != ',')
			return syntax(r, c < 0 ? "the file ends inside an array" :
					 "',' or ']' expected in an array");
		r->pos++;
	}
}

/* What a key of the object at level (0: the top, 1: "slab") holds: a row
 * section read element by element, or NULL (one value). */
static const struct rows_section *rows_of(int level, const char *key)
{
	if (level == 1)
		return strcmp(key, "caches") ? NULL : &caches_s;
	if (!strcmp(key, "commands"))
		return &commands_s;
	if (!strcmp(key, "tmpfs"))
		return &tmpfs_s;
	if (!strcmp(key, "processes"))
		return &processes_s;
	return NULL;
}

/* An object, r->pos at its '{', into *into (a new object) key by key: the top
 * level (level 0) or "slab" (level 1), whose row arrays go to the tables. */
static struct ms_error *read_object(struct reader *r, int level, json_t **into)
{
	struct ms_error *err = NULL;
	json_t *obj = json_object(), *key = NULL, *v;
	int c;

	*into = NULL;
	if (!obj)
		return &ms_error_nomem;
	r->pos++;	/* '{' */
	if (peek(r) == '}') {
		r->pos++;
		*into = obj;
		return NULL;
	}
	for (;;) {
		const struct rows_section *rows;
		const char *k;

		if (peek(r) != '"') {
			err = syntax(r, "a string (an object key) expected");
			break;
		}
		err = decode(r, &key);
		if (err)
			break;
		k = json_string_value(key);
		/* What JSON_REJECT_DUPLICATES says of a key given twice in one value. */
		if (json_object_get(obj, k)) {
			err = ms_error_create(MS_ERR_CORRUPT, "%s: line %d: duplicate object key "
					      "near '\"%s\"'", r->name, line_of(r, r->pos), k);
			break;
		}
		if (peek(r) != ':') {
			err = syntax(r, "':' expected after an object key");
			break;
		}
		r->pos++;
		c = peek(r);
		rows = rows_of(level, k);
		v = NULL;
		if (rows && c == '[') {
			/* Its rows are in a table: the key stays, to refuse it twice,
			 * until drop_row_keys(). */
			err = read_rows(r, rows);
			if (!err && !(v = json_null()))
				err = &ms_error_nomem;
		} else if (level == 0 && !strcmp(k, "slab") && c == '{') {
			err = read_object(r, 1, &v);
		} else {
			err = decode(r, &v);	/* anything else: the schema judges it */
		}
		if (!err && json_object_set_new(obj, k, v))
			err = &ms_error_nomem;
		json_decref(key);
		key = NULL;
		if (err)
			break;
		c = peek(r);
		if (c == '}') {
			r->pos++;
			*into = obj;
			return NULL;
		}
		if (c != ',') {
			err = syntax(r, c < 0 ? "the file ends inside an object" :
					 "',' or '}' expected in an object");
			break;
		}
		r->pos++;
	}
	json_decref(key);
	json_decref(obj);
	return err;
}

/* The keys that stood for row arrays dropped from the document: the schema
 * and the diff find the rows in the tables. */
static void drop_row_keys(json_t *doc, unsigned int streamed)
{
	static const struct rows_section *const top[] = { &commands_s, &tmpfs_s, &processes_s };

	for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++)
		if (streamed & top[i]->bit)
			json_object_del(doc, top[i]->where[0]);
	if (streamed & caches_s.bit)
		json_object_del(json_object_get(doc, "slab"), "caches");
}

struct ms_error *ms_snapshot_read_buf(const char *name, const char *buf, size_t len,
				      struct ms_snapshot *s)
{
	struct reader r = { name, buf, len, 0, s, 0 };
	struct ms_error *err = NULL, *bad;

	const char *nul = memchr(buf, '\0', len);

	snapshot_init(s);
	/* Not JSON anywhere; jansson skips one after a number without counting
	 * it in json_error_t.position, which would lose the reader its place. */
	if (nul) {
		r.pos = (size_t)(nul - buf);
		return syntax(&r, "a NUL byte, which JSON text never holds");
	}
	if (len > INT_MAX)	/* json_error_t.position is an int */
		return ms_error_create(MS_ERR_CORRUPT, "%s: larger than 2 GiB, more than any "
				       "snapshot", name);
	if (peek(&r) != '{')
		err = ms_error_create(MS_ERR_CORRUPT, "not a memscope snapshot: not a JSON object "
				      "(%s)", name);
	if (!err)
		err = read_object(&r, 0, &s->doc);
	if (!err && peek(&r) >= 0)
		err = syntax(&r, "end of file expected");
	if (!err) {
		drop_row_keys(s->doc, r.streamed);
		err = ms_snapshot_validate(s->doc);
		if (err) {
			/* "...: what is wrong (path)", as ms_snapshot_load() says it. */
			bad = ms_error_create(err->code, "%s (%s)", ms_error_string(err), name);
			ms_error_destroy(err);
			err = bad;
		}
	}
	if (!err)
		err = seal(s);
	if (err)
		ms_snapshot_fini(s);
	return err;
}

struct ms_error *ms_snapshot_read(const char *path, struct ms_snapshot *s)
{
	struct ms_error *err;
	struct stat st;
	size_t len = 0;
	char *buf;
	int fd;

	snapshot_init(s);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return ms_error_create(MS_ERR_IO, "unable to open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return ms_error_create(MS_ERR_IO, "%s: not a regular file", path);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return &ms_error_nomem;
	}
	while (len < (size_t)st.st_size) {
		ssize_t got = read(fd, buf + len, (size_t)st.st_size - len);

		if (got <= 0) {
			if (got < 0 && errno == EINTR)
				continue;
			break;	/* shrank while read: what was read is judged */
		}
		len += (size_t)got;
	}
	close(fd);
	err = ms_snapshot_read_buf(path, buf, len, s);
	free(buf);	/* the file's text is no longer held: the tables are */
	return err;
}
