/*
 * files.h - a process's open files: task->files (struct files_struct), its
 * fdtable and the struct file of each open descriptor, with the inode's mode
 * and number, as fs/proc/fd.c and lsof see them.  The owner of files_struct,
 * fdtable and struct file; pipes (pipe.h) and sockets (sock.h) walk through it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_FILES_H
#define MEMSCOPE_FILES_H

#include "target.h"

/* sysctl_nr_open's ceiling (NR_OPEN, include/uapi/linux/fs.h): more
 * descriptors than that is a corrupt fdtable. */
#define MS_FILES_MAX_FDS (1u << 20)

/* Inode types (include/uapi/linux/stat.h): part of the ABI, not of a layout. */
#define MS_S_IFMT   0170000
#define MS_S_IFSOCK 0140000
#define MS_S_IFIFO  0010000

struct ms_file {
	unsigned int fd;
	uint64_t file;			/* struct file */
	uint64_t inode;			/* file->f_inode */
	uint64_t private_data;		/* file->private_data: struct socket * for a socket */
	uint32_t mode;			/* inode->i_mode */
	uint64_t ino;			/* inode->i_ino */
};

/* Called for each open descriptor; an error stops the walk and is returned. */
typedef struct ms_error *(*ms_file_fn)(struct ms_target *t, const struct ms_file *f, void *arg);

/*
 * Every open descriptor of the task at task (its task->files, shared by the
 * threads that were cloned with CLONE_FILES): NULL, with *complete false when
 * a descriptor's file or inode could not be read (the rest were visited and
 * the first cause is in why); or the error that leaves no table to walk (no
 * layout, an unreadable or corrupt fdtable), or fn's own.  A task without
 * files (exited, kernel thread) visits nothing.
 */
struct ms_error *ms_task_files(struct ms_target *t, uint64_t task, ms_file_fn fn, void *arg,
			       bool *complete, char *why, size_t why_len);

#endif
