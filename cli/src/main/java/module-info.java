/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The pvring command-line tool.
 */
module dev.pvring.cli
{
    requires dev.pvring.core;
    requires dev.pvring.xen;
    requires dev.pvring.shmstream;
    requires dev.pvring.xen.net;
    requires info.picocli;
    requires jdk.unsupported;

    opens dev.pvring.cli to info.picocli;
    opens dev.pvring.cli.ring to info.picocli;
    opens dev.pvring.cli.demo to info.picocli;
    opens dev.pvring.cli.xenstore to info.picocli;
    opens dev.pvring.cli.shmstream to info.picocli;
    opens dev.pvring.cli.platform to info.picocli;
    opens dev.pvring.cli.net to info.picocli;
}
