/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * Golden pages: runs a script of ring operations with the real io/ring.h macros on one 4 KiB page and
 * prints, after every operation, its result and the whole page in hex. GoldenPageTest runs the same script
 * through pvring's FrontRing/BackRing and requires identical output.
 *
 * Script lines (stdin):
 *   init START | req N SEED | push | pushn | consume N | rsp N SEED | rpush | rpushn | rconsume N |
 *   fcreq | fcrsp | evreq K | evrsp K
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barriers.h"
#include <xen/xen.h>
#include <xen/io/ring.h>

#define REQ_SIZE 64
#define RSP_SIZE 32
struct golden_request { uint8_t b[REQ_SIZE]; };
struct golden_response { uint8_t b[RSP_SIZE]; };
DEFINE_RING_TYPES(golden, struct golden_request, struct golden_response);

static uint8_t page[4096] __attribute__((aligned(4096)));

static uint32_t fnv(uint32_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 16777619u; }
    return h;
}

static void dump(const char *line, const char *result)
{
    static const char hex[] = "0123456789abcdef";
    char out[2 * sizeof page + 1];
    for (size_t i = 0; i < sizeof page; i++) { out[2 * i] = hex[page[i] >> 4]; out[2 * i + 1] = hex[page[i] & 15]; }
    out[2 * sizeof page] = 0;
    printf("%s|%s|%s\n", line, result, out);
}

int main(void)
{
    struct golden_sring *s = (struct golden_sring *)page;
    struct golden_front_ring f = {0};
    struct golden_back_ring b = {0};
    char line[256], result[64];
    memset(page, 0xA5, sizeof page); /* entries are not touched by SHARED_RING_INIT */
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        char op[16]; unsigned long a = 0, c = 0;
        if (sscanf(line, "%15s %lu %lu", op, &a, &c) < 1) continue;
        result[0] = '-'; result[1] = 0;
        if (!strcmp(op, "init")) {
            SHARED_RING_INIT(s);
            if (a) { s->req_prod = s->rsp_prod = (RING_IDX)a; s->req_event = s->rsp_event = (RING_IDX)a + 1; }
            FRONT_RING_ATTACH(&f, s, (RING_IDX)a, sizeof page);
            BACK_RING_ATTACH(&b, s, (RING_IDX)a, sizeof page);
        } else if (!strcmp(op, "req")) {
            for (unsigned long k = 0; k < a; k++) {
                struct golden_request *r = RING_GET_REQUEST(&f, f.req_prod_pvt);
                for (int j = 0; j < REQ_SIZE; j++) r->b[j] = (uint8_t)(c + f.req_prod_pvt * 7u + j * 13u);
                f.req_prod_pvt++;
            }
        } else if (!strcmp(op, "push")) {
            RING_PUSH_REQUESTS(&f);
        } else if (!strcmp(op, "pushn")) {
            int notify; RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&f, notify); sprintf(result, "%d", notify ? 1 : 0);
        } else if (!strcmp(op, "consume")) {
            RING_IDX rc = b.req_cons, rp = s->req_prod; unsigned long n = 0; uint32_t h = 2166136261u;
            xen_rmb();
            while (rc != rp && n < a) {
                if (RING_REQUEST_CONS_OVERFLOW(&b, rc)) break;
                struct golden_request copy; RING_COPY_REQUEST(&b, rc, &copy);
                b.req_cons = ++rc; n++; h = fnv(h, copy.b, REQ_SIZE);
            }
            sprintf(result, "%lu:%08x", n, h);
        } else if (!strcmp(op, "rsp")) {
            for (unsigned long k = 0; k < a; k++) {
                struct golden_response *r = RING_GET_RESPONSE(&b, b.rsp_prod_pvt);
                for (int j = 0; j < RSP_SIZE; j++) r->b[j] = (uint8_t)(c + b.rsp_prod_pvt * 5u + j * 3u);
                b.rsp_prod_pvt++;
            }
        } else if (!strcmp(op, "rpush")) {
            RING_PUSH_RESPONSES(&b);
        } else if (!strcmp(op, "rpushn")) {
            int notify; RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&b, notify); sprintf(result, "%d", notify ? 1 : 0);
        } else if (!strcmp(op, "rconsume")) {
            RING_IDX rc = f.rsp_cons, rp = s->rsp_prod; unsigned long n = 0; uint32_t h = 2166136261u;
            xen_rmb();
            while (rc != rp && n < a) {
                struct golden_response copy; RING_COPY_RESPONSE(&f, rc, &copy);
                f.rsp_cons = ++rc; n++; h = fnv(h, copy.b, RSP_SIZE);
            }
            sprintf(result, "%lu:%08x", n, h);
        } else if (!strcmp(op, "fcreq")) {
            int work; RING_FINAL_CHECK_FOR_REQUESTS(&b, work); sprintf(result, "%d", work ? 1 : 0);
        } else if (!strcmp(op, "fcrsp")) {
            int work; RING_FINAL_CHECK_FOR_RESPONSES(&f, work); sprintf(result, "%d", work ? 1 : 0);
        } else if (!strcmp(op, "evreq")) {
            /* batched hold-off: the back end asks to be woken only after K more requests */
            int work = RING_HAS_UNCONSUMED_REQUESTS(&b);
            if (!work) { b.sring->req_event = b.req_cons + (RING_IDX)a; xen_mb(); work = RING_HAS_UNCONSUMED_REQUESTS(&b); }
            sprintf(result, "%d", work ? 1 : 0);
        } else if (!strcmp(op, "evrsp")) {
            int work = RING_HAS_UNCONSUMED_RESPONSES(&f);
            if (!work) { f.sring->rsp_event = f.rsp_cons + (RING_IDX)a; xen_mb(); work = RING_HAS_UNCONSUMED_RESPONSES(&f); }
            sprintf(result, "%d", work ? 1 : 0);
        } else {
            fprintf(stderr, "unknown op: %s\n", line);
            return 2;
        }
        dump(line, result);
    }
    return 0;
}
