/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The Xen device framework: what every PV driver (net, block, vchan, the example echo device) plugs into.
 *
 * <h2>Shape</h2>
 * <pre>
 *   driver (small)                     framework (this package)                     platform
 *   BackendDriver  features/connect/   BackendWatcher: watches backend/&lt;type&gt;/,     XenStore (watches, tx)
 *                  disconnect    ---&gt;  table-driven states per device        ---&gt;  GrantTable (map/grant)
 *   FrontendDriver connect/connected/  FrontendDevice: table-driven states,        EventChannels (ports)
 *                  disconnect          one-transaction keys, reconnect             LocalPages
 *   data path: DutyCycle.doWork() &lt;--- DeviceRunner: one thread, many devices,
 *                                      wakes on ports / watch events / fds / timers
 * </pre>
 * <ul>
 *   <li><b>Drivers supply callbacks, nothing else.</b> A backend gives {@link dev.pvring.xen.device.BackendDriver#features
 *       features}, {@link dev.pvring.xen.device.BackendDriver#connect connect} and
 *       {@link dev.pvring.xen.device.BackendDriver#disconnect disconnect}; a frontend gives
 *       {@link dev.pvring.xen.device.FrontendDriver#connect connect} (allocate rings, ports, keys),
 *       {@link dev.pvring.xen.device.FrontendDriver#connected connected} and
 *       {@link dev.pvring.xen.device.FrontendDriver#disconnect disconnect}. {@code connect} returns the
 *       per-connection data path, a {@link dev.pvring.xen.device.DutyCycle}.</li>
 *   <li><b>Resources belong to the connection.</b> Rings, pages, grants and ports are acquired through the
 *       {@link dev.pvring.xen.device.BackendContext}/{@link dev.pvring.xen.device.FrontendContext} given to
 *       {@code connect}; the framework releases them after {@code disconnect}, exactly once, whatever ended the
 *       connection (peer close, peer death, removal, {@code online=0}, local close). Multi-page rings
 *       ({@code ring-page-order} + {@code ring-ref0..N-1}), split and multi-queue channels (one
 *       {@code bindPort}/{@code allocatePort} per key, e.g. {@code queue-1/event-channel-rx}) and vchan's
 *       separately granted rings ({@code grantPages}/{@code mapPages}) are the same calls with other keys.</li>
 *   <li><b>States are tables.</b> {@link dev.pvring.xen.device.BackendWatcher} and
 *       {@link dev.pvring.xen.device.FrontendDevice} map (own phase, what the peer shows) to one action; any
 *       state a hostile or restarting peer writes lands in a cell, so skipped and regressed states never throw.</li>
 *   <li><b>One loop, no owned threads in drivers.</b> {@link dev.pvring.xen.device.DeviceRunner} runs every
 *       lifecycle and data path of a process on one thread and sleeps in the platform's event-channel wait; watch
 *       events and adapter descriptors reach it through a loopback port (see the runner's javadoc for why).</li>
 * </ul>
 *
 * <h2>Writing a PV driver on pvring</h2>
 * <ol>
 *   <li><b>Wire layouts first.</b> A {@code *Descriptor} per request/response layout, checked against the C
 *       header (see {@code dev.pvring.xen.ring.entry}).</li>
 *   <li><b>The backend.</b> Implement {@code BackendDriver<P>}: {@code type()} is the xenstore device type;
 *       {@code features} writes {@code feature-*} keys (and {@code max-ring-page-order} if you accept multi-page
 *       rings); {@code connect} reads the frontend's keys once through the context ({@code frontendNumber},
 *       {@code frontendFlag}: peer data, no exceptions), maps each ring ({@code mapRing("ring-ref",
 *       "ring-page-order", maxOrder)}), binds each channel ({@code bindPort("event-channel")}), attaches a
 *       {@code BackRing} to the mapped memory and returns a data path; on any bad key call
 *       {@code device.fail(reason)} and return {@code null}. {@code disconnect} only stops using the memory.</li>
 *   <li><b>The frontend.</b> Implement {@code FrontendDriver<P>}: {@code connect} reads the backend's features,
 *       {@code grantRing} each ring (then {@code FrontRing.init} in it), {@code allocatePort} each channel,
 *       {@code writeKey} anything else, and returns the data path; the framework writes all keys and Initialised
 *       in one transaction. {@code connected} lets the path issue requests. Keep requests in the driver object,
 *       not in the data path: {@code disconnect(path, backendLost)} hands back the ones in flight, to re-issue
 *       on the next connection (a restarted backend) or fail, exactly once.</li>
 *   <li><b>The data path.</b> {@code doWork()} consumes what the ring holds (copy each request or response out
 *       once, then validate), produces, notifies the port when the ring says so
 *       ({@code push*AndCheckNotify}), and before returning 0 runs {@code finalCheckFor*} so the peer's next push
 *       notifies. It never blocks, never throws on peer data (mark the ring broken instead), owns no thread.</li>
 *   <li><b>Adapters</b> (TAP, NBD, streams) are duty cycles too: {@code runner.watchFd(fd, cycle)} wakes them
 *       when their descriptor is readable; they read until it would block, then return 0.</li>
 *   <li><b>Run it.</b>
 *       <pre>{@code
 * try (Platform platform = system.join(domid); DeviceRunner runner = new DeviceRunner(platform, "back")) {
 *     BackendWatcher<EchoBackend.Path> watcher = BackendWatcher.start(runner, new EchoBackend());
 *     runner.run(() -> !stop);          // or: while (...) { if (runner.doWork() == 0) runner.awaitWork(-1); }
 *     watcher.close();                  // disconnects every device, writes Closed
 * }
 *       }</pre>
 *       A frontend: {@code FrontendDevice.start(runner, driver, devid)}; {@code close()} then run until
 *       {@code isClosed()}. The example echo device in this module's tests ({@code dev.pvring.xen.device.echo})
 *       is a complete front and back in about 300 lines.</li>
 * </ol>
 */
package dev.pvring.xen.device;
