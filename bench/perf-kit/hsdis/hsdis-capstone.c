/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * A minimal hsdis (HotSpot disassembler plug-in) on Debian's capstone, for reading C2's code with
 * -XX:+PrintAssembly and for JMH's perfasm profiler. JDK 25 loads `hsdis-amd64.so` from the JDK's lib directory
 * or from LD_LIBRARY_PATH and calls decode_instructions_virtual; Debian's libhsdis0-fcml exports only the older
 * decode_instructions, which JDK 25 does not load.
 *
 * Undecodable bytes are printed as `.byte` and skipped (CS_OPT_SKIPDATA). Without that, capstone 4 stops at the
 * first instruction it does not know (some AVX-512 EVEX forms C2 emits with the Vector API) and the listing of
 * the rest of the method is silently missing: perfasm then books the samples of the missing code as "[unknown]".
 * A skipped byte can put the next few instructions out of step; the listing recovers within a few instructions.
 *
 * Build and use (apt-get install -y libcapstone-dev):
 *   bench/perf-kit/hsdis/build.sh                      # -> ${TMPDIR:-/tmp}/pvring-hsdis/hsdis-amd64.so
 *   LD_LIBRARY_PATH=/tmp/pvring-hsdis java -XX:+UnlockDiagnosticVMOptions -XX:+PrintAssembly ...
 */
#include <capstone/capstone.h>
#include <stddef.h>
#include <stdint.h>

typedef void *(*event_callback)(void *stream, const char *event, void *arg);
typedef int (*printf_callback)(void *stream, const char *format, ...);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
    event_callback event, void *event_stream, printf_callback print, void *print_stream, const char *options,
    int newline)
{
    (void)end_va;
    (void)options;
    csh handle;
    cs_insn *insn;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK)
    {
        return NULL;
    }
    cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_INTEL);
    cs_option(handle, CS_OPT_SKIPDATA, CS_OPT_ON);
    size_t count = cs_disasm(handle, buffer, length, start_va, 0, &insn);
    for (size_t i = 0; i < count; i++)
    {
        if (event)
        {
            event(event_stream, "insn", (void *)(uintptr_t)insn[i].address);
        }
        print(print_stream, "%s\t%s", insn[i].mnemonic, insn[i].op_str);
        if (event)
        {
            event(event_stream, "/insn", (void *)(uintptr_t)(insn[i].address + insn[i].size));
        }
        if (newline)
        {
            print(print_stream, "\n");
        }
    }
    if (count)
    {
        cs_free(insn, count);
    }
    cs_close(&handle);
    return (void *)(start_va + length);
}
