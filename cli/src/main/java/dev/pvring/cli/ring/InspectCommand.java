/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.ring;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.pvring.cli.CommandFailure;
import dev.pvring.cli.ExitCodes;
import dev.pvring.cli.Signals;
import dev.pvring.core.SharedMemory;
import dev.pvring.xen.ring.ConsoleRingDescriptor;
import dev.pvring.xen.ring.SharedRingDescriptor;
import dev.pvring.xen.ring.XenstoreRingDescriptor;
import org.agrona.concurrent.AtomicBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pvring inspect}: a live view of a ring's indices, like AeronStat. Reads through a read-only
 * mapping, so it never disturbs the peers.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {
        "Show the indices of a ring in a shared file: producer/consumer indices, pending and free entries,",
        "event indices; --watch refreshes every second with rates until SIGINT/SIGTERM. Maps the file read-only.",
        "Reads each consumer-side index before and after the producer index, so a healthy live ring is never",
        "called corrupt (exit 3 when the indices are inconsistent)."})
public final class InspectCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Shared file holding the ring.")
    private Path file;

    @Option(names = "--offset", defaultValue = "0", paramLabel = "BYTES", description = "Offset of the ring in FILE.")
    private int offset;

    @Option(names = "--layout", defaultValue = "sring", paramLabel = "LAYOUT",
        description = "sring, netif-tx, netif-rx, blkif, blkif-32, console or xenstore (default ${DEFAULT-VALUE}).")
    private String layoutName;

    @Option(names = "--entry-size", paramLabel = "BYTES",
        description = "Entry size of an sring (other layouts know theirs).")
    private Integer entrySize;

    @Option(names = "--pages", defaultValue = "1", paramLabel = "P", description = "Pages of an sring (default 1).")
    private int pages;

    @Option(names = "--watch", description = "Refresh every second until interrupted.")
    private boolean watch;

    @Option(names = "--interval", defaultValue = "1", paramLabel = "SECONDS", hidden = true)
    private double interval;

    @Option(names = "--iterations", defaultValue = "-1", paramLabel = "N", hidden = true,
        description = "With --watch: stop after N refreshes (for tests).")
    private long iterations;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final RingLayout layout = RingLayout.parse(layoutName);
        if (!Files.isRegularFile(file))
        {
            throw CommandFailure.failure("not a ring file: " + file + " does not exist or is not a regular file");
        }
        final long fileSize = Files.size(file);
        final int span = span(layout);
        if (offset < 0 || (offset & 3) != 0 || offset + (long)span > fileSize)
        {
            throw CommandFailure.failure(String.format(
                "not a ring: file=%s size=%d is too small for a %s ring of %d bytes at offset=%d", file, fileSize,
                layout.label, span, offset));
        }
        final long mapped = (offset + (long)span + SharedMemory.PAGE_SIZE - 1) / SharedMemory.PAGE_SIZE *
            SharedMemory.PAGE_SIZE;
        if (mapped > fileSize)
        {
            throw CommandFailure.failure(String.format(
                "not a ring file: file=%s size=%d is not page-aligned for a %s ring at offset=%d (needs %d)", file,
                fileSize, layout.label, offset, mapped));
        }
        try (SharedMemory memory = SharedMemory.open(file, 0, mapped, SharedMemory.Access.READ_ONLY))
        {
            final AtomicBuffer buffer = memory.buffer();
            Snapshot previous = null;
            long count = 0;
            do
            {
                final Snapshot now = Snapshot.take(buffer, offset, layout);
                final String problem = now.problem(layout, ringEntries(layout));
                print(out, now, previous, layout);
                if (problem != null)
                {
                    err.printf("not a ring (or a corrupt one): %s%n", problem);
                    err.flush();
                    if (!watch)
                    {
                        return ExitCodes.PEER;
                    }
                }
                previous = now;
                out.flush();
                if (watch && (iterations < 0 || ++count < iterations) && sleepUnlessStopped())
                {
                    continue;
                }
                break;
            }
            while (true);
            return ExitCodes.OK;
        }
    }

    /** Sleeps one interval in short steps; false if a stop signal arrived. */
    private boolean sleepUnlessStopped() throws InterruptedException
    {
        final long end = System.nanoTime() + (long)(interval * 1e9);
        while (!Signals.stopRequested())
        {
            final long left = end - System.nanoTime();
            if (left <= 0)
            {
                return true;
            }
            Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000)));
        }
        return false;
    }

    private int span(final RingLayout layout)
    {
        return switch (layout)
        {
            case CONSOLE -> ConsoleRingDescriptor.LENGTH;
            case XENSTORE -> XenstoreRingDescriptor.LENGTH;
            default -> pages * SharedRingDescriptor.PAGE_SIZE;
        };
    }

    private int ringEntries(final RingLayout layout)
    {
        final int size = layout.entrySize != 0 ? layout.entrySize : entrySize == null ? 0 : entrySize;
        if (layout == RingLayout.CONSOLE || layout == RingLayout.XENSTORE || size == 0)
        {
            return 0;
        }
        return SharedRingDescriptor.ringSize(pages * SharedRingDescriptor.PAGE_SIZE, size);
    }

    private void print(final PrintWriter out, final Snapshot s, final Snapshot prev, final RingLayout layout)
    {
        final long nanos = prev == null ? 0 : s.nanos - prev.nanos;
        switch (layout)
        {
            case CONSOLE ->
            {
                out.printf("console %s@%d%n", file, offset);
                out.printf("  in  (backend->guest): prod=%s cons=%s pending=%d of %d%s%n", u(s.a), u(s.b),
                    pending(s.a, s.b), ConsoleRingDescriptor.IN_LENGTH, rate(s.a, prev == null ? s.a : prev.a, nanos, "B"));
                out.printf("  out (guest->backend): prod=%s cons=%s pending=%d of %d%s%n", u(s.c), u(s.d),
                    pending(s.c, s.d), ConsoleRingDescriptor.OUT_LENGTH,
                    rate(s.c, prev == null ? s.c : prev.c, nanos, "B"));
            }
            case XENSTORE ->
            {
                out.printf("xenstore %s@%d%n", file, offset);
                out.printf("  req (guest->xenstored): prod=%s cons=%s pending=%d of %d%s%n", u(s.a), u(s.b),
                    pending(s.a, s.b), XenstoreRingDescriptor.RING_SIZE,
                    rate(s.a, prev == null ? s.a : prev.a, nanos, "B"));
                out.printf("  rsp (xenstored->guest): prod=%s cons=%s pending=%d of %d%s%n", u(s.c), u(s.d),
                    pending(s.c, s.d), XenstoreRingDescriptor.RING_SIZE,
                    rate(s.c, prev == null ? s.c : prev.c, nanos, "B"));
                out.printf("  server_features=0x%x connection=%s error=%s%n", s.e, u(s.f), u(s.g));
            }
            default ->
            {
                final int entries = ringEntries(layout);
                out.printf("%s %s@%d%s%n", layout.label, file, offset,
                    entries == 0 ? " (give --entry-size for free counts)" : " size=" + entries);
                out.printf("  req_prod=%s req_event=%s  rsp_prod=%s rsp_event=%s%n", u(s.a), u(s.b), u(s.c), u(s.d));
                out.printf("  outstanding (requests without response)=%d%s%s%n", pending(s.a, s.c),
                    entries == 0 ? "" : " free=" + (entries - pending(s.a, s.c)),
                    rate(s.a, prev == null ? s.a : prev.a, nanos, "req"));
                out.printf("  back asks to be woken %s; front asks to be woken %s%n", wake(s.b, s.a),
                    wake(s.d, s.c));
            }
        }
    }

    private static String wake(final int event, final int prod)
    {
        final int ahead = event - prod;
        return ahead > 0 ? "after " + ahead + " more" : "(event behind producer: notified or polling)";
    }

    private static String rate(final int now, final int before, final long nanos, final String unit)
    {
        if (nanos <= 0)
        {
            return "";
        }
        return String.format(" rate=%.0f %s/s", Integer.toUnsignedLong(now - before) * 1e9 / nanos, unit);
    }

    /**
     * Entries between a producer index and a consumer-side index read after it: on a live ring the later read may
     * be ahead by the entries consumed meanwhile, which shows as 0 (the ring was checked by {@link Snapshot#problem}).
     */
    private static long pending(final int prod, final int cons)
    {
        return Math.max(0, prod - cons);
    }

    private static String u(final int value)
    {
        return Integer.toUnsignedString(value);
    }

    /**
     * One read of the index words, each once with acquire, in an order that cannot make a healthy live ring look
     * corrupt: for each producer/consumer pair the consumer side is read before and after the producer.
     * {@code a..d} are the indices in layout order (sring: req_prod, req_event, rsp_prod, rsp_event; byte rings:
     * in/req prod, cons, out/rsp prod, cons); {@code b0}/{@code c0}/{@code d0} are the consumer-side words read
     * first. A healthy ring has {@code consumer(t1) <= producer(t2) <= consumer(t3) + size} for t1 < t2 < t3,
     * since both only move forward and the producer is never more than a ring ahead: {@link #problem} checks
     * exactly that.
     */
    private record Snapshot(long nanos, int a, int b, int c, int d, int e, int f, int g, int b0, int c0, int d0)
    {
        static Snapshot take(final AtomicBuffer buffer, final int base, final RingLayout layout)
        {
            final long now = System.nanoTime();
            return switch (layout)
            {
                case CONSOLE ->
                {
                    final int inCons0 = buffer.getIntAcquire(base + ConsoleRingDescriptor.IN_CONS_OFFSET);
                    final int outCons0 = buffer.getIntAcquire(base + ConsoleRingDescriptor.OUT_CONS_OFFSET);
                    final int inProd = buffer.getIntAcquire(base + ConsoleRingDescriptor.IN_PROD_OFFSET);
                    final int outProd = buffer.getIntAcquire(base + ConsoleRingDescriptor.OUT_PROD_OFFSET);
                    final int inCons = buffer.getIntAcquire(base + ConsoleRingDescriptor.IN_CONS_OFFSET);
                    final int outCons = buffer.getIntAcquire(base + ConsoleRingDescriptor.OUT_CONS_OFFSET);
                    yield new Snapshot(now, inProd, inCons, outProd, outCons, 0, 0, 0, inCons0, 0, outCons0);
                }
                case XENSTORE ->
                {
                    final int reqCons0 = buffer.getIntAcquire(base + XenstoreRingDescriptor.REQ_CONS_OFFSET);
                    final int rspCons0 = buffer.getIntAcquire(base + XenstoreRingDescriptor.RSP_CONS_OFFSET);
                    final int reqProd = buffer.getIntAcquire(base + XenstoreRingDescriptor.REQ_PROD_OFFSET);
                    final int rspProd = buffer.getIntAcquire(base + XenstoreRingDescriptor.RSP_PROD_OFFSET);
                    final int reqCons = buffer.getIntAcquire(base + XenstoreRingDescriptor.REQ_CONS_OFFSET);
                    final int rspCons = buffer.getIntAcquire(base + XenstoreRingDescriptor.RSP_CONS_OFFSET);
                    yield new Snapshot(now, reqProd, reqCons, rspProd, rspCons,
                        buffer.getIntAcquire(base + XenstoreRingDescriptor.SERVER_FEATURES_OFFSET),
                        buffer.getIntAcquire(base + XenstoreRingDescriptor.CONNECTION_OFFSET),
                        buffer.getIntAcquire(base + XenstoreRingDescriptor.ERROR_OFFSET), reqCons0, 0, rspCons0);
                }
                default ->
                {
                    // responses follow requests: rsp_prod is the "consumer side" of req_prod
                    final int rspProd0 = buffer.getIntAcquire(base + SharedRingDescriptor.RSP_PROD_OFFSET);
                    final int reqEvent = buffer.getIntAcquire(base + SharedRingDescriptor.REQ_EVENT_OFFSET);
                    final int reqProd = buffer.getIntAcquire(base + SharedRingDescriptor.REQ_PROD_OFFSET);
                    final int rspEvent = buffer.getIntAcquire(base + SharedRingDescriptor.RSP_EVENT_OFFSET);
                    final int rspProd = buffer.getIntAcquire(base + SharedRingDescriptor.RSP_PROD_OFFSET);
                    yield new Snapshot(now, reqProd, reqEvent, rspProd, rspEvent, 0, 0, 0, 0, rspProd0, 0);
                }
            };
        }

        String problem(final RingLayout layout, final int entries)
        {
            switch (layout)
            {
                case CONSOLE:
                    final String c1 = check("in", a, b0, b, ConsoleRingDescriptor.IN_LENGTH) +
                        check("out", c, d0, d, ConsoleRingDescriptor.OUT_LENGTH);
                    return c1.isEmpty() ? null : c1;
                case XENSTORE:
                    final String p = check("req", a, b0, b, XenstoreRingDescriptor.RING_SIZE) +
                        check("rsp", c, d0, d, XenstoreRingDescriptor.RING_SIZE);
                    return p.isEmpty() ? null : p;
                default:
                    if (a == 0 && b == 0 && c == 0 && d == 0)
                    {
                        return "header is all zero (not initialised: SHARED_RING_INIT sets both event indices to 1)";
                    }
                    final int limit = entries == 0 ? 1 << 20 : entries;
                    if (a - c0 < 0)
                    {
                        return "rsp_prod=" + u(c0) + " is ahead of req_prod=" + u(a) +
                            " (more responses than requests)";
                    }
                    if (a - c > limit)
                    {
                        return "req_prod=" + u(a) + " is " + (a - c) + " ahead of rsp_prod=" + u(c) +
                            ", more than the ring holds (" + (entries == 0 ? "any plausible size" : "size=" + entries) +
                            ")";
                    }
                    return null;
            }
        }

        /** {@code cons0 <= prod <= cons + size}, with cons0 read before and cons after prod (serial arithmetic). */
        private static String check(final String name, final int prod, final int cons0, final int cons, final int size)
        {
            if (prod - cons0 < 0)
            {
                return name + ": cons=" + u(cons0) + " is ahead of prod=" + u(prod) + "; ";
            }
            return prod - cons > size ? name + ": prod=" + u(prod) + " cons=" + u(cons) + " pending=" + (prod - cons) +
                " exceeds size=" + size + "; " : "";
        }
    }
}
