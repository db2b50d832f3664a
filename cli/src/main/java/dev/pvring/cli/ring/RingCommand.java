/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.ring;

import picocli.CommandLine.Command;

/**
 * {@code pvring ring}: tools to drive io/ring.h rings from either end, for testing peers in any language.
 */
@Command(name = "ring", mixinStandardHelpOptions = true,
    description = "Drive an io/ring.h ring in a shared file from either end (test C, OCaml or Rust peers).",
    subcommands = {EchoBackCommand.class, LoadFrontCommand.class})
public final class RingCommand
{
}
