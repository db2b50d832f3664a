/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.device;

/**
 * What a backend driver supplies: three callbacks, all called on the runner thread. The framework
 * ({@link BackendWatcher}) does everything else: finding devices, states, reading keys, mapping, binding,
 * waking and freeing.
 *
 * @param <P> the driver's per-connection data path.
 */
public interface BackendDriver<P extends DutyCycle>
{
    /**
     * The device type served ({@code vif}, {@code vbd}, {@code pvring-echo}...).
     *
     * @return a xenstore path component.
     */
    String type();

    /**
     * Publishes this backend's features for one device, before InitWait (e.g. {@code max-ring-page-order},
     * {@code feature-split-event-channels}). May read the device's toolstack keys through {@code device}.
     *
     * @param device   the device (its frontend keys are not meaningful yet).
     * @param features where to write.
     */
    void features(BackendContext device, FeatureWriter features);

    /**
     * The frontend is Initialised (or Connected): read its keys, map the ring(s), bind the channel(s) through
     * {@code device}, and build the data path. Called once per connection.
     *
     * @param device the connecting device.
     * @return the data path (its {@link DutyCycle#doWork()} runs when a bound port fires), or {@code null} after
     *     {@link DeviceContext#fail(String)}.
     */
    P connect(BackendContext device);

    /**
     * The connection ends (frontend closing or dead, {@code online=0}, device removed, backend closing): stop
     * touching the shared memory. The framework unmaps and unbinds afterwards. Called exactly once per
     * successful {@link #connect}.
     *
     * @param path the data path {@link #connect} returned.
     */
    void disconnect(P path);
}
