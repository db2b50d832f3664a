/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpreadTest
{
    @Test
    void shouldTakeTheMiddleValueOfAnOddCountAndTheMeanOfTheMiddleTwoOfAnEvenCount()
    {
        assertThat(Spread.of(14, 10, 12)).isEqualTo(new Spread(12, 10, 14, 3));
        assertThat(Spread.of(4, 1, 3, 2)).isEqualTo(new Spread(2.5, 1, 4, 4));
    }

    @Test
    void shouldIgnoreNaNAndReportNothingForNoValues()
    {
        assertThat(Spread.of(Double.NaN, 5)).isEqualTo(new Spread(5, 5, 5, 1));
        assertThat(Spread.of().present()).isFalse();
        assertThat(Spread.of().text()).isEqualTo("-");
    }

    @Test
    void shouldDivideMediansAndCoverEveryForkPairingInTheRange()
    {
        final Spread ratio = Spread.of(10, 12, 14).over(Spread.of(4, 5, 6));

        assertThat(ratio.median()).isEqualTo(2.4);
        assertThat(ratio.min()).isEqualTo(10.0 / 6);
        assertThat(ratio.max()).isEqualTo(3.5);
        assertThat(ratio.text()).isEqualTo("2.40 [1.67..3.50]");
    }

    @Test
    void shouldDivideByAnAnchorAndFormatMagnitudes()
    {
        assertThat(Spread.of(300, 310, 320).over(200).text()).isEqualTo("1.55 [1.50..1.60]");
        assertThat(Spread.of(5).over(0).present()).isFalse();
        assertThat(Spread.number(123456.7)).isEqualTo("123457");
        assertThat(Spread.number(123.45)).isEqualTo("123.5");
        assertThat(Spread.number(0.0312)).isEqualTo("0.0312");
        assertThat(Spread.number(0.0000123)).isEqualTo("1.23e-05");
        assertThat(Spread.number(0)).isEqualTo("0");
    }
}
