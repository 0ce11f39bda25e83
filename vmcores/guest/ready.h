/*
 * ready.h - how a guest helper tells the scenario it is done: it creates its
 * ready file (the init script waits for it), then sleeps holding its memory
 * until the guest powers off.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef GUEST_READY_H
#define GUEST_READY_H

#include <fcntl.h>
#include <unistd.h>

static inline void __attribute__((noreturn)) ready_then_sleep(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY, 0644);

	if (fd >= 0)
		close(fd);
	for (;;)
		pause();
}

#endif
