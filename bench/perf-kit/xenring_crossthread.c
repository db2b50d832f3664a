/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * C twin of RingThroughputBenchmark.xenRing for XenRingPairedBenchmark: xenring_anchor.c's front-end and back-end
 * loops (the real io/ring.h macros of Debian's libxen-dev, 64-byte requests, 8-byte responses), cut into calls of
 * a bounded number of steps so that the benchmark's own two pinned threads run them, one iteration in two, and the
 * Java ring's figure is paired with C figures taken a second before and after it on the same threads and CPUs.
 *
 * One front step is one pass of the anchor's main loop: read rsp_prod once (acquire), copy out and check every
 * response, claim min(batch, free) slots, write 64 bytes into each (the id, then 56 bytes from a private
 * template), push once; or _mm_pause() when the ring is full. One back step is one pass of the anchor's back-end
 * loop: read req_prod once (acquire), RING_COPY_REQUEST each pending request, check its id, write the 8-byte
 * response in place, push once; or _mm_pause() when the ring is empty. Neither call waits for the other side
 * beyond its steps, so a thread that stops calling never leaves its peer stuck.
 *
 * gcc -O2 -shared -fPIC -I. xenring_crossthread.c -o libxenring_crossthread.so
 *   void *xct_open(void *ring, int bytes, int batch, int checkNotify)   SHARED_RING_INIT + both ends attached;
 *                                                                       NULL for a bad size or batch
 *   long xct_front(void *, long steps) -> responses consumed;  long xct_back(void *, long steps) -> requests consumed
 *   long xct_errors(void *) -> wrong ids seen by both ends;     void xct_close(void *)
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <immintrin.h>

#include "barriers.h"
#include <xen/xen.h>
#include <xen/io/ring.h>

struct xct_request { uint64_t seq; uint8_t payload[56]; };
struct xct_response { uint64_t seq; };
DEFINE_RING_TYPES(xct, struct xct_request, struct xct_response);

#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
/* Makes the whole private copy live, as in xenring_anchor.c. */
#define USE(x) __asm__ volatile("" : : "m"(x))

/* Each end's private state on cache lines of its own (the anchor keeps them on two threads' stacks). */
struct xct_front_state
{
    _Alignas(128) struct xct_front_ring f;
    uint64_t sent;
    uint64_t answered;
    uint64_t errors;
    uint8_t payload[56];
};

struct xct_back_state
{
    _Alignas(128) struct xct_back_ring b;
    uint64_t expected;
    uint64_t errors;
};

struct xct
{
    struct xct_front_state front;
    struct xct_back_state back;
    _Alignas(128) struct xct_sring *sring;
    unsigned batch;
    int check_notify;
};

void *xct_open(void *ring, int bytes, int batch, int check_notify)
{
    if (ring == NULL || bytes < 4096 || (bytes & 4095) != 0 || batch < 1)
        return NULL;
    struct xct *x = aligned_alloc(128, sizeof *x);
    if (x == NULL)
        return NULL;
    memset(x, 0, sizeof *x);
    x->sring = ring;
    SHARED_RING_INIT(x->sring);
    FRONT_RING_INIT(&x->front.f, x->sring, bytes);
    BACK_RING_INIT(&x->back.b, x->sring, bytes);
    if ((unsigned)batch > RING_SIZE(&x->front.f))
    {
        free(x);
        return NULL;
    }
    memset(x->front.payload, 0x5a, sizeof x->front.payload);
    x->batch = (unsigned)batch;
    x->check_notify = check_notify;
    return x;
}

long xct_front(void *context, long steps)
{
    struct xct *x = context;
    struct xct_front_state *s = &x->front;
    const uint64_t before = s->answered;
    for (long step = 0; step < steps; step++)
    {
        RING_IDX rp = LOAD(x->sring->rsp_prod);
        rmb();
        while (s->f.rsp_cons != rp)
        {
            struct xct_response r;
            RING_COPY_RESPONSE(&s->f, s->f.rsp_cons, &r);
            USE(r);
            if (r.seq != s->answered)
                s->errors++;
            s->f.rsp_cons++;
            s->answered++;
        }
        unsigned n = 0;
        while (n < x->batch && !RING_FULL(&s->f))
        {
            struct xct_request *q = RING_GET_REQUEST(&s->f, s->f.req_prod_pvt);
            q->seq = s->sent;
            memcpy(q->payload, s->payload, sizeof s->payload);
            s->f.req_prod_pvt++;
            s->sent++;
            n++;
        }
        if (n)
        {
            if (x->check_notify) { int notify; RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&s->f, notify); (void)notify; }
            else RING_PUSH_REQUESTS(&s->f);
        }
        else
        {
            _mm_pause();
        }
    }
    return (long)(s->answered - before);
}

long xct_back(void *context, long steps)
{
    struct xct *x = context;
    struct xct_back_state *s = &x->back;
    long received = 0;
    for (long step = 0; step < steps; step++)
    {
        RING_IDX rp = LOAD(x->sring->req_prod);
        rmb();
        if (s->b.req_cons == rp)
        {
            _mm_pause();
            continue;
        }
        while (s->b.req_cons != rp && !RING_REQUEST_CONS_OVERFLOW(&s->b, s->b.req_cons))
        {
            struct xct_request q;
            RING_COPY_REQUEST(&s->b, s->b.req_cons, &q);
            USE(q);
            s->b.req_cons++;
            if (q.seq != s->expected)
                s->errors++;
            s->expected++;
            RING_GET_RESPONSE(&s->b, s->b.rsp_prod_pvt)->seq = q.seq;
            s->b.rsp_prod_pvt++;
            received++;
        }
        if (x->check_notify) { int notify; RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&s->b, notify); (void)notify; }
        else RING_PUSH_RESPONSES(&s->b);
    }
    return received;
}

long xct_errors(void *context)
{
    struct xct *x = context;
    return (long)(x->front.errors + x->back.errors);
}

void xct_close(void *context)
{
    free(context);
}
