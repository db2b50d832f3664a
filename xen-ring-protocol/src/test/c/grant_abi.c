/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 *
 * Prints the grant table ABI from Debian's libxen-dev headers as "name value" lines, compared with
 * GrantEntryV1Descriptor and GrantStatus by GrantAbiHeaderTest.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

#define P(name, value) printf("%s %ld\n", name, (long)(value))

int main(void)
{
    P("sizeof_grant_entry_v1", sizeof(struct grant_entry_v1));
    P("offset_flags", offsetof(struct grant_entry_v1, flags));
    P("offset_domid", offsetof(struct grant_entry_v1, domid));
    P("offset_frame", offsetof(struct grant_entry_v1, frame));
    P("GTF_invalid", GTF_invalid);
    P("GTF_permit_access", GTF_permit_access);
    P("GTF_accept_transfer", GTF_accept_transfer);
    P("GTF_transitive", GTF_transitive);
    P("GTF_type_mask", GTF_type_mask);
    P("GTF_readonly", GTF_readonly);
    P("GTF_reading", GTF_reading);
    P("GTF_writing", GTF_writing);
    P("GNTTAB_NR_RESERVED_ENTRIES", GNTTAB_NR_RESERVED_ENTRIES);
    P("GNTTAB_RESERVED_CONSOLE", GNTTAB_RESERVED_CONSOLE);
    P("GNTTAB_RESERVED_XENSTORE", GNTTAB_RESERVED_XENSTORE);
    P("GNTST_okay", GNTST_okay);
    P("GNTST_general_error", GNTST_general_error);
    P("GNTST_bad_domain", GNTST_bad_domain);
    P("GNTST_bad_gntref", GNTST_bad_gntref);
    P("GNTST_bad_handle", GNTST_bad_handle);
    P("GNTST_bad_virt_addr", GNTST_bad_virt_addr);
    P("GNTST_bad_dev_addr", GNTST_bad_dev_addr);
    P("GNTST_no_device_space", GNTST_no_device_space);
    P("GNTST_permission_denied", GNTST_permission_denied);
    P("GNTST_bad_page", GNTST_bad_page);
    P("GNTST_bad_copy_arg", GNTST_bad_copy_arg);
    P("GNTST_address_too_big", GNTST_address_too_big);
    P("GNTST_eagain", GNTST_eagain);
    P("GNTST_no_space", GNTST_no_space);
    P("DOMID_FIRST_RESERVED", DOMID_FIRST_RESERVED);
    return 0;
}
