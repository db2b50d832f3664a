/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's xenstore-utils (libxenstore 4.17) as real clients: each tool runs as a separate process with
 * {@code XENSTORED_PATH} pointing at the Java xenstored and must get the answers (exit codes, output format,
 * error text) it gets from C xenstored.
 */
class XenstoreUtilsTest
{
    private static final String INSTALL = "xenstore-utils is missing: apt-get install -y xenstore-utils";

    @TempDir
    Path dir;

    private Xenstored server;
    private SocketXenStore dom0;

    /** Result of one tool run. */
    record Run(int exit, String out, String err)
    {
    }

    @BeforeAll
    static void requireTools()
    {
        for (final String tool : List.of("read", "write", "ls", "rm", "list", "exists", "chmod", "watch"))
        {
            assertThat(Files.isExecutable(Path.of("/usr/bin/xenstore-" + tool))).as(INSTALL).isTrue();
        }
    }

    @BeforeEach
    void start()
    {
        server = XsTestSupport.start(dir);
        dom0 = XsTestSupport.dom0(server);
    }

    @AfterEach
    void stop()
    {
        dom0.close();
        server.close();
        assertThat(server.internalErrors()).isZero();
    }

    private Run run(final Path socket, final String tool, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add("/usr/bin/xenstore-" + tool);
        command.addAll(List.of(args));
        final ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("XENSTORED_PATH", socket.toString());
        final Path out = dir.resolve("out.txt");
        final Path err = dir.resolve("err.txt");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        final Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new AssertionError("xenstore-" + tool + " did not finish");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Run run(final String tool, final String... args) throws Exception
    {
        return run(server.socket(), tool, args);
    }

    @Test
    void shouldWriteAndReadLikeXenstored() throws Exception
    {
        assertThat(run("write", "/vm/name", "hello world", "/vm/id", "7")).isEqualTo(new Run(0, "", ""));
        assertThat(run("read", "/vm/name")).isEqualTo(new Run(0, "hello world\n", ""));
        assertThat(run("read", "/vm/name", "/vm/id")).isEqualTo(new Run(0, "hello world\n7\n", ""));
        assertThat(run("read", "-p", "/vm/id")).isEqualTo(new Run(0, "/vm/id: 7\n", ""));
        assertThat(run("read", "/vm")).isEqualTo(new Run(0, "\n", ""));
        assertThat(run("read", "/nope"))
            .isEqualTo(new Run(1, "", "xenstore-read: couldn't read path /nope\n"));
        // Several keys are read in a transaction; what was read before the failure is still printed.
        assertThat(run("read", "/vm/name", "/nope"))
            .isEqualTo(new Run(1, "hello world\n", "xenstore-read: couldn't read path /nope\n"));
        assertThat(run("read", "/bad//path"))
            .isEqualTo(new Run(1, "", "xenstore-read: couldn't read path /bad//path\n"));
    }

    @Test
    void shouldRoundTripEscapedBinaryValues() throws Exception
    {
        assertThat(run("write", "/bin", "a\\x01\\tb\\\\").exit()).isZero();
        assertThat(dom0.read("/bin")).containsExactly('a', 1, '\t', 'b', '\\');
        assertThat(run("read", "/bin")).isEqualTo(new Run(0, "a\\001\\tb\\\\\n", ""));
    }

    @Test
    void shouldReadRelativePathsBelowTheCallersDomain() throws Exception
    {
        dom0.write("/local/domain/0/name", "Domain-0");
        assertThat(run("read", "name")).isEqualTo(new Run(0, "Domain-0\n", ""));
        dom0.introduceDomain(5, 1, 1);
        dom0.mkdir(0, "/local/domain/5");
        dom0.setPermissions(0, "/local/domain/5", List.of(new XsPermission(5, XsAccess.NONE)));
        dom0.write("/local/domain/5/name", "guest");
        final Path dom5 = Xenstored.domainSocketPath(server.socket(), 5);
        assertThat(run(dom5, "read", "name")).isEqualTo(new Run(0, "guest\n", ""));
        assertThat(run(dom5, "write", "data/x", "1")).isEqualTo(new Run(0, "", ""));
        assertThat(dom0.readString("/local/domain/5/data/x")).isEqualTo("1");
    }

    @Test
    void shouldExistAndListLikeXenstored() throws Exception
    {
        dom0.write("/l/b", "1");
        dom0.write("/l/a", "2");
        assertThat(run("exists", "/l/a")).isEqualTo(new Run(0, "", ""));
        assertThat(run("exists", "/l/zz")).isEqualTo(new Run(1, "", ""));
        assertThat(run("list", "/l")).isEqualTo(new Run(0, "b\na\n", ""));
        assertThat(run("list", "-p", "/l")).isEqualTo(new Run(0, "/l/b\n/l/a\n", ""));
        assertThat(run("list", "/")).isEqualTo(new Run(0, "tool\nl\n", ""));
        assertThat(run("list", "/l/b")).isEqualTo(new Run(0, "", ""));
        assertThat(run("list", "/nope")).isEqualTo(new Run(1, "", "xenstore-list: could not list path /nope\n"));
    }

    @Test
    void shouldPrintTreesLikeXenstored() throws Exception
    {
        dom0.write("/local/domain/0/name", "Domain-0");
        dom0.write("/vm/k", "v".repeat(100));
        assertThat(run("ls")).isEqualTo(new Run(0,
            "tool = \"\"\n" +
            " xenstored = \"\"\n" +
            "local = \"\"\n" +
            " domain = \"\"\n" +
            "  0 = \"\"\n" +
            "   name = \"Domain-0\"\n" +
            "vm = \"\"\n" +
            " k = \"" + "v".repeat(70) + "\\...\"\n", ""));
        assertThat(run("ls", "/local")).isEqualTo(new Run(0,
            "domain = \"\"\n 0 = \"\"\n  name = \"Domain-0\"\n", ""));
        assertThat(run("ls", "-f", "/local")).isEqualTo(new Run(0,
            "/local/domain = \"\"\n/local/domain/0 = \"\"\n/local/domain/0/name = \"Domain-0\"\n", ""));
        dom0.setPermissions(0, "/local/domain/0/name", List.of(new XsPermission(0, XsAccess.NONE),
            new XsPermission(3, XsAccess.READ)));
        final Run perms = run("ls", "-p", "/local/domain/0");
        assertThat(perms.exit()).isZero();
        assertThat(perms.out()).startsWith("name = \"Domain-0\" ").endsWith("  (n0,r3)\n");
        assertThat(run("ls", "/nope")).isEqualTo(new Run(1, "",
            "xenstore-ls: xs_directory (/nope): No such file or directory\n"));
    }

    @Test
    void shouldRemoveLikeXenstored() throws Exception
    {
        dom0.write("/r/a/b", "1");
        dom0.write("/r/c", "2");
        assertThat(run("rm", "/r/a")).isEqualTo(new Run(0, "", ""));
        assertThat(dom0.directory("/r")).containsExactly("c");
        assertThat(run("rm", "/r/missing")).isEqualTo(new Run(0, "", ""));
        assertThat(run("rm", "/x/y")).isEqualTo(new Run(1, "", "xenstore-rm: could not remove path /x/y\n"));
        dom0.write("/t/u/v", "leaf");
        assertThat(run("rm", "-t", "/t/u/v")).isEqualTo(new Run(0, "", ""));
        assertThat(dom0.directory("/")).doesNotContain("t");
    }

    @Test
    void shouldChmodLikeXenstored() throws Exception
    {
        dom0.write("/p/q", "1");
        assertThat(run("chmod", "/p", "n0", "r5")).isEqualTo(new Run(0, "", ""));
        assertThat(dom0.getPermissions(0, "/p")).containsExactly(
            new XsPermission(0, XsAccess.NONE), new XsPermission(5, XsAccess.READ));
        assertThat(dom0.getPermissions(0, "/p/q")).containsExactly(new XsPermission(0, XsAccess.NONE));
        assertThat(run("chmod", "-r", "/p", "b7")).isEqualTo(new Run(0, "", ""));
        assertThat(dom0.getPermissions(0, "/p/q")).containsExactly(new XsPermission(7, XsAccess.BOTH));
        assertThat(run("chmod", "/p", "x1")).isEqualTo(new Run(1, "",
            "xenstore-chmod: Invalid permission specification: 'x'\n"));
        assertThat(run("chmod", "/nope", "n0")).isEqualTo(new Run(1, "",
            "xenstore-chmod: Error occurred setting permissions on '/nope': No such file or directory\n"));
        dom0.introduceDomain(5, 1, 1);
        assertThat(run(Xenstored.domainSocketPath(server.socket(), 5), "chmod", "/tool", "b5"))
            .isEqualTo(new Run(1, "",
                "xenstore-chmod: Error occurred setting permissions on '/tool': Permission denied\n"));
        assertThat(run(Xenstored.domainSocketPath(server.socket(), 5), "write", "/x", "1"))
            .isEqualTo(new Run(1, "", "xenstore-write: could not write path /x\n"));
    }

    @Test
    void shouldWatchLikeXenstored() throws Exception
    {
        final ProcessBuilder pb = new ProcessBuilder("/usr/bin/xenstore-watch", "-n", "3", "/watched");
        pb.environment().put("XENSTORED_PATH", server.socket().toString());
        pb.redirectErrorStream(true);
        final Process p = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            assertThat(out.readLine()).isEqualTo("/watched");
            dom0.write("/watched/a", "1");
            assertThat(out.readLine()).isEqualTo("/watched/a");
            dom0.write("/unrelated", "1");
            dom0.rm(0, "/watched");
            assertThat(out.readLine()).isEqualTo("/watched");
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(out.readLine()).isNull();
        }
        finally
        {
            p.destroyForcibly();
        }
        awaitConnections(1);
    }

    private void awaitConnections(final int expected) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 5000;
        while (server.connections() != expected && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(10);
        }
        assertThat(server.connections()).isEqualTo(expected);
    }

    @Test
    void shouldServeManyToolProcessesInParallel() throws Exception
    {
        final List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 16; i++)
        {
            final ProcessBuilder pb = new ProcessBuilder("/usr/bin/xenstore-write", "/par/k" + i, "v" + i);
            pb.environment().put("XENSTORED_PATH", server.socket().toString());
            pb.redirectErrorStream(true);
            processes.add(pb.start());
        }
        for (final Process p : processes)
        {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        assertThat(dom0.directory("/par")).hasSize(16);
        assertThat(run("read", "/par/k3")).isEqualTo(new Run(0, "v3\n", ""));
    }

    static String readAll(final Process p) throws IOException
    {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
