/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.util.Collection;

import dev.pvring.cli.demo.DemoCommand;
import dev.pvring.cli.net.NetbackCommand;
import dev.pvring.cli.net.NetfrontCommand;
import dev.pvring.cli.platform.SimCommand;
import dev.pvring.cli.ring.InspectCommand;
import dev.pvring.cli.ring.RingCommand;
import dev.pvring.cli.shmstream.MuenNetCommand;
import dev.pvring.cli.shmstream.ShmStreamCommand;
import dev.pvring.cli.xenstore.XenstoredCommand;
import dev.pvring.core.SharedMemoryException;
import dev.pvring.xen.platform.PlatformException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pvring} command: the user's first contact with every pvring capability.
 * <p>
 * Conventions every subcommand gets from here: a usage error prints the error and one line pointing at
 * {@code --help} (exit {@link ExitCodes#USAGE}); a negative or non-finite number for any numeric option or
 * parameter is a usage error; known failures print one line and exit with their {@link ExitCodes} code; SIGINT and
 * SIGTERM stop commands cleanly (see {@link Signals}).
 */
@Command(
    name = "pvring",
    mixinStandardHelpOptions = true,
    versionProvider = Pvring.Version.class,
    description = "Shared-memory rings and Xen/Muen paravirtual I/O from Java.",
    footerHeading = "%n",
    footer = ExitCodes.TABLE,
    subcommands = {
        CommandLine.HelpCommand.class,
        DemoCommand.class,
        InspectCommand.class,
        RingCommand.class,
        MuenNetCommand.class,
        NetbackCommand.class,
        NetfrontCommand.class,
        ShmStreamCommand.class,
        SimCommand.class,
        XenstoredCommand.class,
    })
public final class Pvring implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits with its status; SIGINT, SIGTERM and SIGHUP stop a long-running command
     * cleanly (see {@link Signals}).
     *
     * @param args command-line arguments.
     */
    public static void main(final String[] args)
    {
        Signals.enable();
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

    /**
     * The configured command line: usage errors, failures, number checks and exit codes as described above.
     *
     * @return a fresh command line.
     */
    public static CommandLine commandLine()
    {
        return new CommandLine(new Pvring())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler(Pvring::handleUsageError)
            .setExecutionExceptionHandler(Pvring::handleFailure)
            .setExecutionStrategy(Pvring::checkNumbersThenRun);
    }

    /** The error, then one line pointing at the failing command's {@code --help}. */
    private static int handleUsageError(final CommandLine.ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        final PrintWriter err = commandLine.getErr();
        err.println(commandLine.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
        err.println(helpPointer(commandLine));
        err.flush();
        return ExitCodes.USAGE;
    }

    private static String helpPointer(final CommandLine commandLine)
    {
        return "Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.";
    }

    /**
     * Known failures are one line (the exception messages carry the {@code name=value} details) with their exit
     * code; a command's IllegalArgumentException is a bad value on the command line (a usage error); anything
     * else is a bug and keeps its stack trace.
     */
    private static int handleFailure(
        final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
    {
        final PrintWriter err = commandLine.getErr();
        final String name = commandLine.getCommandSpec().qualifiedName();
        final int code;
        if (ex instanceof CommandFailure failure)
        {
            code = failure.exitCode();
        }
        else if (ex instanceof IllegalArgumentException)
        {
            code = ExitCodes.USAGE;
        }
        else if (ex instanceof IllegalStateException || ex instanceof SharedMemoryException ||
            ex instanceof PlatformException || ex instanceof java.io.IOException || ex instanceof UncheckedIOException ||
            ex instanceof UnsupportedOperationException)
        {
            code = ExitCodes.FAILURE;
        }
        else
        {
            ex.printStackTrace(err);
            err.flush();
            return ExitCodes.INTERNAL;
        }
        err.println(name + ": " + ex.getMessage());
        if (code == ExitCodes.USAGE)
        {
            err.println(helpPointer(commandLine));
        }
        err.flush();
        return code;
    }

    /**
     * Rejects a negative or non-finite value given to any numeric option or parameter (counts, sizes, timeouts,
     * indices, ids: none of them means anything below zero), then runs the command. Values parsed by their own
     * converter are exempt (a hex u64 protocol id is a bit pattern that may look negative as a long).
     */
    private static int checkNumbersThenRun(final CommandLine.ParseResult parseResult)
    {
        for (CommandLine.ParseResult result = parseResult; result != null; result = result.subcommand())
        {
            final CommandLine commandLine = result.commandSpec().commandLine();
            for (final CommandLine.Model.OptionSpec option : result.matchedOptions())
            {
                if (isQuantity(option))
                {
                    checkNumber(commandLine, option.longestName(), option.getValue());
                }
            }
            for (final CommandLine.Model.PositionalParamSpec positional : result.matchedPositionals())
            {
                if (isQuantity(positional))
                {
                    checkNumber(commandLine, positional.paramLabel(), positional.getValue());
                }
            }
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    /** A value with its own converter (e.g. a hex protocol id held in a long) is a bit pattern, not a quantity. */
    private static boolean isQuantity(final CommandLine.Model.ArgSpec arg)
    {
        final CommandLine.ITypeConverter<?>[] converters = arg.converters();
        return converters == null || converters.length == 0;
    }

    private static void checkNumber(final CommandLine commandLine, final String name, final Object value)
    {
        if (value instanceof Collection<?> values)
        {
            for (final Object element : values)
            {
                checkNumber(commandLine, name, element);
            }
        }
        else if (value != null && value.getClass().isArray() && !value.getClass().getComponentType().equals(char.class))
        {
            for (int i = 0; i < Array.getLength(value); i++)
            {
                checkNumber(commandLine, name, Array.get(value, i));
            }
        }
        else if (value instanceof Double || value instanceof Float)
        {
            final double d = ((Number)value).doubleValue();
            if (!Double.isFinite(d) || d < 0)
            {
                throw new CommandLine.ParameterException(commandLine,
                    name + " must be a finite number >= 0: " + name + "=" + value);
            }
        }
        else if (value instanceof Number number && number.longValue() < 0)
        {
            throw new CommandLine.ParameterException(commandLine, name + " must not be negative: " + name + "=" + value);
        }
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
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
