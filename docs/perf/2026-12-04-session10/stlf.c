/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * Session 10's store-to-load forwarding check: a dependent chain of (insert a value into a vector, store the vector,
 * load 8 bytes of it back) with 64-, 32- and 16-byte stores and an 8-byte one, ns per step.
 * gcc -O2 -mavx512f -mavx2 stlf.c -o stlf && ./stlf
 */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e9+t.tv_nsec;}
/* dependent chain: value loaded from buf+off feeds the next store's data via a vector insert */
#define N 100000000L
__attribute__((noinline)) uint64_t chain512(char *buf, int off){
  uint64_t x=1; __m512i v=_mm512_set1_epi64(3);
  for(long i=0;i<N;i++){ v=_mm512_mask_set1_epi64(v,1,x); _mm512_storeu_si512((void*)buf,v); x=*(volatile uint64_t*)(buf+off)+1; }
  return x;}
__attribute__((noinline)) uint64_t chain256(char *buf, int off){
  uint64_t x=1; __m256i v=_mm256_set1_epi64x(3);
  for(long i=0;i<N;i++){ v=_mm256_insert_epi64(v,x,0); _mm256_storeu_si256((void*)buf,v); x=*(volatile uint64_t*)(buf+off)+1; }
  return x;}
__attribute__((noinline)) uint64_t chain128(char *buf, int off){
  uint64_t x=1; __m128i v=_mm_set1_epi64x(3);
  for(long i=0;i<N;i++){ v=_mm_insert_epi64(v,x,0); _mm_storeu_si128((void*)buf,v); x=*(volatile uint64_t*)(buf+off)+1; }
  return x;}
__attribute__((noinline)) uint64_t chain64(char *buf, int off){
  uint64_t x=1;
  for(long i=0;i<N;i++){ *(volatile uint64_t*)buf=x; x=*(volatile uint64_t*)(buf+off)+1; }
  return x;}
/* control: the same chains with the 8-byte load spanning the stored vector's end (its last 4 bytes and 4 more), which no
 * store buffer can forward: what a failed forward costs here */
int main(){
  static char mem[4096] __attribute__((aligned(4096)));
  int bases[]={0,16,48};
  for(int b=0;b<3;b++){ char *buf=mem+128+bases[b];
    double t0=now(); uint64_t r=chain512(buf,0); double t1=now(); uint64_t r2=chain256(buf,0); double t2=now(); uint64_t r3=chain128(buf,0); double t3=now(); uint64_t r4=chain64(buf,0); double t4=now();
    printf("base mod 64=%2d  zmm->u64 %.2f ns  ymm->u64 %.2f ns  xmm->u64 %.2f ns  u64->u64 %.2f ns (%lu)\n",(128+bases[b])%64,(t1-t0)/N,(t2-t1)/N,(t3-t2)/N,(t4-t3)/N,(unsigned long)(r+r2+r3+r4));
    t0=now(); r=chain512(buf,60); t1=now(); r2=chain256(buf,28); t2=now(); r3=chain128(buf,12); t3=now(); r4=chain64(buf,4); t4=now();
    printf("  spanning the end: zmm %.2f ns  ymm %.2f ns  xmm %.2f ns  u64 %.2f ns (%lu)\n",(t1-t0)/N,(t2-t1)/N,(t3-t2)/N,(t4-t3)/N,(unsigned long)(r+r2+r3+r4));}
  return 0;}
