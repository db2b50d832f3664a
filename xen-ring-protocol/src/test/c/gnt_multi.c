/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * Builds the multi-page gntdev map request and gntalloc alloc request the way a C caller does with Xen's
 * copies of the Linux headers (/usr/include/xen/sys/), and prints their bytes as "name.N value" lines, compared
 * with GntdevDescriptor.encodeMap and GntallocDescriptor.encodeAlloc by GrantIoctlEncodingTest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/sys/gntdev.h>
#include <xen/sys/gntalloc.h>

#define COUNT 5

static void dump(const char *name, const void *p, size_t length)
{
    const unsigned char *bytes = p;
    size_t i;
    printf("%s.length %zu\n", name, length);
    for (i = 0; i < length; i++)
    {
        printf("%s.%zu %u\n", name, i, bytes[i]);
    }
}

int main(void)
{
    static const uint32_t refs[COUNT] = { 8, 4095, 0x12345678u, 0xFFFFFFFFu, 77 };
    size_t mapLength = sizeof(struct ioctl_gntdev_map_grant_ref) + (COUNT - 1) * sizeof(struct ioctl_gntdev_grant_ref);
    struct ioctl_gntdev_map_grant_ref *map = calloc(1, mapLength);
    size_t allocLength = sizeof(struct ioctl_gntalloc_alloc_gref) + (COUNT - 1) * sizeof(uint32_t);
    struct ioctl_gntalloc_alloc_gref *alloc;
    int i;

    map->count = COUNT;
    for (i = 0; i < COUNT; i++)
    {
        map->refs[i].domid = 0x7FEF;
        map->refs[i].ref = refs[i];
    }
    dump("map", map, mapLength);

    /* 8-aligned like the kernel copies it; gref_ids are outputs, zero on the way in. */
    allocLength = (allocLength + 7) & ~(size_t)7;
    alloc = calloc(1, allocLength);
    alloc->domid = 0x1234;
    alloc->flags = GNTALLOC_FLAG_WRITABLE;
    alloc->count = COUNT;
    dump("alloc", alloc, allocLength);
    alloc->flags = 0;
    dump("allocro", alloc, allocLength);
    free(map);
    free(alloc);
    return 0;
}
