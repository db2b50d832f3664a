/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import dev.pvring.cli.Pvring;
import org.junit.jupiter.api.Test;

class DemoCommandTest
{
    @Test
    void shouldExchangeMessagesWithASecondProcess()
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Pvring.execute(new PrintWriter(out, true), new PrintWriter(err, true),
            "demo", "--count", "200000", "--message-size", "128");
        assertThat(status).as(out + "\n" + err).isZero();
        assertThat(out.toString())
            .contains("200,000 request/response pairs of 128 B between two processes")
            .containsPattern("throughput: [0-9,]+ pairs/s")
            .containsPattern("front -> back notifications: [0-9,]+ \\(0\\.[0-9]+ per message\\)")
            .containsPattern("back -> front notifications: [0-9,]+ \\(0\\.[0-9]+ per message\\)")
            .contains("echoes verified: all (sum of sequence numbers 19999900000)");
    }

    @Test
    void shouldRejectBadArguments()
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = Pvring.execute(new PrintWriter(out, true), new PrintWriter(err, true),
            "demo", "--message-size", "8");
        assertThat(status).isNotZero();
        assertThat(err.toString()).contains("need count >= 1, 16 <= message-size <= 1024, batch >= 1: count=10000000 " +
            "message-size=8 batch=16");
    }
}
