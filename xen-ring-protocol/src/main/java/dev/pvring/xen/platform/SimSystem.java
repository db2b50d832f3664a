/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.pvring.core.SharedMemory;
import dev.pvring.core.SharedMemoryException;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A simulated Xen system: a directory (by default {@code /dev/shm/pvring-sim/<name>}) that any number of
 * processes open; each process {@link #join(int) joins} as a domain and gets a {@link Platform} whose grant
 * table, event channels and pages are real shared memory, checked and counted like Xen's.
 * <p>
 * Files: {@code system} ({@link SimSystemDescriptor}: the domain slots), and per domain
 * {@code dom<d>.gen<g>.mem} (its memory, {@link DomainMemoryDescriptor}), {@code .grant} (its v1 grant table
 * and the hypervisor's per-ref state, {@link SimGrantTableDescriptor}) and {@code .evtchn} (its ports,
 * {@link SimEventChannelDescriptor}). There is no daemon: every process plays the hypervisor for the
 * operations it asks for, using compare-and-set on the shared words.
 * <p>
 * <b>Domains.</b> {@link #create(Path, int, SimDomainConfig)} makes the system and dom0. Only a process joined
 * as dom0 may create and destroy other domains ({@link SimPlatform#createDomain(SimDomainConfig)}), as a
 * toolstack does. Several processes may join the same domain (e.g. a backend and a tool in dom0): each
 * grant ref, port, page and mapping records the pid of the process that holds it.
 * <p>
 * <b>Processes that die.</b> Nothing is lost silently: {@link SimInspector} (and {@code pvring sim ls}) shows
 * every held ref, port, page and mapping with its pid and whether that process is alive. {@link #reclaim()}
 * (and {@code pvring sim reclaim}) releases what dead processes held: the unmap and end notifications they
 * armed fire first (liveness bytes cleared, peers notified, as the Linux kernel does when a process dies), then
 * their ports are closed (the peers' waits return {@link EventChannels#PEER_CLOSED}), their mappings unpinned,
 * their grants ended unless a peer still maps them (those stay until unmapped, as on Xen), their unshared pages
 * freed. A pin lock left by a dead
 * process is taken over automatically by the next process that needs it, which recomputes the pins from the
 * maptrack. Liveness is tested by pid, so a pid reused by a new process within one run hides the death.
 * <p>
 * <b>Hostile domains.</b> Every process maps every domain's files read-write, as one user, so a domain can write
 * anything into its own files (and, like a buggy hypervisor, into others'). A process stays correct whatever a
 * peer writes: each shared word is read once and checked, a domain whose files are garbage is reported as
 * {@link GrantStatus#BAD_DOMAIN} / {@link EventChannels#NO_SUCH_DOMAIN}, and a pin lock a peer keeps is waited for
 * with a deadline. <b>Limitation:</b> a peer that truncates a file this process has mapped makes the next access
 * to the vanished pages fault ({@code SIGBUS}); the JVM reports it as an {@link InternalError} in the accessing
 * thread (possibly a few instructions later). Grant copies report {@link GrantStatus#GENERAL_ERROR}; drivers and
 * tools that run long loops over mapped grants catch {@code InternalError} and treat the connection as broken.
 * Only sealed memory ({@code memfd} with {@code F_SEAL_SHRINK}) would make that impossible, and it cannot be
 * opened by path from independent processes, which is how this simulator works.
 * <p>
 * Thread safe.
 */
public final class SimSystem implements AutoCloseable
{
    /** Property naming the directory that holds systems by name (default {@code /dev/shm/pvring-sim}). */
    public static final String ROOT_PROPERTY = "pvring.sim.root";
    /** Default number of domain slots. */
    public static final int DEFAULT_MAX_DOMAINS = 64;
    /** Name of the system file inside the directory. */
    public static final String SYSTEM_FILE = "system";
    /** Name of the system's xenstored socket inside the directory ({@link #xenstoredSocket()}). */
    public static final String XENSTORED_SOCKET = "xenstored.socket";

    private final Path directory;
    private final SharedMemory systemMemory;
    private final AtomicBuffer system;
    private final int maxDomains;
    private final int pid;
    private final SimDomainView[] views;
    private final List<SimDomainView> retired = new ArrayList<>();
    private final SimHypervisor hypervisor;
    private volatile boolean closed;

    /**
     * Takes the slot count validated by the caller (never re-read: any process may rewrite the system file).
     */
    private SimSystem(final Path directory, final SharedMemory systemMemory, final int maxDomains)
    {
        this.directory = directory;
        this.systemMemory = systemMemory;
        this.system = systemMemory.buffer();
        this.maxDomains = maxDomains;
        this.pid = (int)ProcessHandle.current().pid();
        this.views = new SimDomainView[maxDomains];
        this.hypervisor = new SimHypervisor(this);
    }

    /**
     * The directory of a system given by name or path: a plain name ({@code [A-Za-z0-9._-]}, not starting
     * with a dot) lives under {@link #ROOT_PROPERTY} (default {@code /dev/shm/pvring-sim}); anything with a
     * {@code /} is taken as a path.
     *
     * @param nameOrPath e.g. {@code "demo"} or {@code "/tmp/sims/demo"}.
     * @return the directory.
     */
    public static Path directoryOf(final String nameOrPath)
    {
        if (nameOrPath.contains("/"))
        {
            return Path.of(nameOrPath);
        }
        if (!nameOrPath.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*"))
        {
            throw new IllegalArgumentException(
                "system name must be letters, digits, '.', '_' or '-' and not start with '.': name=" + nameOrPath);
        }
        return Path.of(System.getProperty(ROOT_PROPERTY, "/dev/shm/pvring-sim")).resolve(nameOrPath);
    }

    /**
     * Creates a system with default slots and a default dom0.
     *
     * @param directory the directory (created if missing; must not hold a system).
     * @return the open system.
     */
    public static SimSystem create(final Path directory)
    {
        return create(directory, DEFAULT_MAX_DOMAINS, SimDomainConfig.defaults(0));
    }

    /**
     * Creates a system and its dom0.
     *
     * @param directory  the directory (created if missing; must not hold a system).
     * @param maxDomains domain slots: domids 0 .. maxDomains-1.
     * @param dom0       dom0's sizes (its domid must be 0).
     * @return the open system.
     * @throws PlatformException if a system already exists there or the directory cannot be written.
     */
    public static SimSystem create(final Path directory, final int maxDomains, final SimDomainConfig dom0)
    {
        SimSystemDescriptor.checkMaxDomains(maxDomains);
        if (dom0.domid() != 0)
        {
            throw new IllegalArgumentException("the first domain must be dom0: domid=" + dom0.domid());
        }
        final Path systemPath = directory.resolve(SYSTEM_FILE);
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new PlatformException("cannot create simulated system directory: directory=" + directory, ex);
        }
        if (Files.exists(systemPath))
        {
            throw new PlatformException("simulated system already exists: directory=" + directory);
        }
        final SharedMemory memory;
        try
        {
            memory = SharedMemory.create(systemPath, SimSystemDescriptor.fileLength(maxDomains));
        }
        catch (final SharedMemoryException ex)
        {
            throw new PlatformException("cannot create simulated system: directory=" + directory, ex);
        }
        final AtomicBuffer buffer = memory.buffer();
        buffer.putInt(SimSystemDescriptor.VERSION_OFFSET, SimSystemDescriptor.VERSION);
        buffer.putInt(SimSystemDescriptor.MAX_DOMAINS_OFFSET, maxDomains);
        buffer.putInt(SimSystemDescriptor.CREATOR_PID_OFFSET, (int)ProcessHandle.current().pid());
        buffer.putLong(SimSystemDescriptor.CREATED_MILLIS_OFFSET, System.currentTimeMillis());
        // Release: the header is complete before the magic identifies the file.
        buffer.putLongRelease(SimSystemDescriptor.MAGIC_OFFSET, SimSystemDescriptor.MAGIC);
        final SimSystem sim = new SimSystem(directory, memory, maxDomains);
        try
        {
            sim.createDomain(dom0);
        }
        catch (final RuntimeException ex)
        {
            sim.close();
            throw ex;
        }
        // Release: dom0 exists before other processes may use the system.
        buffer.putIntRelease(SimSystemDescriptor.STATE_OFFSET, SimSystemDescriptor.SYSTEM_READY);
        return sim;
    }

    /**
     * Opens an existing system.
     *
     * @param directory its directory.
     * @return the open system.
     * @throws PlatformException if there is no (complete) system there.
     */
    public static SimSystem open(final Path directory)
    {
        final Path systemPath = directory.resolve(SYSTEM_FILE);
        if (!Files.isRegularFile(systemPath))
        {
            throw new PlatformException("no simulated system: directory=" + directory + " (create it with "
                + "'pvring sim create NAME' or SimSystem.create)");
        }
        final SharedMemory memory;
        try
        {
            memory = SharedMemory.open(systemPath, SharedMemory.Access.READ_WRITE);
        }
        catch (final SharedMemoryException ex)
        {
            throw new PlatformException("cannot open simulated system: directory=" + directory, ex);
        }
        final AtomicBuffer buffer = memory.buffer();
        // Each header word read once; only the checked copies are used.
        final long magic = buffer.getLongAcquire(SimSystemDescriptor.MAGIC_OFFSET);
        final int version = buffer.getIntOpaque(SimSystemDescriptor.VERSION_OFFSET);
        final int state = buffer.getIntAcquire(SimSystemDescriptor.STATE_OFFSET);
        final int slots = buffer.getIntOpaque(SimSystemDescriptor.MAX_DOMAINS_OFFSET);
        if (magic != SimSystemDescriptor.MAGIC || version != SimSystemDescriptor.VERSION ||
            slots < 1 || slots > SimSystemDescriptor.MAX_DOMAINS_LIMIT ||
            memory.size() < SimSystemDescriptor.fileLength(slots))
        {
            memory.close();
            throw new PlatformException("not a pvring simulated system: file=" + systemPath + " magic=0x" +
                Long.toHexString(magic) + " version=" + version);
        }
        if (state != SimSystemDescriptor.SYSTEM_READY)
        {
            memory.close();
            throw new PlatformException("simulated system is not initialised (did its creation fail?): directory=" +
                directory);
        }
        return new SimSystem(directory, memory, slots);
    }

    /**
     * Whether a system exists in a directory.
     *
     * @param directory the directory.
     * @return true if it holds a system file.
     */
    public static boolean exists(final Path directory)
    {
        return Files.isRegularFile(directory.resolve(SYSTEM_FILE));
    }

    /**
     * Deletes a system's files and its directory (only files a system creates, including the sockets its
     * xenstored leaves if it died without closing). Processes that still map them keep their mappings until they
     * close.
     *
     * @param directory the system's directory.
     * @throws PlatformException if it holds no system.
     */
    public static void delete(final Path directory)
    {
        if (!exists(directory))
        {
            throw new PlatformException("no simulated system: directory=" + directory);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory))
        {
            for (final Path file : files)
            {
                final String name = file.getFileName().toString();
                if (name.equals(SYSTEM_FILE) || name.matches("dom\\d+\\.gen\\d+\\.(mem|grant|evtchn)"))
                {
                    Files.deleteIfExists(file);
                }
                else if (name.matches(XENSTORED_SOCKET + "(\\.d\\d+)?") && isSocket(file))
                {
                    // Left by the system's xenstored if it died without closing.
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(directory);
        }
        catch (final IOException ex)
        {
            throw new PlatformException("cannot delete simulated system: directory=" + directory, ex);
        }
    }

    private static boolean isSocket(final Path file) throws IOException
    {
        final Object mode = Files.getAttribute(file, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        return mode instanceof Integer m && (m & 0xF000) == 0xC000;
    }

    /**
     * Joins the system as a domain: the returned platform acts with that domain's identity.
     *
     * @param domid an existing domain.
     * @return the domain's platform for this process.
     * @throws IllegalArgumentException if the domain does not exist.
     */
    public SimPlatform join(final int domid)
    {
        checkOpen();
        final SimDomainView view = view(domid);
        if (view == null)
        {
            throw new IllegalArgumentException("no such domain: domid=" + domid + " system=" + directory);
        }
        return new SimPlatform(this, view);
    }

    /**
     * The system's directory.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Where the system's xenstored listens (dom0's socket; domU sockets are {@code <socket>.d<domid>}):
     * {@code <directory>/xenstored.socket}. Start it embedded ({@code Xenstored.start(socket)}) or with
     * {@code pvring xenstored --socket <path>}.
     *
     * @return the socket path.
     */
    public Path xenstoredSocket()
    {
        return directory.resolve(XENSTORED_SOCKET);
    }

    /**
     * Number of domain slots (domids 0 .. maxDomains-1).
     *
     * @return the slot count.
     */
    public int maxDomains()
    {
        return maxDomains;
    }

    /**
     * Whether a domain exists.
     *
     * @param domid the domain.
     * @return true if alive.
     */
    public boolean isAlive(final int domid)
    {
        return domid >= 0 && domid < maxDomains &&
            SimSystemDescriptor.state(stateWordAcquire(domid)) == SimSystemDescriptor.DOMAIN_ALIVE;
    }

    /**
     * Releases what dead processes held (see the class comment).
     *
     * @return what was released.
     */
    public SimHypervisor.ReclaimReport reclaim()
    {
        checkOpen();
        return hypervisor.reclaim();
    }

    SimHypervisor hypervisor()
    {
        return hypervisor;
    }

    int pid()
    {
        return pid;
    }

    AtomicBuffer systemBuffer()
    {
        return system;
    }

    long stateWordAcquire(final int domid)
    {
        return system.getLongAcquire(SimSystemDescriptor.slotOffset(domid) + SimSystemDescriptor.SLOT_STATE_OFFSET);
    }

    String domainName(final int domid)
    {
        final int offset = SimSystemDescriptor.slotOffset(domid) + SimSystemDescriptor.SLOT_NAME_OFFSET;
        final byte[] bytes = new byte[SimSystemDescriptor.SLOT_NAME_LENGTH];
        system.getBytes(offset, bytes);
        int length = 0;
        while (length < bytes.length && bytes[length] != 0)
        {
            length++;
        }
        return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }

    /**
     * This process's view of an alive domain, or null if the domain does not exist. One acquire load on the
     * fast path.
     */
    SimDomainView view(final int domid)
    {
        if (domid < 0 || domid >= maxDomains)
        {
            return null;
        }
        final long word = stateWordAcquire(domid);
        if (SimSystemDescriptor.state(word) != SimSystemDescriptor.DOMAIN_ALIVE)
        {
            return null;
        }
        final SimDomainView cached = views[domid];
        if (cached != null && cached.generation == SimSystemDescriptor.generation(word))
        {
            return cached;
        }
        return openView(domid, SimSystemDescriptor.generation(word));
    }

    /**
     * The view of a domain's incarnation, whatever its state (for destroying it).
     */
    synchronized SimDomainView openView(final int domid, final int generation)
    {
        checkOpen();
        final SimDomainView cached = views[domid];
        if (cached != null && cached.generation == generation)
        {
            return cached;
        }
        final SimDomainView view = SimDomainView.open(directory, domid, generation);
        if (view != null)
        {
            if (cached != null)
            {
                // Platforms, mappings and port targets may still use it: closed with the system.
                retired.add(cached);
            }
            views[domid] = view;
        }
        return view;
    }

    synchronized void createDomain(final SimDomainConfig config)
    {
        checkOpen();
        final int domid = config.domid();
        if (domid >= maxDomains)
        {
            throw new IllegalArgumentException("domid out of range: domid=" + domid + " maxDomains=" + maxDomains);
        }
        final int slot = SimSystemDescriptor.slotOffset(domid);
        final long word = system.getLongVolatile(slot);
        final int generation = SimSystemDescriptor.generation(word) + 1;
        if (SimSystemDescriptor.state(word) != SimSystemDescriptor.DOMAIN_FREE ||
            !system.compareAndSetLong(slot, word, SimSystemDescriptor.stateWord(SimSystemDescriptor.DOMAIN_CREATING,
            generation)))
        {
            throw new IllegalStateException("domain already exists: domid=" + domid + " state=" +
                SimSystemDescriptor.describeState(SimSystemDescriptor.state(system.getLongVolatile(slot))));
        }
        try
        {
            system.putInt(slot + SimSystemDescriptor.SLOT_PAGES_OFFSET, config.pages());
            system.putInt(slot + SimSystemDescriptor.SLOT_GRANT_ENTRIES_OFFSET, config.grantEntries());
            system.putInt(slot + SimSystemDescriptor.SLOT_PORTS_OFFSET, config.ports());
            system.putInt(slot + SimSystemDescriptor.SLOT_MAPTRACK_OFFSET, config.maptrackEntries());
            system.putInt(slot + SimSystemDescriptor.SLOT_CREATOR_PID_OFFSET, pid);
            system.setMemory(
                slot + SimSystemDescriptor.SLOT_NAME_OFFSET, SimSystemDescriptor.SLOT_NAME_LENGTH, (byte)0);
            system.putStringWithoutLengthAscii(slot + SimSystemDescriptor.SLOT_NAME_OFFSET, config.name());
            final SimDomainView view = SimDomainView.create(directory, config, generation);
            if (views[domid] != null)
            {
                retired.add(views[domid]);
            }
            views[domid] = view;
        }
        catch (final RuntimeException ex)
        {
            SimDomainView.deleteFiles(directory, domid, generation);
            system.putLongRelease(slot, SimSystemDescriptor.stateWord(SimSystemDescriptor.DOMAIN_FREE, generation));
            throw new PlatformException("cannot create simulated domain: domid=" + domid + " directory=" + directory,
                ex);
        }
        // Release: the domain's files and sizes exist before any process can see it alive.
        system.putLongRelease(slot, SimSystemDescriptor.stateWord(SimSystemDescriptor.DOMAIN_ALIVE, generation));
    }

    void destroyDomain(final int domid)
    {
        checkOpen();
        if (domid <= 0 || domid >= maxDomains)
        {
            throw new IllegalArgumentException("cannot destroy domain: domid=" + domid + " (dom0 or out of range)");
        }
        final int slot = SimSystemDescriptor.slotOffset(domid);
        final long word = system.getLongVolatile(slot);
        final int generation = SimSystemDescriptor.generation(word);
        if (SimSystemDescriptor.state(word) != SimSystemDescriptor.DOMAIN_ALIVE ||
            !system.compareAndSetLong(slot, word, SimSystemDescriptor.stateWord(SimSystemDescriptor.DOMAIN_DYING,
            generation)))
        {
            throw new IllegalStateException("no such domain: domid=" + domid);
        }
        final SimDomainView view = openView(domid, generation);
        if (view != null)
        {
            hypervisor.tearDown(view);
        }
        SimDomainView.deleteFiles(directory, domid, generation);
        // Release: the teardown above is complete before the slot can be reused.
        system.putLongRelease(slot, SimSystemDescriptor.stateWord(SimSystemDescriptor.DOMAIN_FREE, generation));
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("simulated system is closed: directory=" + directory);
        }
    }

    /**
     * Unmaps the system and every domain view of this process (platforms joined through it must be closed
     * first). Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final SimDomainView view : views)
        {
            if (view != null)
            {
                view.close();
            }
        }
        for (final SimDomainView view : retired)
        {
            view.close();
        }
        systemMemory.close();
    }

    @Override
    public String toString()
    {
        return "SimSystem{directory=" + directory + ", maxDomains=" + maxDomains + "}";
    }
}
