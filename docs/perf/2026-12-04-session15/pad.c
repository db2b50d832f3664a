/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * C anchor for the Xen io/ring.h protocol itself: the same loop as RingThroughputBenchmark.xenRing, written
 * with the real macros from Debian's libxen-dev, two threads pinned to CPUs 0 and 1 (CPUB=n moves the back end).
 * 16-page ring, 64-byte requests, 8-byte responses (512 slots). The front end reclaims answered slots (reads
 * rsp_prod once, copies each 8-byte response and checks it), claims min(batch, free) slots, writes 64 bytes
 * (sequence + 56 bytes) into each and pushes once; the back end reads req_prod once, copies each request out
 * (RING_COPY_REQUEST), checks the sequence, writes the 8-byte response in place and pushes once.
 *
 * build: gcc -O2 -pthread -I. xenring_anchor.c -o xenring_anchor
 * usage: xenring_anchor BATCH release|checkNotify [MESSAGES]   prints "xenring batch=B push=P Mmsg/s"
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <immintrin.h>

#include "barriers.h"
#include <xen/xen.h>
#include <xen/io/ring.h>

struct anchor_request { uint64_t seq; uint8_t payload[56]; };
struct anchor_response { uint64_t seq; };
DEFINE_RING_TYPES(anchor, struct anchor_request, struct anchor_response);

#define RING_BYTES (16 * 4096)
#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)

static struct anchor_sring *sring;
static uint64_t total;
static int check_notify;
static unsigned batch;
static pthread_barrier_t bar;
static int cpu_a = 0, cpu_b = 1;
static volatile uint64_t errors;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
/*
 * Makes the whole private copy live, as a driver that goes on to use its fields makes it: gcc 12 otherwise keeps
 * only the bytes the loop reads (8 of the 64-byte request), even through RING_COPY_'s volatile cast, and the Java
 * side copies every byte.
 */
#define USE(x) __asm__ volatile("" : : "m"(x))


#ifndef PAD
#define PAD 0
#endif
#define STR2(x) #x
#define STR(x) STR2(x)
#define PADBLOCK() do { if (PAD) { uint64_t a=0,b=0,c=0,d=0; __asm__ volatile(".rept " STR(PAD) "\n\tadd $1, %0\n\tadd $1, %1\n\tadd $1, %2\n\tadd $1, %3\n.endr" : "+r"(a),"+r"(b),"+r"(c),"+r"(d)); } } while (0)
static void pin(int cpu) { cpu_set_t s; CPU_ZERO(&s); CPU_SET(cpu, &s); pthread_setaffinity_np(pthread_self(), sizeof s, &s); }

static void *back_end(void *arg)
{
    (void)arg;
    pin(cpu_b);
    struct anchor_back_ring b;
    BACK_RING_ATTACH(&b, sring, 0, RING_BYTES);
    pthread_barrier_wait(&bar);
    uint64_t expected = 0;
    while (expected < total) {
        RING_IDX rp = LOAD(sring->req_prod);
        rmb();
        if (b.req_cons == rp) { _mm_pause(); continue; }
        while (b.req_cons != rp && !RING_REQUEST_CONS_OVERFLOW(&b, b.req_cons)) {
            struct anchor_request q;
            RING_COPY_REQUEST(&b, b.req_cons, &q);
            USE(q);
            b.req_cons++;
            if (q.seq != expected) errors++;
            expected++;
            RING_GET_RESPONSE(&b, b.rsp_prod_pvt)->seq = q.seq;
            b.rsp_prod_pvt++;
        }
        if (check_notify) { int notify; RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, notify); (void)notify; }
        else RING_PUSH_RESPONSES(&b);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: xenring_anchor BATCH release|checkNotify [MESSAGES]\n"); return 2; }
    batch = (unsigned)atoi(argv[1]);
    check_notify = !strcmp(argv[2], "checkNotify");
    total = argc > 3 ? strtoull(argv[3], 0, 0) : 200000000ull;
    if (getenv("CPUB")) cpu_b = atoi(getenv("CPUB"));
    sring = aligned_alloc(4096, RING_BYTES);
    memset(sring, 0, RING_BYTES);
    struct anchor_front_ring f;
    XEN_FRONT_RING_INIT(&f, sring, RING_BYTES);
    if (batch == 0 || batch > RING_SIZE(&f)) batch = RING_SIZE(&f);
    pthread_t t;
    pthread_barrier_init(&bar, 0, 2);
    pthread_create(&t, 0, back_end, 0);
    pin(cpu_a);
    uint8_t payload[56];
    memset(payload, 0xab, sizeof payload);
    pthread_barrier_wait(&bar);
    double t0 = now();
    uint64_t sent = 0, answered = 0;
    while (answered < total) {
        RING_IDX rp = LOAD(sring->rsp_prod);
        rmb();
        while (f.rsp_cons != rp) {
            struct anchor_response r;
            RING_COPY_RESPONSE(&f, f.rsp_cons, &r);
            USE(r);
            if (r.seq != answered) errors++;
            f.rsp_cons++;
            answered++;
        }
#ifndef PAD_AFTER
        PADBLOCK();
#endif
        unsigned n = 0;
        while (n < batch && sent < total && !RING_FULL(&f)) {
            struct anchor_request *q = RING_GET_REQUEST(&f, f.req_prod_pvt);
            q->seq = sent;
            memcpy(q->payload, payload, sizeof payload);
            f.req_prod_pvt++;
            sent++;
            n++;
        }
        if (n) {
            if (check_notify) { int notify; RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify); (void)notify; }
            else RING_PUSH_REQUESTS(&f);
#ifdef PAD_AFTER
            PADBLOCK();
#endif
        } else {
            _mm_pause();
        }
    }
    double t1 = now();
    pthread_join(t, 0);
    if (errors) { fprintf(stderr, "sequence errors: %llu\n", (unsigned long long)errors); return 1; }
    printf("xenring batch=%u push=%s %.3f Mmsg/s\n", batch, argv[2], total / (t1 - t0) / 1e6);
    return 0;
}
