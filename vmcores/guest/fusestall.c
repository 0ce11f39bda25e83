/*
 * fusestall: a guest helper for the dstate scenario.  Mounts a FUSE
 * filesystem on MOUNTPOINT over the raw /dev/fuse protocol and then never
 * reads /dev/fuse, not even the kernel's FUSE_INIT: the filesystem stops
 * answering.  A request to it waits in fuse_get_req() for the INIT reply
 * (wait_event_killable: state D), and whoever queues behind that request on
 * the directory's i_rwsem waits in D state too.  Holding the fd open keeps
 * the connection alive.  Creates READY_FILE once mounted, then sleeps.
 *
 * Usage: fusestall MOUNTPOINT READY_FILE
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <unistd.h>

#include "ready.h"

int main(int argc, char **argv)
{
	char opts[128];
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: fusestall MOUNTPOINT READY_FILE\n");
		return 2;
	}
	fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("fusestall: /dev/fuse");
		return 1;
	}
	/* rootmode 040755: the root inode is made locally, no request needed. */
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40755,user_id=0,group_id=0", fd);
	if (mount("fusestall", argv[1], "fuse", MS_NOSUID | MS_NODEV, opts)) {
		perror("fusestall: mount");
		return 1;
	}
	ready_then_sleep(argv[2]);
}
