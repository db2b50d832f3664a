/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code pvring shmstream}: Muen SHMStream v2 channels as pipes.
 */
@Command(
    name = "shmstream",
    mixinStandardHelpOptions = true,
    description = {
        "Muen SHMStream v2 channels as pipes: stdin into a channel file, a channel file to stdout. For debug logs " +
        "and for testing other SHMStream implementations (Muen, Solo5, Linux muennet).",
        "Between two pvring ends the bytes arrive exactly as sent (pipe framing inside each element: u64 position, " +
        "u32 length and end flags, payload); --raw on both ends exchanges plain zero-padded elements with foreign " +
        "peers. SHMStream is lossy by design: recv counts what a lapping writer overwrote and exits 5 if anything " +
        "was lost; the writer cannot see readers and reports what it sent."},
    subcommands = {ShmStreamSendCommand.class, ShmStreamRecvCommand.class})
public final class ShmStreamCommand implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Creates the command (picocli instantiates it).
     */
    public ShmStreamCommand()
    {
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
