// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sockhold READY: sockets holding unread data on the loopback device, which
 * it brings up.  A TCP listener on 127.0.0.1:5001 and four connections to it:
 * the client sends 65536 and 200000 bytes on the first two (the server never
 * reads), the server sends 30000 bytes on the third (the client never reads),
 * the fourth is idle.  A UDP socket on 127.0.0.1:5002 gets ten 1000-byte
 * datagrams it never reads.  Writes /run/truth.sockets, one line a transfer:
 * "PROTO FROM_PORT TO_PORT BYTES" (what send() accepted), then creates READY
 * and sleeps holding every socket.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ready.h"

#define NCONN 4
#define TCP_PORT 5001
#define UDP_PORT 5002

static char buf[1 << 18];

static void lo_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		perror("sockhold: SIOCGIFFLAGS lo");
		return;
	}
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		perror("sockhold: SIOCSIFFLAGS lo");
	close(s);
}

/* Send up to n bytes without blocking: what the kernel took. */
static long send_some(int fd, long n)
{
	long done = 0;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (done < n) {
		size_t want = (size_t)(n - done) < sizeof(buf) ? (size_t)(n - done) : sizeof(buf);
		ssize_t r = send(fd, buf, want, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		done += r;
	}
	return done;
}

static int port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		return -1;
	return ntohs(a.sin_port);
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int one = 1, lst, cli[NCONN], srv[NCONN], urx, utx;
	static const long csend[NCONN] = { 65536, 200000, 0, 0 };
	static const long ssend[NCONN] = { 0, 0, 30000, 0 };
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: sockhold READY\n");
		return 2;
	}
	memset(buf, 's', sizeof(buf));
	lo_up();
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(TCP_PORT);
	lst = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lst, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lst < 0 || bind(lst, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lst, 16) < 0) {
		perror("sockhold: listen");
		return 1;
	}
	for (int i = 0; i < NCONN; i++) {
		cli[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (cli[i] < 0 || connect(cli[i], (struct sockaddr *)&a, sizeof(a)) < 0) {
			perror("sockhold: connect");
			return 1;
		}
		srv[i] = accept(lst, NULL, NULL);
		if (srv[i] < 0) {
			perror("sockhold: accept");
			return 1;
		}
	}
	f = fopen("/run/truth.sockets", "w");
	if (!f) {
		perror("sockhold: /run/truth.sockets");
		return 1;
	}
	fprintf(f, "# proto from_port to_port bytes\n");
	for (int i = 0; i < NCONN; i++) {
		long c = send_some(cli[i], csend[i]), s = send_some(srv[i], ssend[i]);

		fprintf(f, "tcp %d %d %ld\n", port_of(cli[i]), TCP_PORT, c);
		fprintf(f, "tcp %d %d %ld\n", TCP_PORT, port_of(cli[i]), s);
	}
	urx = socket(AF_INET, SOCK_DGRAM, 0);
	utx = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_port = htons(UDP_PORT);
	if (urx < 0 || utx < 0 || bind(urx, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("sockhold: udp");
		return 1;
	}
	for (int i = 0; i < 10; i++)
		if (sendto(utx, buf, 1000, 0, (struct sockaddr *)&a, sizeof(a)) != 1000)
			perror("sockhold: sendto");
	fprintf(f, "udp %d %d %d\n", port_of(utx), UDP_PORT, 10 * 1000);
	fclose(f);
	ready_then_sleep(argv[1]);
}
