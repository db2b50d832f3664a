/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.cli.shmstream;

import picocli.CommandLine;

/**
 * Parses a protocol id: 1 to 16 hex digits, optional {@code 0x}, not zero (e.g. {@code 7ade5c549b08e814}).
 */
final class HexProtocolConverter implements CommandLine.ITypeConverter<ProtocolId>
{
    @Override
    public ProtocolId convert(final String value)
    {
        final String digits = value.startsWith("0x") || value.startsWith("0X") ? value.substring(2) : value;
        if (digits.isEmpty() || digits.length() > 16 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0))
        {
            throw new CommandLine.TypeConversionException(
                "protocol must be 1 to 16 hex digits: protocol=" + value);
        }
        final long protocol = Long.parseUnsignedLong(digits, 16);
        if (protocol == 0)
        {
            throw new CommandLine.TypeConversionException("protocol must be non-zero: protocol=" + value);
        }
        return new ProtocolId(protocol);
    }
}
