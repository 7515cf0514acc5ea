/*
 * The C reference echo server of W6: one thread, level-triggered epoll, 127.0.0.1 only.
 *
 *   echo_server PORT     (0 picks a free port)
 *
 * Prints "LISTENING <port> 0" once bound, then echoes every byte each connection sends until its
 * standard input ends (the benchmark suite holds a pipe to it), and exits 0. It reads and writes
 * once per readiness event, with a 4 KiB buffer per call, as the Java servers of the suite do;
 * bytes the socket cannot take at once are written when it reports EPOLLOUT.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFFER 4096
#define MAX_EVENTS 1024

struct conn {
    int fd;
    size_t pending;   /* bytes in out[] not yet written */
    size_t offset;
    char out[BUFFER];
};

static void die(const char *what) {
    printf("ERROR %s: %s\n", what, strerror(errno));
    fflush(stdout);
    exit(1);
}

static void drop(int ep, struct conn *c) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

/* Writes what is pending; returns 0 when all is written, 1 when the socket is full, -1 on error. */
static int flush_pending(struct conn *c) {
    while (c->pending > 0) {
        ssize_t n = write(c->fd, c->out + c->offset, c->pending);
        if (n < 0) {
            return errno == EAGAIN ? 1 : -1;
        }
        c->offset += (size_t) n;
        c->pending -= (size_t) n;
    }
    c->offset = 0;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: echo_server PORT\n");
        return 2;
    }
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener < 0) die("socket");
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((unsigned short) atoi(argv[1]));
    if (bind(listener, (struct sockaddr *) &addr, sizeof addr) != 0) die("bind");
    if (listen(listener, 4096) != 0) die("listen");
    socklen_t len = sizeof addr;
    if (getsockname(listener, (struct sockaddr *) &addr, &len) != 0) die("getsockname");
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) die("epoll_create1");
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev) != 0) die("epoll_ctl listener");
    static int stdin_tag;
    ev.events = EPOLLIN;
    ev.data.ptr = &stdin_tag;
    if (epoll_ctl(ep, EPOLL_CTL_ADD, 0, &ev) != 0) die("epoll_ctl stdin");
    printf("LISTENING %d 0\n", ntohs(addr.sin_port));
    fflush(stdout);
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            if (events[i].data.ptr == &stdin_tag) {
                char b[256];
                if (read(0, b, sizeof b) <= 0) return 0;
                continue;
            }
            if (events[i].data.ptr == NULL) {
                for (;;) {
                    int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (fd < 0) break;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct conn *c = calloc(1, sizeof *c);
                    if (c == NULL) die("calloc");
                    c->fd = fd;
                    struct epoll_event cev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
                    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev) != 0) die("epoll_ctl connection");
                }
                continue;
            }
            struct conn *c = events[i].data.ptr;
            if (c->pending > 0) {
                int r = flush_pending(c);
                if (r < 0) { drop(ep, c); continue; }
                if (r > 0) continue;
                struct epoll_event cev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &cev);
                continue;
            }
            ssize_t got = read(c->fd, c->out, BUFFER);
            if (got == 0 || (got < 0 && errno != EAGAIN)) { drop(ep, c); continue; }
            if (got < 0) continue;
            c->pending = (size_t) got;
            c->offset = 0;
            int r = flush_pending(c);
            if (r < 0) { drop(ep, c); continue; }
            if (r > 0) {
                struct epoll_event cev = {.events = EPOLLOUT | EPOLLRDHUP, .data.ptr = c};
                epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &cev);
            }
        }
    }
}
