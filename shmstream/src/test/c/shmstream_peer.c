/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * An independent SHMStream v2 peer in C, written from the protocol description (shared/spec/shmstream-v2.md),
 * to check pvring's byte compatibility with a C implementation: a writer and a reader over an mmap'ed file.
 * Ordering as in the Muen C implementations: single 64-bit stores and loads between compiler barriers, which is
 * correct on x86-64 (TSO).
 *
 *   shmstream_peer offsets
 *   shmstream_peer write FILE PROTOCOL SIZE COUNT EPOCH
 *   shmstream_peer read  FILE PROTOCOL SIZE COUNT      (until read + skipped = COUNT, at most 60 s)
 *
 * Element n: bytes 0..7 = n (little-endian), byte j >= 8 = (n * 31 + j) & 0xff.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct muchannel_header
{
    uint64_t transport;
    uint64_t epoch;
    uint64_t protocol;
    uint64_t size;
    uint64_t elements;
    uint64_t reserved;
    uint64_t wsc;
    uint64_t wc;
} __attribute__((packed, aligned(8)));

_Static_assert(sizeof(struct muchannel_header) == 64, "header is 64 bytes");
_Static_assert(offsetof(struct muchannel_header, reserved) == 40, "reserved at 40");

#define MARKER 0x487312B6B79A9B6DULL
#define barrier() __asm__ __volatile__("" ::: "memory")

static void store64(uint64_t *p, uint64_t v)
{
    barrier();
    *(volatile uint64_t *)p = v;
    barrier();
}

static uint64_t load64(const uint64_t *p)
{
    barrier();
    uint64_t v = *(const volatile uint64_t *)p;
    barrier();
    return v;
}

static unsigned char *map(const char *path, size_t *length, int writable)
{
    int fd = open(path, writable ? O_RDWR : O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
    {
        perror(path);
        exit(2);
    }
    *length = (size_t)st.st_size;
    void *p = mmap(NULL, *length, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
    {
        perror("mmap");
        exit(2);
    }
    close(fd);
    return p;
}

static unsigned char pattern(uint64_t n, uint64_t j)
{
    return j < 8 ? (unsigned char)(n >> (8 * j)) : (unsigned char)((n * 31 + j) & 0xff);
}

static int writer(const char *path, uint64_t protocol, uint64_t size, uint64_t count, uint64_t epoch)
{
    size_t length;
    unsigned char *region = map(path, &length, 1);
    struct muchannel_header *h = (struct muchannel_header *)region;
    uint64_t elements = (length - 64) / size;
    store64(&h->epoch, 0);
    memset(region + 64, 0, length - 64);
    store64(&h->transport, MARKER);
    store64(&h->protocol, protocol);
    store64(&h->size, size);
    store64(&h->elements, elements);
    store64(&h->reserved, 0);
    store64(&h->wsc, 0);
    store64(&h->wc, 0);
    store64(&h->epoch, epoch);
    for (uint64_t n = 0; n < count; n++)
    {
        uint64_t wc = load64(&h->wc);
        unsigned char *slot = region + 64 + (wc % elements) * size;
        store64(&h->wsc, wc + 1);
        for (uint64_t j = 0; j < size; j++)
        {
            slot[j] = pattern(n, j);
        }
        store64(&h->wc, wc + 1);
    }
    printf("wrote=%llu elements=%llu\n", (unsigned long long)count, (unsigned long long)elements);
    return 0;
}

static int reader(const char *path, uint64_t protocol, uint64_t size, uint64_t count)
{
    size_t length;
    const unsigned char *region = map(path, &length, 0);
    const struct muchannel_header *h = (const struct muchannel_header *)region;
    unsigned char *element = malloc(size);
    uint64_t epoch = 0, elements = 0, rc = 0, read = 0, skipped = 0, overruns = 0, bad = 0;
    time_t deadline = time(NULL) + 60;
    while (read + skipped < count && time(NULL) < deadline)
    {
        uint64_t now = load64(&h->epoch);
        if (now == 0)
        {
            epoch = 0;
            continue;
        }
        if (now != epoch)
        {
            uint64_t s = load64(&h->size), e = load64(&h->elements);
            if (load64(&h->transport) != MARKER || load64(&h->protocol) != protocol || s != size || e == 0 ||
                e > (length - 64) / s)
            {
                fprintf(stderr, "incompatible header\n");
                return 3;
            }
            if (load64(&h->epoch) != now)
            {
                continue;
            }
            epoch = now;
            elements = e;
            rc = 0;
        }
        uint64_t wc = load64(&h->wc);
        if (rc >= wc)
        {
            continue;
        }
        memcpy(element, region + 64 + (rc % elements) * size, size);
        if (load64(&h->wsc) - rc > elements)
        {
            uint64_t newer = load64(&h->wc);
            skipped += newer - rc;
            overruns++;
            rc = newer;
            continue;
        }
        if (load64(&h->epoch) != epoch)
        {
            continue;
        }
        for (uint64_t j = 0; j < size; j++)
        {
            if (element[j] != pattern(rc, j))
            {
                bad++;
                break;
            }
        }
        rc++;
        read++;
    }
    printf("read=%llu skipped=%llu overruns=%llu bad=%llu\n", (unsigned long long)read,
        (unsigned long long)skipped, (unsigned long long)overruns, (unsigned long long)bad);
    return bad == 0 && read + skipped == count ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "offsets") == 0)
    {
        printf("transport=%zu epoch=%zu protocol=%zu size=%zu elements=%zu reserved=%zu wsc=%zu wc=%zu sizeof=%zu\n",
            offsetof(struct muchannel_header, transport), offsetof(struct muchannel_header, epoch),
            offsetof(struct muchannel_header, protocol), offsetof(struct muchannel_header, size),
            offsetof(struct muchannel_header, elements), offsetof(struct muchannel_header, reserved),
            offsetof(struct muchannel_header, wsc), offsetof(struct muchannel_header, wc),
            sizeof(struct muchannel_header));
        return 0;
    }
    if (argc == 7 && strcmp(argv[1], "write") == 0)
    {
        return writer(argv[2], strtoull(argv[3], NULL, 16), strtoull(argv[4], NULL, 10),
            strtoull(argv[5], NULL, 10), strtoull(argv[6], NULL, 16));
    }
    if (argc == 6 && strcmp(argv[1], "read") == 0)
    {
        return reader(argv[2], strtoull(argv[3], NULL, 16), strtoull(argv[4], NULL, 10),
            strtoull(argv[5], NULL, 10));
    }
    fprintf(stderr, "usage: shmstream_peer offsets | write FILE PROTOCOL SIZE COUNT EPOCH | "
        "read FILE PROTOCOL SIZE COUNT\n");
    return 2;
}
