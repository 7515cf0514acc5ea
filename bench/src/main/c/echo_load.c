/*
 * The C load generator of W6/W7: the same protocol and output as the Java EchoLoad, from one
 * thread with level-triggered epoll, so that the load generator costs less CPU than any server it
 * drives.
 *
 *   echo_load PORT ACTIVE IDLE PAYLOAD WARMUP_S SECONDS
 *
 * Opens IDLE connections that stay silent and ACTIVE connections to 127.0.0.1:PORT that each send
 * PAYLOAD bytes (an 8-byte sequence number, then bytes derived from it), wait until all of them
 * came back, check every byte and send again. Requests sent after the warm-up count. Prints
 *   LOAD requests=N seconds=S requests_per_s=R p50_us=.. p99_us=.. p999_us=.. max_us=..
 *        total_requests=T unanswered_connections=U fewest_answers=F waiting_max_us=W p99_co_us=C
 * and exits 0; a run whose first measured request has not come back after SECONDS goes on until
 * it has (30 s more at most), so that a slow start does not print a rate of 0; on a wrong byte or
 * a closed connection it prints "ERROR ..." and exits 1.
 *
 * A request's latency runs from just before its write to the read that completes its echo (the
 * clock is read per echo, not once per epoll_wait: a batch of a thousand echoes takes
 * milliseconds to handle). total_requests includes the warm-up. The rest says whether the server
 * served every connection, which the latencies of answered requests cannot show (a request a
 * server never answers has no latency, and a starved connection sends few requests):
 * unanswered_connections have no measured request answered, fewest_answers is the least any
 * connection got, waiting_max_us is the age of the oldest request still unanswered at the end, and
 * p99_co_us is the 99th percentile corrected for coordinated omission: each request still waiting at
 * the end counts with its age, and a latency L also counts L - I, L - 2I, ... down to I, where I is
 * the mean round trip of a connection (ACTIVE / requests_per_s, Little's law), for the requests the
 * connection would have sent in that time had it been served like the others (HdrHistogram's
 * recordValueWithExpectedInterval). Latencies are kept at 1 microsecond resolution up to 1 s and
 * at 1 ms resolution up to 121 s.
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
#define FINE 1000000   /* 1 microsecond buckets up to 1 s */
#define COARSE 120000  /* then 1 millisecond buckets up to 121 s */
#define BUCKETS (FINE + COARSE + 1) /* the last one: beyond */

struct conn {
    int fd;
    uint64_t sequence;
    int64_t sent_at;
    size_t payload;
    size_t out_done;
    size_t in_done;
    unsigned char *out;
    unsigned char *in;
    uint64_t answers; /* measured requests answered */
};

struct histogram {
    uint64_t counts[BUCKETS];
    uint64_t total;
    int64_t max_ns;
};

static struct histogram latencies, corrected;

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

static int bucket_of(int64_t ns) {
    if (ns < 0) ns = 0;
    if (ns / 1000 < FINE) return (int) (ns / 1000);
    int64_t ms = ns / 1000000 - FINE / 1000;
    return ms < COARSE ? FINE + (int) ms : BUCKETS - 1;
}

/* The lowest value of a bucket, in nanoseconds (beyond: the largest value recorded). */
static int64_t bucket_ns(const struct histogram *h, int b) {
    if (b < FINE) return (int64_t) b * 1000;
    if (b < BUCKETS - 1) return ((int64_t) (b - FINE) + FINE / 1000) * 1000000;
    return h->max_ns;
}

static void record(struct histogram *h, int64_t ns, uint64_t count) {
    if (ns > h->max_ns) h->max_ns = ns;
    h->counts[bucket_of(ns)] += count;
    h->total += count;
}

/* Records ns and, for an expected interval, the values a coordinated omission hid. */
static void record_expecting(struct histogram *h, int64_t ns, uint64_t count, int64_t interval) {
    record(h, ns, count);
    if (interval <= 0) return;
    for (int64_t missed = ns - interval; missed >= interval; missed -= interval) record(h, missed, count);
}

/* The p-th percentile in microseconds: the lowest value of the bucket that holds it. */
static double percentile(const struct histogram *h, double p) {
    uint64_t want = (uint64_t) ((p / 100.0) * (double) h->total + 0.999999);
    if (want == 0) want = 1;
    uint64_t seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
        seen += h->counts[i];
        if (seen >= want) return (double) bucket_ns(h, i) / 1000.0;
    }
    return (double) h->max_ns / 1000.0;
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
                c->answers++;
                record(&latencies, now_ns() - c->sent_at, 1);
            }
            if (now < end || (requests == 0 && now < hard_end)) send_request(ep, c);
        }
    }
    double measured = (double) (now - measure_from) / 1e9;
    int64_t finished = now_ns();
    int64_t interval = requests == 0 ? 0 : (int64_t) ((double) active * (double) (now - measure_from) / (double) requests);
    for (int b = 0; b < BUCKETS; b++) {
        if (latencies.counts[b] != 0) record_expecting(&corrected, bucket_ns(&latencies, b), latencies.counts[b], interval);
    }
    if (latencies.max_ns > corrected.max_ns) corrected.max_ns = latencies.max_ns;
    int unanswered = 0;
    uint64_t fewest = UINT64_MAX;
    int64_t waiting_max = 0;
    for (int i = 0; i < active; i++) {
        struct conn *c = &conns[i];
        if (c->answers == 0) unanswered++;
        if (c->answers < fewest) fewest = c->answers;
        if (c->in_done < c->payload) {
            int64_t waited = finished - c->sent_at;
            if (waited > waiting_max) waiting_max = waited;
            record_expecting(&corrected, waited, 1, interval);
        }
    }
    printf("LOAD requests=%llu seconds=%.3f requests_per_s=%.0f p50_us=%.3f p99_us=%.3f p999_us=%.3f"
           " max_us=%.3f total_requests=%llu unanswered_connections=%d fewest_answers=%llu"
           " waiting_max_us=%.3f p99_co_us=%.3f\n",
           (unsigned long long) requests, measured, (double) requests / measured,
           percentile(&latencies, 50), percentile(&latencies, 99), percentile(&latencies, 99.9),
           (double) latencies.max_ns / 1000.0, (unsigned long long) total, unanswered,
           (unsigned long long) fewest, (double) waiting_max / 1000.0, percentile(&corrected, 99));
    fflush(stdout);
    for (int i = 0; i < active; i++) close(conns[i].fd);
    for (int i = 0; i < idle; i++) close(idlers[i]);
    return 0;
}
