/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli;

import java.io.PrintWriter;

import dev.pvring.cli.demo.DemoCommand;
import dev.pvring.core.SharedMemoryException;
import dev.pvring.cli.platform.SimCommand;
import dev.pvring.cli.ring.InspectCommand;
import dev.pvring.cli.ring.RingCommand;
import dev.pvring.cli.shmstream.MuenNetCommand;
import dev.pvring.cli.shmstream.ShmStreamCommand;
import dev.pvring.cli.xenstore.XenstoredCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pvring} command: the user's first contact with every pvring capability.
 */
@Command(
    name = "pvring",
    mixinStandardHelpOptions = true,
    versionProvider = Pvring.Version.class,
    description = "Shared-memory rings and Xen/Muen paravirtual I/O from Java.",
    subcommands = {
        CommandLine.HelpCommand.class,
        DemoCommand.class,
        InspectCommand.class,
        RingCommand.class,
        MuenNetCommand.class,
        ShmStreamCommand.class,
        SimCommand.class,
        XenstoredCommand.class,
    })
public final class Pvring implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits with its status.
     *
     * @param args command-line arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Runs the command line without exiting (for tests).
     *
     * @param args command-line arguments.
     * @return the exit status.
     */
    public static int execute(final String... args)
    {
        return commandLine().execute(args);
    }

    /**
     * Runs the command line with its output and errors sent to the given writers (for tests and embedding).
     *
     * @param out  standard output.
     * @param err  standard error.
     * @param args command-line arguments.
     * @return the exit status.
     */
    public static int execute(final PrintWriter out, final PrintWriter err, final String... args)
    {
        return commandLine().setOut(out).setErr(err).execute(args);
    }

    private static CommandLine commandLine()
    {
        return new CommandLine(new Pvring())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setExecutionExceptionHandler(Pvring::handleFailure);
    }

    /**
     * Bad input and environment problems are reported as one clear line (the exception messages carry the
     * {@code name=value} details); anything else is a bug and keeps its stack trace.
     */
    private static int handleFailure(
        final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
    {
        final PrintWriter err = commandLine.getErr();
        if (ex instanceof IllegalArgumentException || ex instanceof IllegalStateException ||
            ex instanceof SharedMemoryException || ex instanceof java.io.IOException ||
            ex instanceof UnsupportedOperationException)
        {
            err.println("pvring " + commandLine.getCommandName() + ": " + ex.getMessage());
            err.flush();
            return ex instanceof IllegalArgumentException ? 2 : 1;
        }
        ex.printStackTrace(err);
        err.flush();
        return 70;
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /**
     * Version from the jar manifest.
     */
    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String v = Pvring.class.getPackage().getImplementationVersion();
            return new String[] {"pvring " + (v == null ? "dev" : v) + " on Java " + Runtime.version()};
        }
    }
}
