/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * C anchor for mapping one page of a shared file and unmapping it again (what the simulated grant table does per
 * mapped grant): mmap(MAP_SHARED) of a kept descriptor, munmap; then the same with one byte written in between
 * (a page fault). pvring's GrantMapBenchmark.mapUnmap does not touch the page: compare it with the first line.
 * usage: mmap_anchor [ITERATIONS]   prints ns per operation, median [min..max] of 5 rounds.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1e9 + t.tv_nsec; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    char path[] = "/dev/shm/pvring-mmap-anchor-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || ftruncate(fd, 16 * 4096) != 0) { perror("mmap_anchor: file"); return 1; }
    unlink(path);
    for (int touch = 0; touch < 2; touch++) {
        double rounds[5];
        for (int r = 0; r < 5; r++) {
            double t0 = now();
            for (long i = 0; i < n; i++) {
                volatile char *p = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (i & 15) * 4096);
                if (p == MAP_FAILED) { perror("mmap_anchor: mmap"); return 1; }
                if (touch) p[0] = (char)i;
                munmap((void *)p, 4096);
            }
            rounds[r] = (now() - t0) / n;
        }
        qsort(rounds, 5, sizeof rounds[0], cmp);
        printf("mmap+%smunmap 4 KiB shared file page: median=%.0f ns [%.0f..%.0f]\n", touch ? "touch+" : "",
            rounds[2], rounds[0], rounds[4]);
    }
    return 0;
}
