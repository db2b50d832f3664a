/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.ring;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

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
        "event indices; --watch refreshes every second with rates. Maps the file read-only."})
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
            err.printf("not a ring file: %s does not exist or is not a regular file%n", file);
            return 1;
        }
        final long fileSize = Files.size(file);
        final int span = span(layout);
        if (offset < 0 || (offset & 3) != 0 || offset + (long)span > fileSize)
        {
            err.printf("not a ring: file=%s size=%d is too small for a %s ring of %d bytes at offset=%d%n", file,
                fileSize, layout.label, span, offset);
            return 1;
        }
        final long mapped = (offset + (long)span + SharedMemory.PAGE_SIZE - 1) / SharedMemory.PAGE_SIZE *
            SharedMemory.PAGE_SIZE;
        if (mapped > fileSize)
        {
            err.printf("not a ring file: file=%s size=%d is not page-aligned for a %s ring at offset=%d (needs %d)%n",
                file, fileSize, layout.label, offset, mapped);
            return 1;
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
                        return 2;
                    }
                }
                previous = now;
                out.flush();
                if (watch && (iterations < 0 || ++count < iterations))
                {
                    Thread.sleep((long)(interval * 1000));
                }
                else
                {
                    break;
                }
            }
            while (true);
            return 0;
        }
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
                out.printf("  in  (backend->guest): prod=%s cons=%s pending=%d of %d%s%n", u(s.a), u(s.b), s.a - s.b,
                    ConsoleRingDescriptor.IN_LENGTH, rate(s.a, prev == null ? s.a : prev.a, nanos, "B"));
                out.printf("  out (guest->backend): prod=%s cons=%s pending=%d of %d%s%n", u(s.c), u(s.d), s.c - s.d,
                    ConsoleRingDescriptor.OUT_LENGTH, rate(s.c, prev == null ? s.c : prev.c, nanos, "B"));
            }
            case XENSTORE ->
            {
                out.printf("xenstore %s@%d%n", file, offset);
                out.printf("  req (guest->xenstored): prod=%s cons=%s pending=%d of %d%s%n", u(s.a), u(s.b), s.a - s.b,
                    XenstoreRingDescriptor.RING_SIZE, rate(s.a, prev == null ? s.a : prev.a, nanos, "B"));
                out.printf("  rsp (xenstored->guest): prod=%s cons=%s pending=%d of %d%s%n", u(s.c), u(s.d), s.c - s.d,
                    XenstoreRingDescriptor.RING_SIZE, rate(s.c, prev == null ? s.c : prev.c, nanos, "B"));
                out.printf("  server_features=0x%x connection=%d error=%d%n", s.e, s.f, s.g);
            }
            default ->
            {
                final int entries = ringEntries(layout);
                out.printf("%s %s@%d%s%n", layout.label, file, offset,
                    entries == 0 ? " (give --entry-size for free counts)" : " size=" + entries);
                out.printf("  req_prod=%s req_event=%s  rsp_prod=%s rsp_event=%s%n", u(s.a), u(s.b), u(s.c), u(s.d));
                out.printf("  outstanding (requests without response)=%d%s%s%n", s.a - s.c,
                    entries == 0 ? "" : " free=" + (entries - (s.a - s.c)),
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

    private static String u(final int value)
    {
        return Integer.toUnsignedString(value);
    }

    /** One consistent-enough read of the index words (each read once, acquire). */
    private record Snapshot(long nanos, int a, int b, int c, int d, int e, int f, int g)
    {
        static Snapshot take(final AtomicBuffer buffer, final int base, final RingLayout layout)
        {
            final long now = System.nanoTime();
            return switch (layout)
            {
                case CONSOLE -> new Snapshot(now,
                    buffer.getIntAcquire(base + ConsoleRingDescriptor.IN_PROD_OFFSET),
                    buffer.getIntAcquire(base + ConsoleRingDescriptor.IN_CONS_OFFSET),
                    buffer.getIntAcquire(base + ConsoleRingDescriptor.OUT_PROD_OFFSET),
                    buffer.getIntAcquire(base + ConsoleRingDescriptor.OUT_CONS_OFFSET), 0, 0, 0);
                case XENSTORE -> new Snapshot(now,
                    buffer.getIntAcquire(base + XenstoreRingDescriptor.REQ_PROD_OFFSET),
                    buffer.getIntAcquire(base + XenstoreRingDescriptor.REQ_CONS_OFFSET),
                    buffer.getIntAcquire(base + XenstoreRingDescriptor.RSP_PROD_OFFSET),
                    buffer.getIntAcquire(base + XenstoreRingDescriptor.RSP_CONS_OFFSET),
                    buffer.getIntAcquire(base + XenstoreRingDescriptor.SERVER_FEATURES_OFFSET),
                    buffer.getIntAcquire(base + XenstoreRingDescriptor.CONNECTION_OFFSET),
                    buffer.getIntAcquire(base + XenstoreRingDescriptor.ERROR_OFFSET));
                default -> new Snapshot(now,
                    buffer.getIntAcquire(base + SharedRingDescriptor.REQ_PROD_OFFSET),
                    buffer.getIntAcquire(base + SharedRingDescriptor.REQ_EVENT_OFFSET),
                    buffer.getIntAcquire(base + SharedRingDescriptor.RSP_PROD_OFFSET),
                    buffer.getIntAcquire(base + SharedRingDescriptor.RSP_EVENT_OFFSET), 0, 0, 0);
            };
        }

        String problem(final RingLayout layout, final int entries)
        {
            switch (layout)
            {
                case CONSOLE:
                    final String c1 = check("in", a, b, ConsoleRingDescriptor.IN_LENGTH) + check("out", c, d,
                        ConsoleRingDescriptor.OUT_LENGTH);
                    return c1.isEmpty() ? null : c1;
                case XENSTORE:
                    final String p = check("req", a, b, XenstoreRingDescriptor.RING_SIZE) +
                        check("rsp", c, d, XenstoreRingDescriptor.RING_SIZE);
                    return p.isEmpty() ? null : p;
                default:
                    if (a == 0 && b == 0 && c == 0 && d == 0)
                    {
                        return "header is all zero (not initialised: SHARED_RING_INIT sets both event indices to 1)";
                    }
                    final long outstanding = Integer.toUnsignedLong(a - c);
                    final long limit = entries == 0 ? 1L << 20 : entries;
                    if (outstanding > limit)
                    {
                        return "req_prod=" + u(a) + " is " + outstanding + " ahead of rsp_prod=" + u(c) +
                            ", more than the ring holds (" + (entries == 0 ? "any plausible size" : "size=" + entries) +
                            ")";
                    }
                    return null;
            }
        }

        private static String check(final String name, final int prod, final int cons, final int size)
        {
            final long queued = Integer.toUnsignedLong(prod - cons);
            return queued > size ? name + ": prod=" + u(prod) + " cons=" + u(cons) + " pending=" + queued +
                " exceeds size=" + size + "; " : "";
        }
    }
}
