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

static void pin(int cpu) { cpu_set_t s; CPU_ZERO(&s); CPU_SET(cpu, &s); pthread_setaffinity_np(pthread_self(), sizeof s, &s); }

#if defined(LOAD512) || defined(LOAD256) || defined(TOUCH512)
__attribute__((target("avx512f")))
#endif
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
#if defined(LOAD512)
            _mm512_storeu_si512((void *)&q, _mm512_loadu_si512((const void *)RING_GET_REQUEST(&b, b.req_cons)));
#elif defined(TOUCH512)
            { const char *s_ = (const char *)RING_GET_REQUEST(&b, b.req_cons); uint64_t t_;
              __asm__ volatile("movq %1, %0" : "=r"(t_) : "m"(*(const uint64_t *)s_));
              _mm512_storeu_si512((void *)&q, _mm512_loadu_si512((const void *)s_));
              q.seq = t_; }
#elif defined(PFW128)
            { const char *s_ = (const char *)RING_GET_REQUEST(&b, b.req_cons);
              __asm__ volatile("prefetchw %0" : : "m"(*(const char *)s_));
              memcpy(&q, s_, sizeof q); }
#elif defined(TOUCH128)
            { const char *s_ = (const char *)RING_GET_REQUEST(&b, b.req_cons); uint64_t t_;
              __asm__ volatile("movq %1, %0" : "=r"(t_) : "m"(*(const uint64_t *)s_));
              memcpy(&q, s_, sizeof q);
              q.seq = t_; }
#elif defined(LOAD256)
            { const char *s_ = (const char *)RING_GET_REQUEST(&b, b.req_cons);
              _mm256_storeu_si256((__m256i *)&q, _mm256_loadu_si256((const __m256i *)s_));
              _mm256_storeu_si256((__m256i *)((char *)&q + 32), _mm256_loadu_si256((const __m256i *)(s_ + 32))); }
#elif defined(LOAD64)
            { const uint64_t *s_ = (const uint64_t *)RING_GET_REQUEST(&b, b.req_cons); uint64_t *d_ = (uint64_t *)&q;
              for (int w_ = 0; w_ < 8; w_++) { uint64_t v_; __asm__ volatile("movq %1, %0" : "=r"(v_) : "m"(s_[w_])); d_[w_] = v_; } }
#else
            RING_COPY_REQUEST(&b, b.req_cons, &q);
#endif
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

#if defined(STORE512)
__attribute__((target("avx512f")))
#endif
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
    static _Alignas(64) uint8_t tmpl[64];
    memset(tmpl, 0xab, sizeof tmpl);
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
        unsigned n = 0;
        while (n < batch && sent < total && !RING_FULL(&f)) {
            struct anchor_request *q = RING_GET_REQUEST(&f, f.req_prod_pvt);
#if defined(STORE512)
            _mm512_storeu_si512((void *)q, _mm512_loadu_si512((const void *)tmpl));
            q->seq = sent;
#elif defined(STORE64)
            { uint64_t *d_ = (uint64_t *)q; __asm__ volatile("movq %1, %0" : "=m"(d_[0]) : "r"(sent));
              for (int w_ = 1; w_ < 8; w_++) __asm__ volatile("movq %1, %0" : "=m"(d_[w_]) : "r"(((uint64_t *)tmpl)[w_])); }
#else
            q->seq = sent;
            memcpy(q->payload, payload, sizeof payload);
#endif
            f.req_prod_pvt++;
            sent++;
            n++;
        }
        if (n) {
            if (check_notify) { int notify; RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify); (void)notify; }
            else RING_PUSH_REQUESTS(&f);
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
