/*
 * The C load generator of W6/W7: the same protocol as the Java EchoLoad, from one thread with
 * level-triggered epoll, so that the load generator costs less CPU than any server it drives.
 *
 *   echo_load PORT ACTIVE IDLE PAYLOAD WARMUP_S SECONDS
 *
 * Opens IDLE connections that stay silent and ACTIVE connections to 127.0.0.1:PORT that each send
 * PAYLOAD bytes (an 8-byte sequence number, then bytes derived from it), wait until all of them
 * came back, check every byte and send again. Requests sent after the warm-up count. Prints
 *   LOAD requests=N seconds=S requests_per_s=R p50_us=.. p99_us=.. p999_us=.. max_us=.. total_requests=T
 * (total_requests includes the warm-up) and exits 0; a run whose first measured request has not
 * come back after SECONDS goes on until it has (30 s more at most), so that a slow start does not
 * print a rate of 0; on a wrong byte or a closed connection it
 * prints "ERROR ..." and exits 1. Latencies are kept at 1 microsecond resolution up to 1 s.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 1024
#define BUCKETS 1000000 /* microseconds */

struct conn {
    int fd;
    uint64_t sequence;
    int64_t sent_at;
    size_t payload;
    size_t out_done;
    size_t in_done;
    unsigned char *out;
    unsigned char *in;
};

static uint32_t histogram[BUCKETS];
static uint64_t beyond;
static int64_t max_ns;

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void fail(const char *what) {
    printf("ERROR %s%s%s\n", what, errno ? ": " : "", errno ? strerror(errno) : "");
    fflush(stdout);
    exit(1);
}

static void record(int64_t ns) {
    if (ns > max_ns) max_ns = ns;
    int64_t us = ns / 1000;
    if (us < BUCKETS) histogram[us]++;
    else beyond++;
}

static double percentile(uint64_t total, double p) {
    uint64_t want = (uint64_t) ((p / 100.0) * (double) total + 0.999999);
    if (want == 0) want = 1;
    uint64_t seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
        seen += histogram[i];
        if (seen >= want) return (double) i;
    }
    return (double) max_ns / 1000.0;
}

static int open_connection(struct sockaddr_in *addr) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("socket");
    if (connect(fd, (struct sockaddr *) addr, sizeof *addr) != 0) fail("connect");
    return fd;
}

/* Writes the rest of the request; returns 1 if the socket could not take it all. */
static int write_rest(struct conn *c) {
    while (c->out_done < c->payload) {
        ssize_t n = write(c->fd, c->out + c->out_done, c->payload - c->out_done);
        if (n < 0) {
            if (errno == EAGAIN) return 1;
            fail("write");
        }
        c->out_done += (size_t) n;
    }
    return 0;
}

static void send_request(int ep, struct conn *c) {
    c->sequence++;
    uint64_t s = c->sequence;
    memcpy(c->out, &s, 8);
    for (size_t i = 8; i < c->payload; i++) c->out[i] = (unsigned char) (s + i);
    c->out_done = 0;
    c->in_done = 0;
    c->sent_at = now_ns();
    if (write_rest(c)) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
        if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) != 0) fail("epoll_ctl");
    }
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: echo_load PORT ACTIVE IDLE PAYLOAD WARMUP_S SECONDS\n");
        return 2;
    }
    int port = atoi(argv[1]), active = atoi(argv[2]), idle = atoi(argv[3]);
    size_t payload = (size_t) atoi(argv[4]);
    double warmup = atof(argv[5]), seconds = atof(argv[6]);
    if (payload < 8 || active < 1 || idle < 0 || !(seconds > 0) || !(warmup >= 0)) {
        errno = 0;
        fail("bad arguments: payload >= 8, active >= 1, idle >= 0, seconds > 0, warm-up >= 0");
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((unsigned short) port);
    int *idlers = calloc((size_t) idle + 1, sizeof *idlers);
    struct conn *conns = calloc((size_t) active, sizeof *conns);
    if (idlers == NULL || conns == NULL) fail("calloc");
    for (int i = 0; i < idle; i++) idlers[i] = open_connection(&addr);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) fail("epoll_create1");
    int one = 1;
    for (int i = 0; i < active; i++) {
        struct conn *c = &conns[i];
        c->fd = open_connection(&addr);
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        int flags = fcntl(c->fd, F_GETFL);
        if (flags < 0 || fcntl(c->fd, F_SETFL, flags | O_NONBLOCK) != 0) fail("fcntl O_NONBLOCK");
        c->payload = payload;
        c->out = malloc(payload);
        c->in = malloc(payload);
        if (c->out == NULL || c->in == NULL) fail("malloc");
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) fail("epoll_ctl");
    }
    int64_t start = now_ns();
    int64_t measure_from = start + (int64_t) (warmup * 1e9);
    int64_t end = measure_from + (int64_t) (seconds * 1e9);
    for (int i = 0; i < active; i++) send_request(ep, &conns[i]);
    uint64_t requests = 0, total = 0;
    struct epoll_event events[MAX_EVENTS];
    int64_t now = start;
    /* A run lasts SECONDS and, on a slow start, until its first measured request (30 s at most). */
    int64_t hard_end = end + 30000000000LL;
    while (now < end || (requests == 0 && now < hard_end)) {
        int n = epoll_wait(ep, events, MAX_EVENTS, 100);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("epoll_wait");
        }
        now = now_ns();
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if ((events[i].events & EPOLLOUT) && c->out_done < c->payload) {
                if (!write_rest(c)) {
                    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
                    if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) != 0) fail("epoll_ctl");
                }
            }
            if (!(events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) continue;
            ssize_t got = read(c->fd, c->in + c->in_done, c->payload - c->in_done);
            if (got < 0 && errno == EAGAIN) continue;
            if (got <= 0) {
                char what[128];
                snprintf(what, sizeof what, "the server closed a connection after %llu requests",
                         (unsigned long long) c->sequence);
                if (got == 0) errno = 0;
                fail(what);
            }
            c->in_done += (size_t) got;
            if (c->in_done < c->payload) continue;
            if (memcmp(c->in, c->out, c->payload) != 0) {
                errno = 0;
                fail("an echo differs from what was sent");
            }
            total++;
            if (c->sent_at >= measure_from) {
                requests++;
                record(now - c->sent_at);
            }
            if (now < end || (requests == 0 && now < hard_end)) send_request(ep, c);
        }
    }
    double measured = (double) (now - measure_from) / 1e9;
    printf("LOAD requests=%llu seconds=%.3f requests_per_s=%.0f p50_us=%.3f p99_us=%.3f p999_us=%.3f"
           " max_us=%.3f total_requests=%llu\n",
           (unsigned long long) requests, measured, (double) requests / measured,
           percentile(requests, 50), percentile(requests, 99), percentile(requests, 99.9),
           (double) max_ns / 1000.0, (unsigned long long) total);
    fflush(stdout);
    for (int i = 0; i < active; i++) close(conns[i].fd);
    for (int i = 0; i < idle; i++) close(idlers[i]);
    return 0;
}
