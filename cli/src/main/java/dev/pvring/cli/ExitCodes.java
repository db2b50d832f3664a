/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli;

/**
 * The one table of exit codes every {@code pvring} command uses (printed by {@code pvring --help} and listed in
 * the README). A command picks the code by the kind of failure, never by where in the code it happened.
 *
 * <pre>
 *   0   OK             the command did what it was asked (a server stopped by SIGINT/SIGTERM after cleaning up)
 *   1   FAILURE        the environment or the platform failed: I/O error, missing device, permission, no xenstored
 *   2   USAGE          bad command line: unknown option, bad or out-of-range value, conflicting options
 *   3   PEER           the peer broke the protocol (ring fault, corrupt header, data that does not match)
 *   4   TIMEOUT        a wait for the peer or a state ran out of time
 *   5   DATA_LOST      the command finished but data was lost on the way (e.g. SHMStream overrun)
 *   6   REFUSED        refused to touch a file or socket path it did not create (use the option that allows it)
 *   70  INTERNAL       a bug in pvring (a stack trace is printed)
 *   130 INTERRUPTED    a finite command stopped by SIGINT/SIGTERM before it finished (after cleaning up)
 * </pre>
 */
public final class ExitCodes
{
    /** Success; also a server stopped cleanly by SIGINT/SIGTERM. */
    public static final int OK = 0;
    /** The environment or the platform failed (I/O, permissions, missing device or daemon). */
    public static final int FAILURE = 1;
    /** Bad command line: the message says what, and {@code --help} how. */
    public static final int USAGE = 2;
    /** The peer broke the protocol. */
    public static final int PEER = 3;
    /** A wait for the peer or for a state ran out of time. */
    public static final int TIMEOUT = 4;
    /** Finished, but data was lost on the way; the command printed how much. */
    public static final int DATA_LOST = 5;
    /** Refused to delete or overwrite something the command did not create. */
    public static final int REFUSED = 6;
    /** A bug in pvring. */
    public static final int INTERNAL = 70;
    /** A finite command stopped by SIGINT or SIGTERM before it finished, after cleaning up. */
    public static final int INTERRUPTED = 130;

    /** The table as printed at the end of {@code pvring --help}. */
    public static final String TABLE =
        "Exit codes (every command):%n" +
        "  0    OK (a server stopped by SIGINT/SIGTERM after cleaning up)%n" +
        "  1    the environment failed (I/O, permission, missing device or daemon)%n" +
        "  2    usage error (bad option or value; see --help)%n" +
        "  3    the peer broke the protocol%n" +
        "  4    timed out waiting for the peer%n" +
        "  5    finished, but data was lost (the command says how much)%n" +
        "  6    refused to delete or overwrite a file it did not create%n" +
        "  70   internal error (a bug; a stack trace is printed)%n" +
        "  130  interrupted by SIGINT/SIGTERM before finishing (after cleaning up)%n";

    private ExitCodes()
    {
    }
}
