/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.net;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * One end of the namespace test's TCP transfer, run in a namespace by a forked JVM:
 * {@code sink PORT} accepts one connection and prints the byte count and SHA-256 of everything received;
 * {@code source HOST PORT BYTES SEED} sends that many pseudo-random bytes and prints their count and SHA-256.
 */
public final class TcpEnd
{
    private TcpEnd()
    {
    }

    /**
     * Entry point.
     *
     * @param args {@code sink PORT} or {@code source HOST PORT BYTES SEED}.
     * @throws Exception on I/O failure (the test reads the exit code and output).
     */
    public static void main(final String[] args) throws Exception
    {
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        final byte[] buffer = new byte[1 << 16];
        long total = 0;
        if ("sink".equals(args[0]))
        {
            try (ServerSocket server = new ServerSocket())
            {
                server.bind(new InetSocketAddress(Integer.parseInt(args[1])));
                System.out.println("listening");
                System.out.flush();
                try (Socket s = server.accept(); InputStream in = s.getInputStream())
                {
                    int n;
                    while ((n = in.read(buffer)) > 0)
                    {
                        sha.update(buffer, 0, n);
                        total += n;
                    }
                }
            }
        }
        else
        {
            final long bytes = Long.parseLong(args[3]);
            final SplittableRandom random = new SplittableRandom(Long.parseLong(args[4]));
            try (Socket s = new Socket(args[1], Integer.parseInt(args[2])); OutputStream out = s.getOutputStream())
            {
                while (total < bytes)
                {
                    random.nextBytes(buffer);
                    final int n = (int)Math.min(buffer.length, bytes - total);
                    out.write(buffer, 0, n);
                    sha.update(buffer, 0, n);
                    total += n;
                }
            }
        }
        System.out.println("bytes=" + total + " sha256=" + HexFormat.of().formatHex(sha.digest()));
    }
}
