/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import dev.pvring.core.SharedFile;
import dev.pvring.core.SharedMemory;
import dev.pvring.core.SharedMemoryException;
import org.agrona.concurrent.AtomicBuffer;

/**
 * This process's mappings of one incarnation (domid, generation) of a simulated domain: its grant file and
 * event channel file, and, on first use, its whole memory file (the simulated hypervisor copies through it).
 * Shared by every platform object of the process; closed by {@link SimSystem#close()}.
 */
final class SimDomainView implements AutoCloseable
{
    final int domid;
    final int generation;
    final int pages;
    final int entries;
    final int ports;
    final int maptrack;
    final Path memPath;
    final Path grantPath;
    final Path eventPath;
    final AtomicBuffer grants;
    final AtomicBuffer events;
    private final int activeBase;
    private final int frameBase;
    private final int maptrackBase;
    private final SharedMemory grantMemory;
    private final SharedMemory eventMemory;
    private volatile SharedMemory memory;
    private AtomicBuffer memoryView;
    private volatile SharedFile memoryFile;

    /**
     * Takes sizes validated by the caller (never re-read from the files, which other processes may rewrite).
     */
    private SimDomainView(
        final Path directory, final int domid, final int generation, final SharedMemory grantMemory,
        final SharedMemory eventMemory, final int pages, final int entries, final int maptrack, final int ports)
    {
        this.domid = domid;
        this.generation = generation;
        this.memPath = memPath(directory, domid, generation);
        this.grantPath = grantPath(directory, domid, generation);
        this.eventPath = eventPath(directory, domid, generation);
        this.grantMemory = grantMemory;
        this.eventMemory = eventMemory;
        // Guarded views: a domain that truncates these files under this process's mappings must not kill it.
        this.grants = SimGuardedBuffer.over(grantMemory);
        this.events = SimGuardedBuffer.over(eventMemory);
        this.pages = pages;
        this.entries = entries;
        this.maptrack = maptrack;
        this.ports = ports;
        this.activeBase = SimGrantTableDescriptor.activeBase(entries);
        this.frameBase = SimGrantTableDescriptor.frameBase(entries);
        this.maptrackBase = SimGrantTableDescriptor.maptrackBase(entries, pages);
    }

    static Path memPath(final Path directory, final int domid, final int generation)
    {
        return directory.resolve("dom" + domid + ".gen" + generation + ".mem");
    }

    static Path grantPath(final Path directory, final int domid, final int generation)
    {
        return directory.resolve("dom" + domid + ".gen" + generation + ".grant");
    }

    static Path eventPath(final Path directory, final int domid, final int generation)
    {
        return directory.resolve("dom" + domid + ".gen" + generation + ".evtchn");
    }

    /**
     * Creates a domain's three files (replacing leftovers of a crashed creation) and maps them.
     */
    static SimDomainView create(final Path directory, final SimDomainConfig config, final int generation)
    {
        final int domid = config.domid();
        deleteFiles(directory, domid, generation);
        SharedMemory.create(memPath(directory, domid, generation), DomainMemoryDescriptor.fileLength(config.pages()))
            .close();
        final SharedMemory grantMemory = SharedMemory.create(
            grantPath(directory, domid, generation),
            SimGrantTableDescriptor.fileLength(config.grantEntries(), config.pages(), config.maptrackEntries()));
        final AtomicBuffer grants = grantMemory.buffer();
        grants.putInt(SimGrantTableDescriptor.VERSION_OFFSET, SimGrantTableDescriptor.VERSION);
        grants.putInt(SimGrantTableDescriptor.DOMID_OFFSET, domid);
        grants.putInt(SimGrantTableDescriptor.ENTRIES_OFFSET, config.grantEntries());
        grants.putInt(SimGrantTableDescriptor.PAGES_OFFSET, config.pages());
        grants.putInt(SimGrantTableDescriptor.MAPTRACK_OFFSET, config.maptrackEntries());
        // Release: the sizes are visible before the magic that marks the file complete.
        grants.putLongRelease(SimGrantTableDescriptor.MAGIC_OFFSET, SimGrantTableDescriptor.MAGIC);
        final SharedMemory eventMemory = SharedMemory.create(
            eventPath(directory, domid, generation), SimEventChannelDescriptor.fileLength(config.ports()));
        final AtomicBuffer events = eventMemory.buffer();
        events.putInt(SimEventChannelDescriptor.VERSION_OFFSET, SimEventChannelDescriptor.VERSION);
        events.putInt(SimEventChannelDescriptor.DOMID_OFFSET, domid);
        events.putInt(SimEventChannelDescriptor.PORTS_OFFSET, config.ports());
        events.putLongRelease(SimEventChannelDescriptor.MAGIC_OFFSET, SimEventChannelDescriptor.MAGIC);
        return new SimDomainView(directory, domid, generation, grantMemory, eventMemory, config.pages(),
            config.grantEntries(), config.maptrackEntries(), config.ports());
    }

    /**
     * Maps an existing domain's files; returns null if they are gone (the domain was destroyed meanwhile) or are
     * not what this simulator writes: not regular files, not mappable, a wrong magic, version or domid, sizes out
     * of range or larger than the files. A domain can write anything into its own files (every process maps them
     * read-write), so nothing found there may throw: callers report null as {@link GrantStatus#BAD_DOMAIN} or
     * {@link EventChannels#NO_SUCH_DOMAIN}.
     */
    static SimDomainView open(final Path directory, final int domid, final int generation)
    {
        final Path grantPath = grantPath(directory, domid, generation);
        final Path eventPath = eventPath(directory, domid, generation);
        if (!Files.isRegularFile(grantPath, LinkOption.NOFOLLOW_LINKS) ||
            !Files.isRegularFile(eventPath, LinkOption.NOFOLLOW_LINKS))
        {
            return null;
        }
        SharedMemory grantMemory = null;
        SharedMemory eventMemory = null;
        SimDomainView view = null;
        try
        {
            grantMemory = SharedMemory.open(grantPath, SharedMemory.Access.READ_WRITE);
            eventMemory = SharedMemory.open(eventPath, SharedMemory.Access.READ_WRITE);
            view = validated(directory, domid, generation, grantMemory, eventMemory);
        }
        catch (final SharedMemoryException | IllegalArgumentException garbage)
        {
            // Vanished, empty, not a page multiple, larger than one mapping: no domain this process can use.
            view = null;
        }
        finally
        {
            if (view == null)
            {
                if (grantMemory != null)
                {
                    grantMemory.close();
                }
                if (eventMemory != null)
                {
                    eventMemory.close();
                }
            }
        }
        return view;
    }

    private static SimDomainView validated(
        final Path directory, final int domid, final int generation, final SharedMemory grantMemory,
        final SharedMemory eventMemory)
    {
        if (!hasHeader(grantMemory, SimGrantTableDescriptor.MAGIC, SimGrantTableDescriptor.VERSION_OFFSET,
            SimGrantTableDescriptor.VERSION, SimGrantTableDescriptor.DOMID_OFFSET, domid) ||
            !hasHeader(eventMemory, SimEventChannelDescriptor.MAGIC, SimEventChannelDescriptor.VERSION_OFFSET,
            SimEventChannelDescriptor.VERSION, SimEventChannelDescriptor.DOMID_OFFSET, domid))
        {
            return null;
        }
        // The domain's own processes may rewrite these words at any time: read each once, validate the copy,
        // and never read them again.
        final AtomicBuffer grants = grantMemory.buffer();
        final int entries = grants.getIntOpaque(SimGrantTableDescriptor.ENTRIES_OFFSET);
        final int pages = grants.getIntOpaque(SimGrantTableDescriptor.PAGES_OFFSET);
        final int maptrack = grants.getIntOpaque(SimGrantTableDescriptor.MAPTRACK_OFFSET);
        final int ports = eventMemory.buffer().getIntOpaque(SimEventChannelDescriptor.PORTS_OFFSET);
        if (!SimGrantTableDescriptor.sizesInRange(pages, entries, maptrack) ||
            !SimEventChannelDescriptor.portsInRange(ports) ||
            grantMemory.size() < SimGrantTableDescriptor.fileLength(entries, pages, maptrack) ||
            eventMemory.size() < SimEventChannelDescriptor.fileLength(ports))
        {
            // Sizes out of range, or files shorter than they claim.
            return null;
        }
        return new SimDomainView(directory, domid, generation, grantMemory, eventMemory, pages, entries, maptrack,
            ports);
    }

    private static boolean hasHeader(
        final SharedMemory memory, final long magic, final int versionOffset, final int version,
        final int domidOffset, final int domid)
    {
        final AtomicBuffer buffer = memory.buffer();
        // Acquire: the header words written before the magic (which marks the file complete) are visible.
        return buffer.getLongAcquire(0) == magic && buffer.getIntOpaque(versionOffset) == version &&
            buffer.getIntOpaque(domidOffset) == domid;
    }

    static void deleteFiles(final Path directory, final int domid, final int generation)
    {
        try
        {
            Files.deleteIfExists(memPath(directory, domid, generation));
            Files.deleteIfExists(grantPath(directory, domid, generation));
            Files.deleteIfExists(eventPath(directory, domid, generation));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete simulated domain files: domid=" + domid, ex);
        }
    }

    /**
     * The whole memory file, mapped read-write on first use (the simulated hypervisor's view for copies).
     */
    AtomicBuffer memory()
    {
        if (memory == null)
        {
            synchronized (this)
            {
                if (memory == null)
                {
                    final SharedMemory m = SharedMemory.open(memPath, 0, DomainMemoryDescriptor.fileLength(pages),
                        SharedMemory.Access.READ_WRITE);
                    memoryView = SimGuardedBuffer.over(m);
                    // Volatile write: publishes memoryView to threads that read memory first.
                    memory = m;
                }
            }
        }
        return memoryView;
    }

    /**
     * The memory file kept open (read-write) on first use, from which grant mappings map single frames cheaply.
     */
    SharedFile memoryFile()
    {
        SharedFile f = memoryFile;
        if (f == null)
        {
            synchronized (this)
            {
                f = memoryFile;
                if (f == null)
                {
                    f = SharedFile.open(memPath, SharedMemory.Access.READ_WRITE);
                    memoryFile = f;
                }
            }
        }
        return f;
    }

    int entryOffset(final int ref)
    {
        return SimGrantTableDescriptor.entryOffset(ref);
    }

    int activeOffset(final int ref)
    {
        return activeBase + ref * SimGrantTableDescriptor.ACTIVE_LENGTH;
    }

    int frameOffset(final int frame)
    {
        return frameBase + frame * SimGrantTableDescriptor.FRAME_LENGTH;
    }

    int maptrackOffset(final int slot)
    {
        return maptrackBase + slot * SimGrantTableDescriptor.MAPTRACK_LENGTH;
    }

    int portOffset(final int port)
    {
        return SimEventChannelDescriptor.portOffset(port);
    }

    @Override
    public synchronized void close()
    {
        SimGuardedBuffer.detach(grants);
        SimGuardedBuffer.detach(events);
        grantMemory.close();
        eventMemory.close();
        if (memory != null)
        {
            SimGuardedBuffer.detach(memoryView);
            memory.close();
        }
        if (memoryFile != null)
        {
            memoryFile.close();
        }
    }

    @Override
    public String toString()
    {
        return "SimDomainView{domid=" + domid + ", generation=" + generation + "}";
    }
}
