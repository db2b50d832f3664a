/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli;

import dev.pvring.cli.platform.SimCommand;
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
        SimCommand.class,
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
        return new CommandLine(new Pvring()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
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
