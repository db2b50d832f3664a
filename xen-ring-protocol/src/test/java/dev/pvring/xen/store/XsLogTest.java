/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class XsLogTest
{
    /** A logger that records lines, or throws what it is given. */
    private static final class Recording implements System.Logger
    {
        final List<String> lines = new ArrayList<>();
        Throwable failWith;

        @Override
        public String getName()
        {
            return "test";
        }

        @Override
        public boolean isLoggable(final Level level)
        {
            return true;
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String msg, final Throwable thrown)
        {
            record(msg);
        }

        @Override
        public void log(final Level level, final ResourceBundle bundle, final String format, final Object... params)
        {
            record(format);
        }

        private void record(final String msg)
        {
            if (null != failWith)
            {
                sneaky(failWith);
            }
            lines.add(msg);
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> void sneaky(final Throwable t) throws T
        {
            throw (T)t;
        }
    }

    @Test
    void shouldWriteAtMostTheRatePerKindAndSumUpTheRest()
    {
        final Recording logger = new Recording();
        final AtomicLong now = new AtomicLong(1_000);
        final XsLog log = new XsLog(logger, 3, 1_000_000_000L, now::get);

        for (int i = 0; i < 1000; i++)
        {
            log.log("flood", System.Logger.Level.WARNING, "accept failed " + i, null);
        }
        log.log("other", System.Logger.Level.WARNING, "another kind", null);
        assertThat(logger.lines).containsExactly("accept failed 0", "accept failed 1", "accept failed 2",
            "another kind");
        assertThat(log.suppressed()).isEqualTo(997);

        now.addAndGet(1_000_000_000L);
        log.tick();
        assertThat(logger.lines).hasSize(5);
        assertThat(logger.lines.get(4)).contains("suppressed 997 more 'flood' messages");
        log.log("flood", System.Logger.Level.WARNING, "accept failed again", null);
        assertThat(logger.lines).as("a new window").hasSize(6).last().isEqualTo("accept failed again");
        assertThat(log.lines()).isEqualTo(6);
    }

    @Test
    void shouldNeverThrowWhenTheLoggerFails()
    {
        final Recording logger = new Recording();
        final XsLog log = new XsLog(logger, 3, 1_000_000_000L, System::nanoTime);
        logger.failWith = new NoClassDefFoundError("no file descriptor to load a class");
        assertThatCode(() -> log.log("x", System.Logger.Level.ERROR, "line", new RuntimeException()))
            .doesNotThrowAnyException();
        logger.failWith = new OutOfMemoryError("full");
        assertThatCode(() -> log.log("x", System.Logger.Level.ERROR, "line", null)).doesNotThrowAnyException();
        assertThat(log.failures()).isEqualTo(2);
        logger.failWith = null;
        assertThat(log.log("x", System.Logger.Level.ERROR, "works again", null)).isTrue();
        assertThat(logger.lines).containsExactly("works again");
    }
}
