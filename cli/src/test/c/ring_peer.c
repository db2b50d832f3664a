/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * A C peer built on the real io/ring.h macros, over a shared file (e.g. in /dev/shm):
 *   ring_peer front FILE RING_BYTES COUNT START BATCH  initialise the ring at index START, send COUNT requests
 *                                                     (BATCH per push), check every echoed response
 *   ring_peer back FILE RING_BYTES COUNT               attach at rsp_prod, echo COUNT requests
 * Request i carries u64 i at offset 0 and byte (i*31 + j) at offset j >= 8; a response carries the request's
 * bytes cut (or zero-padded) to RSP_SIZE. Polls (no event channel); prints one "ok ..." line on success.
 * Build with -DREQ_SIZE=.. -DRSP_SIZE=..
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <immintrin.h>

#include "barriers.h"
#include <xen/xen.h>
#include <xen/io/ring.h>

#ifndef REQ_SIZE
#define REQ_SIZE 64
#endif
#ifndef RSP_SIZE
#define RSP_SIZE 64
#endif
struct peer_request { uint8_t b[REQ_SIZE]; };
struct peer_response { uint8_t b[RSP_SIZE]; };
DEFINE_RING_TYPES(peer, struct peer_request, struct peer_response);

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void fill_request(uint8_t *b, uint64_t i)
{
    memcpy(b, &i, sizeof i < REQ_SIZE ? sizeof i : REQ_SIZE);
    for (int j = 8; j < REQ_SIZE; j++) b[j] = (uint8_t)(i * 31u + j);
}

static int check_response(const uint8_t *b, uint64_t i)
{
    uint8_t expect[RSP_SIZE];
    memset(expect, 0, sizeof expect);
    uint8_t req[REQ_SIZE];
    fill_request(req, i);
    memcpy(expect, req, REQ_SIZE < RSP_SIZE ? REQ_SIZE : RSP_SIZE);
    return memcmp(expect, b, RSP_SIZE) == 0;
}

static void *map_file(const char *path, size_t bytes)
{
    int fd = open(path, O_RDWR);
    if (fd < 0) { perror(path); exit(2); }
    struct stat st;
    if (fstat(fd, &st) || (size_t)st.st_size < bytes) { fprintf(stderr, "file too small: %s\n", path); exit(2); }
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(2); }
    close(fd);
    return p;
}

static int front(const char *path, size_t bytes, uint64_t count, RING_IDX start, unsigned batch)
{
    struct peer_sring *s = map_file(path, bytes);
    struct peer_front_ring f;
    SHARED_RING_INIT(s);
    s->req_prod = s->rsp_prod = start;
    s->req_event = s->rsp_event = start + 1;
    FRONT_RING_ATTACH(&f, s, start, bytes);
    wmb();
    printf("ready size=%u\n", RING_SIZE(&f));
    fflush(stdout);
    uint64_t sent = 0, received = 0, notifies = 0;
    double t0 = now();
    while (received < count) {
        unsigned queued = 0;
        while (sent < count && !RING_FULL(&f) && queued < batch) {
            fill_request(RING_GET_REQUEST(&f, f.req_prod_pvt)->b, sent);
            f.req_prod_pvt++; sent++; queued++;
        }
        if (queued) { int notify; RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify); notifies += notify; }
        RING_IDX rp = LOAD(s->rsp_prod);
        rmb();
        if (RING_RESPONSE_PROD_OVERFLOW(&f, rp)) { fprintf(stderr, "rsp_prod overflow %u\n", rp); return 3; }
        if (f.rsp_cons == rp) { _mm_pause(); continue; }
        while (f.rsp_cons != rp) {
            struct peer_response r;
            RING_COPY_RESPONSE(&f, f.rsp_cons, &r);
            if (!check_response(r.b, received)) {
                fprintf(stderr, "bad response %llu at index %u\n", (unsigned long long)received, f.rsp_cons);
                return 4;
            }
            f.rsp_cons++; received++;
        }
    }
    double t1 = now();
    printf("ok front pairs=%llu seconds=%.3f pairs_per_s=%.0f notifications=%llu final_index=%u\n",
           (unsigned long long)received, t1 - t0, received / (t1 - t0), (unsigned long long)notifies, f.rsp_cons);
    return 0;
}

static int back(const char *path, size_t bytes, uint64_t count)
{
    struct peer_sring *s = map_file(path, bytes);
    struct peer_back_ring b;
    BACK_RING_ATTACH(&b, s, LOAD(s->rsp_prod), bytes);
    printf("ready size=%u\n", RING_SIZE(&b));
    fflush(stdout);
    uint64_t answered = 0, notifies = 0;
    double t0 = now();
    while (answered < count) {
        RING_IDX rp = LOAD(s->req_prod);
        rmb();
        if (RING_REQUEST_PROD_OVERFLOW(&b, rp)) { fprintf(stderr, "req_prod overflow %u\n", rp); return 3; }
        if (b.req_cons == rp) { _mm_pause(); continue; }
        while (b.req_cons != rp && !RING_REQUEST_CONS_OVERFLOW(&b, b.req_cons)) {
            struct peer_request q;
            RING_COPY_REQUEST(&b, b.req_cons, &q);
            b.req_cons++;
            struct peer_response *r = RING_GET_RESPONSE(&b, b.rsp_prod_pvt);
            memset(r->b, 0, RSP_SIZE);
            memcpy(r->b, q.b, REQ_SIZE < RSP_SIZE ? REQ_SIZE : RSP_SIZE);
            b.rsp_prod_pvt++; answered++;
        }
        int notify; RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, notify); notifies += notify;
    }
    double t1 = now();
    printf("ok back pairs=%llu seconds=%.3f pairs_per_s=%.0f notifications=%llu final_index=%u\n",
           (unsigned long long)answered, t1 - t0, answered / (t1 - t0), (unsigned long long)notifies, b.rsp_prod_pvt);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 7 && !strcmp(argv[1], "front"))
        return front(argv[2], strtoul(argv[3], 0, 0), strtoull(argv[4], 0, 0), (RING_IDX)strtoul(argv[5], 0, 0),
                     (unsigned)strtoul(argv[6], 0, 0));
    if (argc >= 5 && !strcmp(argv[1], "back"))
        return back(argv[2], strtoul(argv[3], 0, 0), strtoull(argv[4], 0, 0));
    fprintf(stderr, "usage: ring_peer front FILE RING_BYTES COUNT START BATCH | back FILE RING_BYTES COUNT\n");
    return 2;
}
