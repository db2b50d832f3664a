/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.pvring.core.SharedMemory;
import dev.pvring.testkit.NativeTools;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test against the C macros: random scripts of ring operations run through {@code io/ring.h}
 * ({@code src/test/c/golden.c}) and through {@link FrontRing}/{@link BackRing}; after every step the 4 KiB
 * page and the operation's result (notify decision, final-check result, consumed count and checksum) must
 * be identical. Start indices include values just below the 2^32 wrap.
 */
class GoldenPageTest
{
    private static final int REQ_SIZE = 64;
    private static final int RSP_SIZE = 32;
    private static final int ENTRY_SIZE = 64;
    private static final int PAGE = 4096;
    private static Path golden;

    @BeforeAll
    static void compile() throws IOException
    {
        final Path dir = Files.createDirectories(Path.of("target/native"));
        golden = NativeTools.compile(Path.of("src/test/c/golden.c"), dir.resolve("golden"));
    }

    @Test
    void shouldLeaveByteIdenticalPagesNearTheWrap() throws Exception
    {
        runScripts(new SplittableRandom(1), 60, true);
    }

    @Test
    void shouldLeaveByteIdenticalPagesFromRandomStarts() throws Exception
    {
        runScripts(new SplittableRandom(2), 60, false);
    }

    @Test
    void shouldMatchAHandWrittenScript() throws Exception
    {
        final List<String> script = List.of("init 0", "evreq 1", "req 3 7", "pushn", "pushn", "consume 2",
            "rsp 2 1", "rpushn", "fcreq", "consume 9", "fcreq", "rsp 1 2", "rpush", "rconsume 5", "fcrsp",
            "req 32 3", "pushn", "evreq 4", "consume 40", "rsp 32 4", "rpushn", "rconsume 40", "evrsp 3");
        final List<String> java = runJava(script);
        assertThat(runC(script)).containsExactlyElementsOf(java);
        // the first push notifies (req_event = 1 after SHARED_RING_INIT), the second publishes nothing
        assertThat(java.get(3)).startsWith("pushn|1|");
        assertThat(java.get(4)).startsWith("pushn|0|");
    }

    private static void runScripts(final SplittableRandom random, final int scripts, final boolean nearWrap)
        throws Exception
    {
        for (int s = 0; s < scripts; s++)
        {
            final int start = nearWrap ? 0xFFFF_FFFF - random.nextInt(80) : random.nextInt();
            final List<String> script = generate(random, start, 120);
            final List<String> java = runJava(script);
            final List<String> c = runC(script);
            assertThat(c).as("script %d start=%s", s, Integer.toUnsignedString(start)).hasSameSizeAs(java);
            for (int i = 0; i < c.size(); i++)
            {
                assertThat(java.get(i)).as("script %d step %d: %s", s, i, script.get(i)).isEqualTo(c.get(i));
            }
        }
    }

    /** Random valid operations, chosen by running them on a Java model as they are generated. */
    private static List<String> generate(final SplittableRandom random, final int start, final int length)
    {
        final UnsafeBuffer page = new UnsafeBuffer(new byte[PAGE]);
        final FrontRing front = FrontRing.init(page, 0, PAGE, ENTRY_SIZE, start);
        final BackRing back = BackRing.attach(page, 0, PAGE, ENTRY_SIZE, start);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[ENTRY_SIZE]);
        final List<String> script = new ArrayList<>();
        script.add("init " + Integer.toUnsignedString(start));
        for (int i = 0; i < length; i++)
        {
            final String op = switch (random.nextInt(12))
            {
                case 0, 1 -> "req " + random.nextInt(front.freeRequests() + 1) + " " + random.nextInt(256);
                case 2 -> "push";
                case 3 -> "pushn";
                case 4, 5 -> "consume " + random.nextInt(40);
                case 6 -> "rsp " + random.nextInt(back.owedResponses() + 1) + " " + random.nextInt(256);
                case 7 -> random.nextBoolean() ? "rpush" : "rpushn";
                case 8 -> "rconsume " + random.nextInt(40);
                case 9 -> random.nextBoolean() ? "fcreq" : "fcrsp";
                default -> (random.nextBoolean() ? "evreq " : "evrsp ") + (1 + random.nextInt(8));
            };
            apply(op, front, back, scratch);
            script.add(op);
        }
        return script;
    }

    private static List<String> runJava(final List<String> script)
    {
        try (SharedMemory memory = SharedMemory.anonymous(PAGE))
        {
            final AtomicBuffer page = memory.buffer();
            page.setMemory(0, PAGE, (byte)0xA5);
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[ENTRY_SIZE]);
            final List<String> out = new ArrayList<>();
            FrontRing front = null;
            BackRing back = null;
            for (final String line : script)
            {
                final String result;
                if (line.startsWith("init "))
                {
                    final int start = Integer.parseUnsignedInt(line.substring(5));
                    front = start == 0 ? FrontRing.init(page, 0, PAGE, ENTRY_SIZE) :
                        FrontRing.init(page, 0, PAGE, ENTRY_SIZE, start);
                    back = BackRing.attach(page, 0, PAGE, ENTRY_SIZE, start);
                    result = "-";
                }
                else
                {
                    result = apply(line, front, back, scratch);
                }
                out.add(line + "|" + result + "|" + hex(page));
            }
            return out;
        }
    }

    private static String apply(final String line, final FrontRing front, final BackRing back, final UnsafeBuffer tmp)
    {
        final String[] f = line.split(" ");
        final int a = f.length > 1 ? Integer.parseInt(f[1]) : 0;
        final int c = f.length > 2 ? Integer.parseInt(f[2]) : 0;
        final AtomicBuffer page = front.buffer();
        switch (f[0])
        {
            case "req":
                for (int k = 0; k < a; k++)
                {
                    final int index = front.reqProdPvt();
                    final int offset = front.claimRequest();
                    assertThat(offset).isNotNegative();
                    for (int j = 0; j < REQ_SIZE; j++)
                    {
                        page.putByte(offset + j, (byte)(c + index * 7 + j * 13));
                    }
                }
                return "-";
            case "push":
                front.pushRequests();
                return "-";
            case "pushn":
                return front.pushRequestsAndCheckNotify() ? "1" : "0";
            case "consume":
            {
                final int n = Math.min(a, back.unconsumedRequests());
                int h = 0x811C9DC5;
                for (int k = 0; k < n; k++)
                {
                    assertThat(back.copyRequest(tmp, 0, REQ_SIZE)).isTrue();
                    h = fnv(h, tmp, REQ_SIZE);
                }
                return n + ":" + String.format("%08x", h);
            }
            case "rsp":
                for (int k = 0; k < a; k++)
                {
                    final int index = back.rspProdPvt();
                    final int offset = back.claimResponse();
                    for (int j = 0; j < RSP_SIZE; j++)
                    {
                        page.putByte(offset + j, (byte)(c + index * 5 + j * 3));
                    }
                }
                return "-";
            case "rpush":
                back.pushResponses();
                return "-";
            case "rpushn":
                return back.pushResponsesAndCheckNotify() ? "1" : "0";
            case "rconsume":
            {
                final int n = Math.min(a, front.unconsumedResponses());
                int h = 0x811C9DC5;
                for (int k = 0; k < n; k++)
                {
                    assertThat(front.copyResponse(tmp, 0, RSP_SIZE)).isTrue();
                    h = fnv(h, tmp, RSP_SIZE);
                }
                return n + ":" + String.format("%08x", h);
            }
            case "fcreq":
                return back.finalCheckForRequests() ? "1" : "0";
            case "fcrsp":
                return front.finalCheckForResponses() ? "1" : "0";
            case "evreq":
                return back.finalCheckForRequests(a) ? "1" : "0";
            case "evrsp":
                return front.finalCheckForResponses(a) ? "1" : "0";
            default:
                throw new IllegalArgumentException("unknown op: " + line);
        }
    }

    private static int fnv(final int seed, final UnsafeBuffer bytes, final int length)
    {
        int h = seed;
        for (int i = 0; i < length; i++)
        {
            h ^= bytes.getByte(i) & 0xFF;
            h *= 16777619;
        }
        return h;
    }

    private static String hex(final AtomicBuffer page)
    {
        final StringBuilder sb = new StringBuilder(PAGE * 2);
        for (int i = 0; i < PAGE; i++)
        {
            final int b = page.getByte(i) & 0xFF;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
        }
        return sb.toString();
    }

    private static List<String> runC(final List<String> script) throws Exception
    {
        final Process p = new ProcessBuilder(golden.toString()).redirectErrorStream(true).start();
        try (var in = p.getOutputStream())
        {
            in.write((String.join("\n", script) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }
}
