/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.pvring.core.linux.LibC;

/**
 * The descriptor side of a {@link DeviceRunner}: one daemon thread blocked in {@code epoll_wait} (x86_64
 * system calls through FFM) over the adapters' descriptors, each registered {@code EPOLLIN | EPOLLONESHOT}.
 * When one fires, its duty cycle is queued on the runner (which wakes through its loopback port); the runner
 * re-arms the descriptor ({@code EPOLL_CTL_MOD}) once the duty cycle returned 0. An {@code eventfd} stops the
 * thread. No timeout: it sleeps until a descriptor or the stop signal is ready.
 */
final class FdPoller implements AutoCloseable
{
    private static final long SYS_EPOLL_WAIT = 232;
    private static final long SYS_EPOLL_CTL = 233;
    private static final long SYS_EVENTFD2 = 290;
    private static final long SYS_EPOLL_CREATE1 = 291;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_DEL = 2;
    private static final int EPOLL_CTL_MOD = 3;
    private static final int EPOLLIN = 0x001;
    private static final int EPOLLONESHOT = 1 << 30;
    private static final int EFD_NONBLOCK = 0x800;
    private static final int CLOEXEC = 0x80000;
    /** {@code struct epoll_event} is packed on x86_64: u32 events, u64 data. */
    private static final int EVENT_SIZE = 12;
    private static final int MAX_EVENTS = 32;
    private static final long STOP_KEY = -1;

    private final DeviceRunner runner;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment ctlErrno = LibC.allocateErrnoState(arena);
    private final MemorySegment ctlEvent = arena.allocate(EVENT_SIZE, 4);
    private final MemorySegment stopValue = arena.allocate(8, 8);
    private final Map<Long, DeviceRunner.Task> tasks = new ConcurrentHashMap<>();
    private final AtomicInteger keys = new AtomicInteger();
    private final Map<DeviceRunner.Task, Long> keyOf = new ConcurrentHashMap<>();
    private final int epfd;
    private final int stopFd;
    private final Thread thread;
    private volatile boolean stopping;

    FdPoller(final DeviceRunner runner)
    {
        this.runner = runner;
        this.epfd = (int)LibC.syscall(ctlErrno, SYS_EPOLL_CREATE1, CLOEXEC, 0, 0, 0, 0, 0);
        if (epfd < 0)
        {
            throw new IllegalStateException("epoll_create1 failed: errno=" + LibC.errno(ctlErrno));
        }
        this.stopFd = (int)LibC.syscall(ctlErrno, SYS_EVENTFD2, 0, CLOEXEC | EFD_NONBLOCK, 0, 0, 0, 0);
        if (stopFd < 0)
        {
            LibC.close(ctlErrno, epfd);
            throw new IllegalStateException("eventfd failed: errno=" + LibC.errno(ctlErrno));
        }
        ctl(EPOLL_CTL_ADD, stopFd, EPOLLIN, STOP_KEY);
        this.thread = new Thread(this::loop, "pvring-fd-poller-" + runner.name());
        thread.setDaemon(true);
        thread.start();
    }

    void add(final DeviceRunner.Task task)
    {
        final long key = keys.incrementAndGet();
        tasks.put(key, task);
        keyOf.put(task, key);
        if (ctl(EPOLL_CTL_ADD, task.fd, EPOLLIN | EPOLLONESHOT, key) < 0)
        {
            tasks.remove(key);
            keyOf.remove(task);
            throw new IllegalArgumentException("cannot watch descriptor: fd=" + task.fd + " errno=" +
                LibC.errno(ctlErrno));
        }
    }

    /** Re-arms a one-shot descriptor after its duty cycle went idle (runner thread). */
    void rearm(final DeviceRunner.Task task)
    {
        final Long key = keyOf.get(task);
        if (null != key)
        {
            ctl(EPOLL_CTL_MOD, task.fd, EPOLLIN | EPOLLONESHOT, key);
        }
    }

    void remove(final DeviceRunner.Task task)
    {
        final Long key = keyOf.remove(task);
        if (null != key)
        {
            tasks.remove(key);
            ctl(EPOLL_CTL_DEL, task.fd, 0, 0);
        }
    }

    private synchronized int ctl(final int op, final int fd, final int events, final long key)
    {
        ctlEvent.set(ValueLayout.JAVA_INT_UNALIGNED, 0, events);
        ctlEvent.set(ValueLayout.JAVA_LONG_UNALIGNED, 4, key);
        return (int)LibC.syscall(ctlErrno, SYS_EPOLL_CTL, epfd, op, fd, ctlEvent.address(), 0, 0);
    }

    private void loop()
    {
        final MemorySegment waitErrno = LibC.allocateErrnoState(arena);
        final MemorySegment ready = arena.allocate((long)EVENT_SIZE * MAX_EVENTS, 8);
        while (!stopping)
        {
            final int n = (int)LibC.syscall(waitErrno, SYS_EPOLL_WAIT, epfd, ready.address(), MAX_EVENTS, -1, 0, 0);
            for (int i = 0; i < n; i++)
            {
                final long key = ready.get(ValueLayout.JAVA_LONG_UNALIGNED, (long)i * EVENT_SIZE + 4);
                if (STOP_KEY == key)
                {
                    return;
                }
                final DeviceRunner.Task task = tasks.get(key);
                if (null != task)
                {
                    runner.scheduleRemote(task);
                }
            }
        }
    }

    @Override
    public void close()
    {
        stopping = true;
        stopValue.set(ValueLayout.JAVA_LONG, 0, 1);
        LibC.write(ctlErrno, stopFd, stopValue, 8);
        try
        {
            thread.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        LibC.close(ctlErrno, epfd);
        LibC.close(ctlErrno, stopFd);
        if (!thread.isAlive())
        {
            arena.close();
        }
    }
}
