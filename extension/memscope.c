/*
 * memscope.c - the crash extension's entry: registers memscope's commands.
 *
 *   crash> extend memscope.so
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "defs.h"

#include "memscope_ext.h"

static struct command_table_entry command_table[] = {
	{ "buddyinfo", cmd_buddyinfo, help_buddyinfo, 0 },
	{ "meminfo", cmd_meminfo, help_meminfo, 0 },
	{ "memdiff", cmd_memdiff, help_memdiff, 0 },
	{ "memsnap", cmd_memsnap, help_memsnap, 0 },
	{ "oomscore", cmd_oomscore, help_oomscore, 0 },
	{ "slabinfo", cmd_slabinfo, help_slabinfo, 0 },
	{ "tmpfs", cmd_tmpfs, help_tmpfs, 0 },
	{ "zoneinfo", cmd_zoneinfo, help_zoneinfo, 0 },
	{ NULL, NULL, NULL, 0 },
};

void __attribute__((constructor)) memscope_init(void)
{
	register_extension(command_table);
}

void __attribute__((destructor)) memscope_fini(void)
{
	ms_crash_target_fini();
}
