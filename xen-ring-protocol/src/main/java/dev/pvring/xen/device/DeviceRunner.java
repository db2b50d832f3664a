/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.pvring.xen.platform.EventChannels;
import dev.pvring.xen.platform.Platform;
import dev.pvring.xen.store.XenStore;

/**
 * One loop for many devices: serves any number of lifecycles ({@link BackendWatcher}, {@link FrontendDevice}),
 * data paths and adapters on one thread, sleeps while nothing is pending, and wakes on whichever comes first:
 * an event-channel port of its devices, a xenstore watch event, an adapter's file descriptor, a timer, or
 * {@link #wakeUp()} from another thread.
 * <p>
 * <b>How it sleeps.</b> The runner blocks in {@link EventChannels#waitPending(int[], long)} of its platform:
 * a futex on the domain's upcall doorbell in the simulated platform, {@code ppoll} on {@code /dev/xen/evtchn}
 * on Linux. Everything else is turned into an event on that same wait: the runner owns a loopback event channel
 * (a port of its own domain bound to another port of its own domain) and whoever has something for it (the
 * xenstore watch pump, the file-descriptor poller, another thread calling {@link Registration#wake()}) queues
 * it and notifies that port. One blocking primitive per platform, no lost wake-up (the pending bit is level:
 * queue first, notify second; the runner drains the queue after every wait).
 * <p>
 * <b>Why a pump for xenstore and a poller for descriptors.</b> A futex cannot be waited on together with a file
 * descriptor, and the xenstore client ({@link XenStore}) owns no thread and exposes no descriptor: someone must
 * read its socket when a watch fires. So, per xenstore connection, one small daemon thread blocks in
 * {@link XenStore#awaitWatchEvent} (it becomes the socket reader, leader/follower with callers waiting for
 * replies) and hands each event to the runner that registered its token; and, per runner with adapter
 * descriptors, one daemon thread blocks in {@code epoll_wait} (one-shot: a descriptor is re-armed only after its
 * duty cycle went idle, so a readable TAP device costs one hand-off, not a spin). Both sleep in the kernel with
 * no timeout-driven polling beyond a one-second liveness check of the pump; neither touches device state.
 * Drivers and data paths stay thread-free; all their callbacks run on the runner thread.
 * <p>
 * <b>Embedding.</b> {@link #run(BooleanSupplier)} is the loop; an embedder with its own thread calls
 * {@link #doWork()} and {@link #awaitWork(long)} instead. One thread at a time drives a runner. Several runners
 * may share one platform (one per core, say): a pending port taken by one is routed to the runner that owns it.
 */
public final class DeviceRunner implements AutoCloseable
{
    private static final int PORT_BATCH = 64;

    private final Platform platform;
    private final EventChannels events;
    private final String name;
    private final int wakePort;
    private final int wakeNotifyPort;
    private final PortRouter router;
    private final int[] pending = new int[PORT_BATCH];
    private final ArrayDeque<Task> runQueue = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final List<Task> timed = new ArrayList<>();
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final AtomicLong wakeUpsRequested = new AtomicLong();
    private volatile Consumer<Throwable> errorHandler = DeviceRunner::printError;
    private volatile boolean stopped;
    private boolean closed;
    private long spinNanos;
    private long passes;
    private long sleeps;
    private FdPoller poller;
    private Thread thread;

    /**
     * Creates a runner on a platform: allocates its loopback wake-up port pair.
     *
     * @param platform the platform whose ports, grants and xenstore the devices use.
     * @param name     a name for messages and the helper threads.
     * @throws IllegalStateException if the platform has no free port for the wake-up pair.
     */
    public DeviceRunner(final Platform platform, final String name)
    {
        this.platform = platform;
        this.events = platform.eventChannels();
        this.name = name;
        final int self = platform.domid();
        final int local = events.allocateUnbound(self);
        if (local <= 0)
        {
            throw new IllegalStateException("no port for the runner's wake-up channel: result=" +
                EventChannels.describe(local));
        }
        final int remote = events.bindInterdomain(self, local);
        if (remote <= 0)
        {
            events.close(local);
            throw new IllegalStateException("cannot bind the runner's wake-up channel: result=" +
                EventChannels.describe(remote));
        }
        this.wakePort = local;
        this.wakeNotifyPort = remote;
        this.router = PortRouter.of(events);
        router.put(wakePort, this, null);
        router.put(wakeNotifyPort, this, null);
    }

    /**
     * The platform.
     *
     * @return the platform given at construction.
     */
    public Platform platform()
    {
        return platform;
    }

    /**
     * The runner's name.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * Spins (polling ports and the inbox) for up to this long before blocking, trading CPU for wake-up latency.
     * Default 0: block at once.
     *
     * @param nanos spin budget per idle period.
     * @return this.
     */
    public DeviceRunner spinBeforeBlocking(final long nanos)
    {
        if (nanos < 0)
        {
            throw new IllegalArgumentException("spin must not be negative: nanos=" + nanos);
        }
        this.spinNanos = nanos;
        return this;
    }

    /**
     * Where exceptions thrown by duty cycles and callbacks go (default: standard error). A throwing duty cycle
     * is not rescheduled until its next wake-up.
     *
     * @param handler the handler.
     * @return this.
     */
    public DeviceRunner errorHandler(final Consumer<Throwable> handler)
    {
        this.errorHandler = handler;
        return this;
    }

    /**
     * Registers a duty cycle that runs when {@link Registration#wake() woken} (and again while it returns
     * positive counts).
     *
     * @param cycle the duty cycle.
     * @return its registration.
     */
    public Registration add(final DutyCycle cycle)
    {
        final Task task = new Task(this, cycle);
        schedule(task);
        return task;
    }

    /**
     * Registers a duty cycle woken when a file descriptor becomes readable (a TAP device, an NBD socket). The
     * descriptor is watched one-shot: after a wake-up it is re-armed only once the duty cycle returned 0, so the
     * duty cycle must read until it would block before going idle.
     *
     * @param fd    an open descriptor (stays owned by the caller; close the registration before closing it).
     * @param cycle the duty cycle.
     * @return its registration.
     */
    public Registration watchFd(final int fd, final DutyCycle cycle)
    {
        if (fd < 0)
        {
            throw new IllegalArgumentException("fd must not be negative: fd=" + fd);
        }
        if (null == poller)
        {
            poller = new FdPoller(this);
        }
        final Task task = new Task(this, cycle);
        task.fd = fd;
        poller.add(task);
        schedule(task);
        return task;
    }

    /**
     * Wakes the runner from any thread (a sleeping {@link #awaitWork(long)} returns).
     */
    public void wakeUp()
    {
        wakeUpsRequested.incrementAndGet();
        events.notify(wakeNotifyPort);
    }

    /**
     * Makes {@link #run(BooleanSupplier)} return after its current pass; callable from any thread.
     */
    public void stop()
    {
        stopped = true;
        wakeUp();
    }

    /**
     * Runs the loop on the calling thread until {@link #stop()} or {@code keepRunning} turns false (checked
     * after every pass and wake-up).
     *
     * @param keepRunning the condition, e.g. {@code () -> true}.
     */
    public void run(final BooleanSupplier keepRunning)
    {
        thread = Thread.currentThread();
        stopped = false;
        while (!stopped && keepRunning.getAsBoolean())
        {
            if (0 == doWork())
            {
                awaitWork(-1);
            }
        }
    }

    /**
     * One pass: takes what other threads queued (watch events, descriptor wake-ups), the pending ports, due
     * timers, and runs every duty cycle that has something to do.
     *
     * @return work done (0 when idle).
     */
    public int doWork()
    {
        passes++;
        int work = drainInbox();
        final int n = events.pollPending(pending);
        work += n;
        dispatch(n);
        work += fireTimers(System.nanoTime());
        int size = runQueue.size();
        while (size-- > 0)
        {
            final Task task = runQueue.poll();
            task.scheduled = false;
            if (task.closed)
            {
                continue;
            }
            int result = 0;
            try
            {
                result = task.cycle.doWork();
            }
            catch (final RuntimeException | Error ex)
            {
                errorHandler.accept(ex);
            }
            if (result > 0)
            {
                work += result;
                schedule(task);
            }
            else if (task.fd >= 0 && !task.closed)
            {
                poller.rearm(task);
            }
        }
        return work;
    }

    /**
     * Sleeps until something may be ready: a port of this process, a queued wake-up, or the earliest timer.
     * Returns at once if a duty cycle is scheduled.
     *
     * @param timeoutNanos longest sleep; negative waits without limit, 0 only polls.
     * @return true if something arrived (ports taken here are dispatched for the next {@link #doWork()}).
     */
    public boolean awaitWork(final long timeoutNanos)
    {
        if (!runQueue.isEmpty() || !inbox.isEmpty())
        {
            return true;
        }
        long timeout = timeoutNanos;
        final long timer = nextTimer();
        if (Long.MAX_VALUE != timer)
        {
            final long untilTimer = Math.max(0, timer - System.nanoTime());
            timeout = timeout < 0 ? untilTimer : Math.min(timeout, untilTimer);
        }
        if (spinNanos > 0 && timeout != 0)
        {
            final long spinEnd = System.nanoTime() + (timeout > 0 ? Math.min(spinNanos, timeout) : spinNanos);
            do
            {
                final int n = events.pollPending(pending);
                if (n > 0)
                {
                    dispatch(n);
                    return true;
                }
                if (!inbox.isEmpty())
                {
                    return true;
                }
                Thread.onSpinWait();
            }
            while (System.nanoTime() - spinEnd < 0);
            if (timeout > 0)
            {
                timeout = Math.max(1, timeout - spinNanos);
            }
        }
        sleeps++;
        final int n = events.waitPending(pending, timeout);
        dispatch(n);
        return n > 0 || !inbox.isEmpty();
    }

    /**
     * Number of passes ({@link #doWork()} calls) so far.
     *
     * @return the count.
     */
    public long passes()
    {
        return passes;
    }

    /**
     * Number of times the runner went to sleep in the platform's wait.
     *
     * @return the count.
     */
    public long sleeps()
    {
        return sleeps;
    }

    /**
     * Stops the helper threads, forgets the duty cycles and closes the wake-up ports. Close the lifecycles
     * ({@link BackendWatcher#close()}, {@link FrontendDevice#close()}) first to disconnect their devices.
     * Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        stopped = true;
        for (int i = owned.size() - 1; i >= 0; i--)
        {
            try
            {
                owned.get(i).close();
            }
            catch (final Exception ex)
            {
                errorHandler.accept(ex);
            }
        }
        owned.clear();
        if (null != poller)
        {
            poller.close();
        }
        WatchPump.forget(this);
        router.remove(wakePort, this);
        router.remove(wakeNotifyPort, this);
        events.close(wakeNotifyPort);
        events.close(wakePort);
        runQueue.clear();
    }

    @Override
    public String toString()
    {
        return "DeviceRunner{" + name + " domid=" + platform.domid() + " passes=" + passes + " sleeps=" + sleeps + "}";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Package-private plumbing for the lifecycles.

    XenStore store()
    {
        return platform.xenStore();
    }

    void own(final AutoCloseable resource)
    {
        owned.add(resource);
    }

    void disown(final AutoCloseable resource)
    {
        owned.remove(resource);
    }

    Task newTask(final DutyCycle cycle)
    {
        return new Task(this, cycle);
    }

    /** Routes a port's events to a task of this runner. */
    void registerPort(final int port, final Task task)
    {
        router.put(port, this, task);
    }

    void unregisterPort(final int port)
    {
        router.remove(port, this);
    }

    /**
     * Watches a xenstore path; each event reaches {@code listener} on the runner thread.
     *
     * @return the watch token (for {@link #unwatch}).
     */
    String watch(final String path, final WatchListener listener)
    {
        return WatchPump.of(store(), name).watch(this, path, listener);
    }

    void unwatch(final String path, final String token)
    {
        WatchPump.of(store(), name).unwatch(path, token);
    }

    /** Schedules a task of this runner; runner thread only. */
    void schedule(final Task task)
    {
        if (!task.scheduled && !task.closed)
        {
            task.scheduled = true;
            runQueue.add(task);
        }
    }

    /** Schedules a task from any thread. */
    void scheduleRemote(final Task task)
    {
        inbox.add(task);
        wakeUp();
    }

    /** Delivers a watch event from the pump thread. */
    void deliver(final WatchPump.Delivery delivery)
    {
        inbox.add(delivery);
        wakeUp();
    }

    /** Arms (or clears, with 0) a task's timer; runner thread only. */
    void timer(final Task task, final long deadlineNanos)
    {
        task.deadline = deadlineNanos;
        if (0 != deadlineNanos && !timed.contains(task))
        {
            timed.add(task);
        }
    }

    private long nextTimer()
    {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < timed.size(); i++)
        {
            final long d = timed.get(i).deadline;
            if (0 != d && (Long.MAX_VALUE == next || d - next < 0))
            {
                next = d;
            }
        }
        return next;
    }

    private int fireTimers(final long now)
    {
        int fired = 0;
        for (int i = timed.size() - 1; i >= 0; i--)
        {
            final Task task = timed.get(i);
            if (task.closed || 0 == task.deadline)
            {
                timed.remove(i);
            }
            else if (now - task.deadline >= 0)
            {
                task.deadline = 0;
                timed.remove(i);
                schedule(task);
                fired++;
            }
        }
        return fired;
    }

    private int drainInbox()
    {
        int work = 0;
        Object item;
        while (null != (item = inbox.poll()))
        {
            if (item instanceof Task task)
            {
                if (task.runner == this)
                {
                    task.portEvent |= task.remotePortEvent;
                    task.remotePortEvent = false;
                    schedule(task);
                    work++;
                }
            }
            else if (item instanceof WatchPump.Delivery delivery)
            {
                try
                {
                    delivery.listener().onWatch(delivery.event().path());
                }
                catch (final RuntimeException ex)
                {
                    errorHandler.accept(ex);
                }
                work++;
            }
        }
        return work;
    }

    private void dispatch(final int n)
    {
        for (int i = 0; i < n; i++)
        {
            final int port = pending[i];
            final PortRouter.Route route = router.get(port);
            if (null == route || null == route.task())
            {
                continue;
            }
            final Task task = route.task();
            if (route.runner() == this)
            {
                task.portEvent = true;
                schedule(task);
            }
            else
            {
                task.remotePortEvent = true;
                route.runner().scheduleRemote(task);
            }
        }
    }

    private static void printError(final Throwable ex)
    {
        System.err.println("pvring device runner: " + ex);
        ex.printStackTrace(System.err);
    }

    /** Receives watch events on the runner thread. */
    interface WatchListener
    {
        /**
         * A watched path (or something below it) changed.
         *
         * @param path the path from the event.
         */
        void onWatch(String path);
    }

    /** A registered duty cycle. */
    static final class Task implements Registration
    {
        final DeviceRunner runner;
        final DutyCycle cycle;
        boolean scheduled;
        volatile boolean closed;
        boolean portEvent;
        volatile boolean remotePortEvent;
        long deadline;
        int fd = -1;

        Task(final DeviceRunner runner, final DutyCycle cycle)
        {
            this.runner = runner;
            this.cycle = cycle;
        }

        /** Whether a port of this task fired since the last call; clears the flag. */
        boolean takePortEvent()
        {
            final boolean fired = portEvent;
            portEvent = false;
            return fired;
        }

        @Override
        public void wake()
        {
            if (!closed)
            {
                runner.scheduleRemote(this);
            }
        }

        @Override
        public void close()
        {
            if (closed)
            {
                return;
            }
            closed = true;
            if (fd >= 0 && null != runner.poller)
            {
                runner.poller.remove(this);
            }
        }
    }
}
