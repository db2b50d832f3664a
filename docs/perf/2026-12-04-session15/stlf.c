#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static uint8_t ring[64*512] __attribute__((aligned(64)));
static uint8_t dst[128] __attribute__((aligned(64)));
#define N 100000000L
__attribute__((noinline)) uint64_t run(int mode){
  uint64_t sum=0;
  for(long i=0;i<N;i++){
    uint8_t *s=ring+(i&511)*64;
    if(mode==0){ __m512i v=_mm512_loadu_si512(s); _mm512_storeu_si512(dst,v);}
    else if(mode==1){ __m256i a=_mm256_loadu_si256((void*)s),b=_mm256_loadu_si256((void*)(s+32)); _mm256_storeu_si256((void*)dst,a);_mm256_storeu_si256((void*)(dst+32),b);}
    else if(mode==2){ for(int k=0;k<64;k+=8){ uint64_t x; __builtin_memcpy(&x,s+k,8); __asm__ volatile(""::"r"(x)); __builtin_memcpy(dst+k,&x,8);} }
    else if(mode==3){ __m512i v=_mm512_loadu_si512(s); _mm512_storeu_si512(dst,v); __asm__ volatile("":::"memory"); sum+=*(volatile uint64_t*)(s); continue;}
    __asm__ volatile("":::"memory");
    uint64_t x=*(volatile uint64_t*)dst;
    sum+=x;
  }
  return sum;
}
int main(){
  for(int i=0;i<64*512;i++) ring[i]=i;
  const char*names[]={"zmm store, 8B reload","2x ymm store, 8B reload","8x 8B store, 8B reload","zmm store, no reload (read ring)"};
  for(int rep=0;rep<2;rep++) for(int m=0;m<4;m++){ double t=now(); uint64_t s=run(m); t=now()-t; printf("%-36s %.3f ns/iter (%lu)\n",names[m],t*1e9/N,s&1);}
}
