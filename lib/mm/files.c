/*
 * files.c - a task's open files, walked as fs/proc/fd.c's proc_readfd_common()
 * and the kernel's files_lookup_fd_rcu() do: task->files->fdt, then
 * fdt->fd[0 .. max_fds-1], each non-NULL entry a struct file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"

#define CHUNK 256			/* fd[] pointers read at a time */

struct files_layout {
	bool ok;
	long task_files, fdt, max_fds, fd;
	long f_inode, private_data;
	long i_mode, i_mode_size, i_ino;
};

static struct ms_error *layout(struct ms_target *t, struct files_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->task_files = ms_member_offset(t, "task_struct", "files");
	l->fdt = ms_member_offset(t, "files_struct", "fdt");
	l->max_fds = ms_member_offset(t, "fdtable", "max_fds");
	l->fd = ms_member_offset(t, "fdtable", "fd");
	l->f_inode = ms_member_offset(t, "file", "f_inode");
	l->private_data = ms_member_offset(t, "file", "private_data");
	l->i_mode = ms_member_offset(t, "inode", "i_mode");
	l->i_mode_size = ms_member_size(t, "inode", "i_mode");
	l->i_ino = ms_member_offset(t, "inode", "i_ino");
	if (l->task_files < 0 || l->fdt < 0 || l->max_fds < 0 || l->fd < 0 || l->f_inode < 0 ||
	    l->private_data < 0 || l->i_mode < 0 || l->i_ino < 0 || l->i_mode_size <= 0)
		return ms_error_create(MS_ERR_LOOKUP, "no layout of task_struct.files, files_struct."
				       "fdt, fdtable.max_fds/fd, file.f_inode/private_data or "
				       "inode.i_mode/i_ino");
	l->ok = true;
	return NULL;
}

static void note(bool *complete, char *why, size_t len, struct ms_error *err, unsigned int fd)
{
	if (*complete && why && len)
		snprintf(why, len, "fd %u: %s", fd, ms_error_string(err));
	*complete = false;
	ms_error_destroy(err);
}

struct ms_error *ms_task_files(struct ms_target *t, uint64_t task, ms_file_fn fn, void *arg,
			       bool *complete, char *why, size_t why_len)
{
	struct files_layout l;
	uint64_t files, fdt, fdarr, max;
	uint32_t max_fds;
	uint64_t ptrs[CHUNK];
	struct ms_error *err;

	*complete = true;
	if (why && why_len)
		why[0] = '\0';
	if ((err = layout(t, &l)))
		return err;
	if ((err = ms_read_ptr(t, task + (uint64_t)l.task_files, &files)))
		return ms_error_wrap(err, "task %#llx: files", (unsigned long long)task);
	if (!files)
		return NULL;
	/* files_fdtable(): rcu_dereference(files->fdt). */
	if ((err = ms_read_ptr(t, files + (uint64_t)l.fdt, &fdt)))
		return ms_error_wrap(err, "files_struct %#llx", (unsigned long long)files);
	if (!fdt)
		return ms_error_at(MS_ERR_CORRUPT, files, "files_struct %#llx has no fdtable",
				   (unsigned long long)files);
	if ((err = ms_read_u32(t, fdt + (uint64_t)l.max_fds, &max_fds)) ||
	    (err = ms_read_ptr(t, fdt + (uint64_t)l.fd, &fdarr)))
		return ms_error_wrap(err, "fdtable %#llx", (unsigned long long)fdt);
	if (max_fds > MS_FILES_MAX_FDS || (max_fds && !fdarr))
		return ms_error_at(MS_ERR_CORRUPT, fdt, "fdtable %#llx: max_fds %u (at most %u)",
				   (unsigned long long)fdt, max_fds, MS_FILES_MAX_FDS);
	max = max_fds;
	for (uint64_t base = 0; base < max; base += CHUNK) {
		unsigned int n = max - base < CHUNK ? (unsigned int)(max - base) : CHUNK;
		uint8_t raw[CHUNK * 8];
		unsigned int ws = t->word_size;

		if ((err = ms_read(t, fdarr + base * ws, raw, (size_t)n * ws)))
			return ms_error_wrap(err, "fdtable %#llx: fd[%llu..]",
					     (unsigned long long)fdt, (unsigned long long)base);
		for (unsigned int i = 0; i < n; i++)
			ptrs[i] = ms_get_ptr(t, raw, (long)(i * ws));
		for (unsigned int i = 0; i < n; i++) {
			struct ms_file f = { .fd = (unsigned int)(base + i), .file = ptrs[i] };
			uint64_t mode;

			if (!f.file)
				continue;
			if ((err = ms_read_ptr(t, f.file + (uint64_t)l.f_inode, &f.inode)) ||
			    (err = ms_read_ptr(t, f.file + (uint64_t)l.private_data,
					       &f.private_data))) {
				note(complete, why, why_len, err, f.fd);
				continue;
			}
			if (f.inode &&
			    ((err = ms_read_uint(t, f.inode + (uint64_t)l.i_mode,
						 (size_t)l.i_mode_size, &mode)) ||
			     (err = ms_read_ptr(t, f.inode + (uint64_t)l.i_ino, &f.ino)))) {
				note(complete, why, why_len, err, f.fd);
				continue;
			}
			f.mode = f.inode ? (uint32_t)mode : 0;
			if ((err = fn(t, &f, arg)))
				return err;
		}
	}
	return NULL;
}
