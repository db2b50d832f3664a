/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.bench.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest
{
    @Test
    void shouldParseNestedValuesNumbersLiteralsAndEscapes()
    {
        final Object value = Json.parse(
            " {\"a\": [1, 2.5, -3e2, true, false, null, \"x\\\"y\\u0041\\n\"], \"b\": {}, \"c\": [], \"d\": NaN} ");

        assertThat(value).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        final Map<String, Object> map = (Map<String, Object>)value;
        assertThat(map.keySet()).containsExactly("a", "b", "c", "d");
        assertThat((List<?>)map.get("a")).isEqualTo(Arrays.asList(1.0, 2.5, -300.0, true, false, null, "x\"yA\n"));
        assertThat((Map<?, ?>)map.get("b")).isEmpty();
        assertThat((List<?>)map.get("c")).isEmpty();
        assertThat((Double)map.get("d")).isNaN();
    }

    @Test
    void shouldRejectTrailingCharactersWithTheirOffset()
    {
        assertThatThrownBy(() -> Json.parse("[1] x"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid JSON: trailing characters: offset=4");
    }

    @Test
    void shouldRejectAMissingColon()
    {
        assertThatThrownBy(() -> Json.parse("{\"a\" 1}"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid JSON: expected ':': offset=5");
    }

    @Test
    void shouldRejectAnUnterminatedArray()
    {
        assertThatThrownBy(() -> Json.parse("[1, 2"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid JSON: unexpected end: offset=5");
    }
}
