/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.xenstore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.pvring.xen.store.SocketXenStore;
import dev.pvring.xen.store.XenStore;
import dev.pvring.xen.store.Xenstored;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Requests per second served by the Java xenstored to N concurrent clients, each a separate unix socket
 * connection (a {@link SocketXenStore} per JMH thread), over the dom0 socket. N is the JMH thread count
 * ({@code -t N}, default 4); the total of the thread scores is the server's requests/s. Operations: a READ of an
 * existing node, a WRITE of a per-client node, and a transaction (start, read, write, commit: 4 requests).
 * Figures: {@code java -jar bench/target/benchmarks.jar XenstoredRequests -t 1|4|16} on an idle machine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(4)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class XenstoredRequestsBenchmark
{
    private final AtomicInteger clients = new AtomicInteger();
    private Path dir;
    private Xenstored server;

    /**
     * Starts the server and seeds the node read by {@link #read}.
     *
     * @throws IOException if the temporary directory cannot be created.
     */
    @Setup(Level.Trial)
    public void startServer() throws IOException
    {
        dir = Files.createTempDirectory("pvring-xenstored-bench");
        server = Xenstored.start(dir.resolve("socket"));
        try (SocketXenStore dom0 = SocketXenStore.connect(server.socket()))
        {
            dom0.write("/bench/key", "value-of-a-typical-xenstore-node");
        }
    }

    /**
     * Stops the server.
     *
     * @throws IOException if the temporary directory cannot be removed.
     */
    @TearDown(Level.Trial)
    public void stopServer() throws IOException
    {
        server.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One client connection per benchmark thread. */
    @State(Scope.Thread)
    public static class Client
    {
        SocketXenStore store;
        String ownPath;
        byte[] value = "1".getBytes();

        /**
         * Connects this thread's client.
         *
         * @param bench the shared server state.
         */
        @Setup(Level.Trial)
        public void connect(final XenstoredRequestsBenchmark bench)
        {
            store = SocketXenStore.connect(bench.server.socket());
            ownPath = "/bench/client" + bench.clients.incrementAndGet();
            store.write(XenStore.NO_TRANSACTION, ownPath, value);
        }

        /**
         * Disconnects.
         */
        @TearDown(Level.Trial)
        public void close()
        {
            store.close();
        }
    }

    /**
     * One READ round trip.
     *
     * @param client this thread's client.
     * @return the value (consumed by JMH).
     */
    @Benchmark
    public byte[] read(final Client client)
    {
        return client.store.read(XenStore.NO_TRANSACTION, "/bench/key");
    }

    /**
     * One WRITE round trip (no watchers).
     *
     * @param client this thread's client.
     */
    @Benchmark
    public void write(final Client client)
    {
        client.store.write(XenStore.NO_TRANSACTION, client.ownPath, client.value);
    }

    /**
     * A transaction of four requests: start, read, write, commit (retried on EAGAIN).
     *
     * @param client this thread's client.
     * @return the value read.
     */
    @Benchmark
    public byte[] transaction(final Client client)
    {
        return client.store.transaction(tx ->
        {
            final byte[] v = client.store.read(tx, client.ownPath);
            client.store.write(tx, client.ownPath, client.value);
            return v;
        });
    }
}
