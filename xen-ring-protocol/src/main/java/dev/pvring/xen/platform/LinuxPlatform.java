/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.pvring.core.linux.LibC;
import dev.pvring.xen.store.SocketXenStore;
import dev.pvring.xen.store.XenStore;

/**
 * The {@link Platform} of a Linux process in a real Xen domain (usually dom0 or a driver domain):
 * {@code /dev/xen/gntalloc} for granting, {@code /dev/xen/gntdev} for mapping and grant copy,
 * {@code /dev/xen/evtchn} for event channels. <b>Untested against real Xen</b>: CI has no Xen host; the ioctl
 * numbers and layouts ({@link GntdevDescriptor}, {@link GntallocDescriptor}, {@link EvtchnDescriptor}) are
 * checked against the C headers, the behaviour is not. Differences from {@link SimSystem}'s platform are
 * documented on {@code LinuxGrantTable} and {@code LinuxEventChannels}: a frame can be granted to one domain
 * at a time, ending access always succeeds (the kernel defers freeing a still-mapped page and a fresh page takes
 * its place), failed maps report {@link GrantStatus#GENERAL_ERROR}, one thread blocks per event channel
 * instance, and a peer's close is not reported.
 */
public final class LinuxPlatform implements Platform
{
    /** The grant mapping device. */
    public static final String GNTDEV = "/dev/xen/gntdev";
    /** The grant sharing device. */
    public static final String GNTALLOC = "/dev/xen/gntalloc";
    /** The event channel device. */
    public static final String EVTCHN = "/dev/xen/evtchn";
    /** Default shareable pages. */
    public static final int DEFAULT_PAGES = 1024;
    /** Default foreign pages mapped at once. */
    public static final int DEFAULT_MAPPING_SLOTS = 1024;

    private final int domid;
    private final LinuxDevice gntdev;
    private final LinuxDevice gntalloc;
    private final LinuxDevice evtchn;
    private final LinuxLocalPages localPages;
    private final LinuxGrantTable grantTable;
    private final LinuxEventChannels eventChannels;
    private XenStore xenStore;
    private boolean closed;

    private LinuxPlatform(
        final int domid, final LinuxDevice gntdev, final LinuxDevice gntalloc, final LinuxDevice evtchn,
        final int pages, final int mappingSlots)
    {
        this.domid = domid;
        this.gntdev = gntdev;
        this.gntalloc = gntalloc;
        this.evtchn = evtchn;
        this.localPages = new LinuxLocalPages(pages);
        this.grantTable = new LinuxGrantTable(gntdev, gntalloc, localPages, domid, mappingSlots);
        this.eventChannels = new LinuxEventChannels(evtchn, domid);
    }

    /**
     * Opens the three devices with default sizes.
     *
     * @param domid this domain's id (e.g. read from xenstore's {@code domid} key; 0 in dom0).
     * @return the platform.
     * @throws PlatformException if a device cannot be opened (no Xen, driver not loaded, permissions).
     */
    public static LinuxPlatform open(final int domid)
    {
        return open(domid, DEFAULT_PAGES, DEFAULT_MAPPING_SLOTS);
    }

    /**
     * Opens the three devices.
     *
     * @param domid        this domain's id.
     * @param pages        shareable pages to reserve.
     * @param mappingSlots foreign pages that may be mapped at once.
     * @return the platform.
     * @throws PlatformException if a device cannot be opened.
     */
    public static LinuxPlatform open(final int domid, final int pages, final int mappingSlots)
    {
        if (domid < 0 || domid >= 0x7FF0)
        {
            throw new IllegalArgumentException("domid out of range: domid=" + domid + " max=32751");
        }
        if (mappingSlots < 1)
        {
            throw new IllegalArgumentException("mapping slots must be positive: mappingSlots=" + mappingSlots);
        }
        LinuxDevice gntdev = null;
        LinuxDevice gntalloc = null;
        try
        {
            gntdev = LinuxDevice.open(GNTDEV, LibC.O_RDWR);
            gntalloc = LinuxDevice.open(GNTALLOC, LibC.O_RDWR);
            final LinuxDevice evtchn = LinuxDevice.open(EVTCHN, LibC.O_RDWR | LibC.O_NONBLOCK);
            return new LinuxPlatform(domid, gntdev, gntalloc, evtchn, pages, mappingSlots);
        }
        catch (final RuntimeException ex)
        {
            if (gntdev != null)
            {
                gntdev.close();
            }
            if (gntalloc != null)
            {
                gntalloc.close();
            }
            throw ex;
        }
    }

    @Override
    public int domid()
    {
        return domid;
    }

    @Override
    public GrantTable grantTable()
    {
        return grantTable;
    }

    @Override
    public EventChannels eventChannels()
    {
        return eventChannels;
    }

    @Override
    public LocalPages localPages()
    {
        return localPages;
    }

    /**
     * Connects to C xenstored's unix socket ({@code /var/run/xenstored/socket}, or {@code XENSTORED_PATH}); the
     * {@code /dev/xen/xenbus} device used inside guests is not supported yet.
     */
    @Override
    public synchronized XenStore xenStore()
    {
        if (xenStore == null)
        {
            final String configured = System.getenv("XENSTORED_PATH");
            final Path socket = Path.of(configured != null ? configured : "/var/run/xenstored/socket");
            if (!Files.exists(socket))
            {
                throw new PlatformException("no xenstored socket at " + socket +
                    " (the /dev/xen/xenbus device is not supported yet; set XENSTORED_PATH)");
            }
            xenStore = SocketXenStore.connect(socket);
        }
        return xenStore;
    }

    @Override
    public synchronized void close()
    {
        if (xenStore != null)
        {
            xenStore.close();
            xenStore = null;
        }
        if (closed)
        {
            return;
        }
        closed = true;
        eventChannels.close();
        grantTable.close();
        localPages.close();
        evtchn.close();
        gntalloc.close();
        gntdev.close();
    }
}
