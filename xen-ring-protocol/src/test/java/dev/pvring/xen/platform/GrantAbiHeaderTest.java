/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The v1 grant entry, GTF flags, reserved refs and GNTST codes against Xen's own {@code grant_table.h}.
 */
class GrantAbiHeaderTest
{
    @Test
    void shouldMatchXensGrantTableHeader() throws Exception
    {
        final Map<String, Long> c = CAbiProgram.run("grant_abi.c");

        assertThat(c).containsEntry("sizeof_grant_entry_v1", (long)GrantEntryV1Descriptor.LENGTH)
            .containsEntry("offset_flags", (long)GrantEntryV1Descriptor.FLAGS_OFFSET)
            .containsEntry("offset_domid", (long)GrantEntryV1Descriptor.DOMID_OFFSET)
            .containsEntry("offset_frame", (long)GrantEntryV1Descriptor.FRAME_OFFSET)
            .containsEntry("GTF_invalid", (long)GrantEntryV1Descriptor.GTF_INVALID)
            .containsEntry("GTF_permit_access", (long)GrantEntryV1Descriptor.GTF_PERMIT_ACCESS)
            .containsEntry("GTF_accept_transfer", (long)GrantEntryV1Descriptor.GTF_ACCEPT_TRANSFER)
            .containsEntry("GTF_transitive", (long)GrantEntryV1Descriptor.GTF_TRANSITIVE)
            .containsEntry("GTF_type_mask", (long)GrantEntryV1Descriptor.GTF_TYPE_MASK)
            .containsEntry("GTF_readonly", (long)GrantEntryV1Descriptor.GTF_READONLY)
            .containsEntry("GTF_reading", (long)GrantEntryV1Descriptor.GTF_READING)
            .containsEntry("GTF_writing", (long)GrantEntryV1Descriptor.GTF_WRITING)
            .containsEntry("GNTTAB_NR_RESERVED_ENTRIES", (long)GrantTable.NR_RESERVED_ENTRIES)
            .containsEntry("GNTTAB_RESERVED_CONSOLE", (long)GrantTable.RESERVED_CONSOLE)
            .containsEntry("GNTTAB_RESERVED_XENSTORE", (long)GrantTable.RESERVED_XENSTORE)
            .containsEntry("GNTST_okay", (long)GrantStatus.OKAY)
            .containsEntry("GNTST_general_error", (long)GrantStatus.GENERAL_ERROR)
            .containsEntry("GNTST_bad_domain", (long)GrantStatus.BAD_DOMAIN)
            .containsEntry("GNTST_bad_gntref", (long)GrantStatus.BAD_GNTREF)
            .containsEntry("GNTST_bad_handle", (long)GrantStatus.BAD_HANDLE)
            .containsEntry("GNTST_bad_virt_addr", (long)GrantStatus.BAD_VIRT_ADDR)
            .containsEntry("GNTST_bad_dev_addr", (long)GrantStatus.BAD_DEV_ADDR)
            .containsEntry("GNTST_no_device_space", (long)GrantStatus.NO_DEVICE_SPACE)
            .containsEntry("GNTST_permission_denied", (long)GrantStatus.PERMISSION_DENIED)
            .containsEntry("GNTST_bad_page", (long)GrantStatus.BAD_PAGE)
            .containsEntry("GNTST_bad_copy_arg", (long)GrantStatus.BAD_COPY_ARG)
            .containsEntry("GNTST_address_too_big", (long)GrantStatus.ADDRESS_TOO_BIG)
            .containsEntry("GNTST_eagain", (long)GrantStatus.EAGAIN)
            .containsEntry("GNTST_no_space", (long)GrantStatus.NO_SPACE)
            .containsEntry("DOMID_FIRST_RESERVED", 0x7FF0L);
        for (long status = 0; status >= -13; status--)
        {
            final String name = GrantStatus.name((int)status);
            assertThat(c).as(name).containsEntry(name, status);
        }
    }

    @Test
    void shouldNameUnknownStatuses()
    {
        assertThat(GrantStatus.name(-99)).isEqualTo("GNTST_unknown(-99)");
        assertThat(GrantStatus.name(3)).isEqualTo("GNTST_unknown(3)");
        assertThat(GrantStatus.name(GrantStatus.NOT_DONE)).isEqualTo("not done");
        assertThat(GrantEntryV1Descriptor.describeFlags(
            GrantEntryV1Descriptor.GTF_PERMIT_ACCESS | GrantEntryV1Descriptor.GTF_READONLY |
            GrantEntryV1Descriptor.GTF_READING)).isEqualTo("permit,readonly,reading");
        assertThat(GrantEntryV1Descriptor.describeFlags(0)).isEqualTo("invalid");
    }
}
