/*
 * cmd_memcg.h - what oomscore borrows from memcg: --memcg PATH (cmd_memcg.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_CMD_MEMCG_H
#define MEMSCOPE_CMD_MEMCG_H

#include "command.h"
#include "oom_print.h"

/* A cgroup path option (-c, --memcg): from "/", shorter than MS_MEMCG_PATH_LEN. */
struct ms_error *ms_memcg_path_parse(const char *arg, void *dst);

/* oomscore --memcg PATH: the ranking of a memcg OOM in that cgroup. */
struct ms_error *ms_memcg_oomscore(struct ms_cmd_ctx *ctx, const char *path,
				   const struct ms_oom_print_opts *o);

#endif
