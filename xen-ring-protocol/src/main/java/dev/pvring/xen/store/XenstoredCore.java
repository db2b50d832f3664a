/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * xenstored's request semantics, independent of transport and threads: node tree, permissions, watches,
 * transactions, domains and quotas, following C xenstored (Xen 4.17+) request by request. Every method runs on
 * the server thread. {@link #handle} never throws on client input: malformed requests get the errno reply C
 * xenstored gives ({@code EINVAL} for malformed payloads and paths, {@code ENOSYS} for unknown types,
 * {@code ENOENT} for unknown transactions, {@code EACCES} for dom0-only requests from a domain).
 */
final class XenstoredCore
{
    /** Told when a domain is introduced or released (to open or close its socket). */
    interface DomainListener
    {
        /**
         * Domain introduced by dom0.
         *
         * @param domid the domain.
         */
        void introduced(int domid);

        /**
         * Domain released by dom0.
         *
         * @param domid the domain.
         */
        void released(int domid);
    }

    /** The request being handled; one instance, reused (the core runs on one thread and is not re-entered). */
    private static final class Request
    {
        XsServerConnection conn;
        XsView view;
        XsTransaction tx;
        int type;
        int reqId;
        int txId;
        byte[] payload;
        int length;
    }

    /** {@code DOMID_SELF}. */
    static final int DOMID_SELF = 0x7FF0;

    private static final byte[] OK = {'O', 'K', 0};
    private static final byte[] EMPTY = new byte[0];

    final XsQuotas quotas;
    final XsNodeStore store;
    private final DomainListener listener;
    private final XsLog log;
    /** Every watch by watched path; the sets keep registration order (events fire in that order). */
    private final Map<String, LinkedHashSet<XsWatch>> watchesByPath = new HashMap<>();
    private final Int2ObjectHashMap<XsDomainState> domains = new Int2ObjectHashMap<>();
    private final List<XsServerConnection> connections = new ArrayList<>();
    private final Request request = new Request();
    private long nextConnectionId = 1;
    volatile long messages;
    volatile long errorReplies;
    volatile long internalErrors;

    XenstoredCore(final XsQuotas quotas, final DomainListener listener)
    {
        this(quotas, listener, new XsLog(System.getLogger(Xenstored.class.getName())));
    }

    XenstoredCore(final XsQuotas quotas, final DomainListener listener, final XsLog log)
    {
        this.quotas = quotas;
        this.listener = listener;
        this.log = log;
        this.store = new XsNodeStore(this);
        domain(0).introduced = true;
    }

    XsServerConnection open(final int domid, final XsServerConnection.Io io)
    {
        final XsServerConnection conn = new XsServerConnection(nextConnectionId++, domid, 0 == domid, io);
        connections.add(conn);
        domain(domid);
        return conn;
    }

    /**
     * Drops a connection: its watches, transactions and queued output are released. Idempotent.
     *
     * @param conn the connection.
     */
    void close(final XsServerConnection conn)
    {
        if (conn.closed)
        {
            return;
        }
        conn.closed = true;
        dropWatchesAndTransactions(conn);
        conn.discardOutput();
        connections.remove(conn);
    }

    int connectionCount()
    {
        return connections.size();
    }

    /**
     * Whether another connection may be opened as {@code domid}: always for dom0 (privileged), below
     * {@link XsQuotas#connectionsPerDomain()} open connections for any other domain.
     *
     * @param domid the domain the connection would act as.
     * @return true if within the quota.
     */
    boolean mayOpen(final int domid)
    {
        if (0 == domid)
        {
            return true;
        }
        int open = 0;
        for (final XsServerConnection c : connections)
        {
            if (c.domid == domid)
            {
                open++;
            }
        }
        return open < quotas.connectionsPerDomain();
    }

    int maxPendingEvents()
    {
        int max = 0;
        for (final XsServerConnection c : connections)
        {
            max = Math.max(max, c.pendingEvents);
        }
        return max;
    }

    int maxOutstandingReplies()
    {
        int max = 0;
        for (final XsServerConnection c : connections)
        {
            max = Math.max(max, c.outstandingReplies);
        }
        return max;
    }

    int maxQueuedBytes()
    {
        int max = 0;
        for (final XsServerConnection c : connections)
        {
            max = Math.max(max, c.queuedBytes());
        }
        return max;
    }

    int watchCount()
    {
        int total = 0;
        for (final LinkedHashSet<XsWatch> set : watchesByPath.values())
        {
            total += set.size();
        }
        return total;
    }

    int transactionCount()
    {
        int total = 0;
        for (final XsServerConnection c : connections)
        {
            total += c.transactions.size();
        }
        return total;
    }

    /**
     * Consistency of the store and of the per-domain watch and transaction counts.
     *
     * @return problems found (empty if consistent).
     */
    List<String> check()
    {
        final List<String> problems = store.check();
        final Int2ObjectHashMap<int[]> actual = new Int2ObjectHashMap<>();
        for (final XsServerConnection c : connections)
        {
            final int[] counts = actual.computeIfAbsent(c.domid, k -> new int[2]);
            counts[0] += c.watches.size();
            counts[1] += c.transactions.size();
        }
        for (final XsDomainState state : domains.values())
        {
            final int[] counts = actual.getOrDefault(state.domid, new int[2]);
            if (counts[0] != state.watches || counts[1] != state.transactions)
            {
                problems.add("domain " + state.domid + " counts watches=" + state.watches + "/" + counts[0] +
                    " transactions=" + state.transactions + "/" + counts[1]);
            }
        }
        if (watchCount() != countConnectionWatches())
        {
            problems.add("watch registry out of sync");
        }
        return problems;
    }

    private int countConnectionWatches()
    {
        int total = 0;
        for (final XsServerConnection c : connections)
        {
            total += c.watches.size();
        }
        return total;
    }

    boolean isIntroduced(final int domid)
    {
        final XsDomainState state = domains.get(domid);
        return null != state && state.introduced;
    }

    /**
     * Whether the connection has as many unread replies as it may: stop reading its requests until it reads.
     *
     * @param conn the connection.
     * @return true while its input must not be processed.
     */
    boolean inputBlocked(final XsServerConnection conn)
    {
        return conn.outstandingReplies >=
            (conn.privileged ? quotas.outstandingPrivileged() : quotas.outstandingRequests());
    }

    /**
     * Handles one complete request.
     *
     * @param conn    the connection.
     * @param type    raw type.
     * @param reqId   request id (echoed).
     * @param txId    transaction id (echoed).
     * @param payload payload bytes.
     * @param length  payload length.
     */
    void handle(
        final XsServerConnection conn,
        final int type,
        final int reqId,
        final int txId,
        final byte[] payload,
        final int length)
    {
        messages++;
        final Request r = request;
        r.conn = conn;
        r.type = type;
        r.reqId = reqId;
        r.txId = txId;
        r.payload = payload;
        r.length = length;
        r.tx = null;
        r.view = store;
        try
        {
            dispatch(r);
        }
        catch (final XsFailure failure)
        {
            replyError(r, failure.error());
        }
        catch (final RuntimeException ex)
        {
            internalErrors++;
            log.log("request failed", System.Logger.Level.ERROR,
                "xenstored bug handling request: type=" + type + " domid=" + conn.domid, ex);
            replyError(r, XsError.EIO);
        }
        finally
        {
            r.conn = null;
            r.payload = null;
            r.tx = null;
        }
    }

    private void dispatch(final Request r)
    {
        final XsMessageType t = XsMessageType.fromCode(r.type);
        if (null == t || XsMessageType.WATCH_EVENT == t || XsMessageType.ERROR == t)
        {
            throw XsFailure.of(XsError.ENOSYS);
        }
        if (privilegedOnly(t) && !r.conn.privileged)
        {
            throw XsFailure.of(XsError.EACCES);
        }
        if (XsMessageType.WATCH != t && XsMessageType.UNWATCH != t && 0 != r.txId)
        {
            r.tx = r.conn.transactions.get(r.txId);
            if (null == r.tx)
            {
                throw XsFailure.of(XsError.ENOENT);
            }
            r.view = r.tx;
        }
        switch (t)
        {
            case READ -> reply(r, getNode(r, path(r, false), XsAccess.READ_BIT).value);
            case DIRECTORY -> reply(r, getNode(r, path(r, false), XsAccess.READ_BIT).encodeChildren());
            case DIRECTORY_PART -> directoryPart(r);
            case GET_PERMS -> reply(r, getNode(r, path(r, true), XsAccess.READ_BIT).acl.encode());
            case WRITE -> write(r);
            case MKDIR -> mkdir(r);
            case RM -> rm(r);
            case SET_PERMS -> setPerms(r);
            case WATCH -> watch(r);
            case UNWATCH -> unwatch(r);
            case TRANSACTION_START -> transactionStart(r);
            case TRANSACTION_END -> transactionEnd(r);
            case GET_DOMAIN_PATH -> getDomainPath(r);
            case INTRODUCE -> introduce(r);
            case RELEASE -> release(r);
            case IS_DOMAIN_INTRODUCED -> isDomainIntroduced(r);
            case RESUME ->
            {
                introducedDomain(r);
                ack(r);
            }
            case SET_TARGET -> setTarget(r);
            case RESET_WATCHES ->
            {
                dropWatchesAndTransactions(r.conn);
                ack(r);
            }
            case CONTROL -> control(r);
            default -> throw XsFailure.of(XsError.ENOSYS);
        }
    }

    private static boolean privilegedOnly(final XsMessageType t)
    {
        return switch (t)
        {
            case CONTROL, INTRODUCE, RELEASE, IS_DOMAIN_INTRODUCED, RESUME, SET_TARGET -> true;
            default -> false;
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // Node access

    private static String path(final Request r, final boolean allowSpecial)
    {
        final String path = XsPaths.canonicalize(XsPayload.oneArg(r.payload, r.length), r.conn.implicitPath,
            allowSpecial);
        if (null == path)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        return path;
    }

    int access(final XsServerConnection conn, final XsAcl acl)
    {
        final XsDomainState state = domains.get(conn.domid);
        return acl.accessFor(conn.domid, null == state ? -1 : state.target, conn.privileged);
    }

    /**
     * C {@code get_node}: the node if the caller has all of {@code perm}; otherwise EACCES, or ENOENT if it is
     * absent and the nearest existing ancestor grants any of {@code perm} (so absence leaks only to those who
     * may look).
     */
    private XsNode getNode(final Request r, final String path, final int perm)
    {
        final XsNode node = r.view.get(path);
        if (null != node)
        {
            if ((access(r.conn, node.acl) & perm) != perm)
            {
                throw XsFailure.of(XsError.EACCES);
            }
            return node;
        }
        String p = path;
        XsNode ancestor = null;
        while (null == ancestor && !XsPaths.ROOT.equals(p))
        {
            p = XsPaths.parent(p);
            ancestor = r.view.get(p);
        }
        if (null == ancestor || (access(r.conn, ancestor.acl) & perm) == 0)
        {
            throw XsFailure.of(XsError.EACCES);
        }
        throw XsFailure.of(XsError.ENOENT);
    }

    private XsNode getNodeOrNull(final Request r, final String path, final int perm)
    {
        try
        {
            return getNode(r, path, perm);
        }
        catch (final XsFailure failure)
        {
            if (XsError.ENOENT == failure.error())
            {
                return null;
            }
            throw failure;
        }
    }

    private void checkNodeSize(final XsServerConnection conn, final int size)
    {
        if (!conn.privileged && size >= quotas.nodeSize())
        {
            throw XsFailure.of(XsError.ENOSPC);
        }
    }

    /**
     * C {@code create_node}: creates {@code path} and its missing parents, inheriting the nearest existing
     * parent's permissions (an unprivileged creator becomes the owner).
     */
    private XsNode create(final Request r, final String path, final byte[] value)
    {
        final List<String> missing = new ArrayList<>();
        String p = path;
        String parentPath;
        XsNode parent;
        while (true)
        {
            missing.add(p);
            parentPath = XsPaths.parent(p);
            parent = r.view.get(parentPath);
            if (null != parent)
            {
                break;
            }
            if (XsPaths.ROOT.equals(parentPath))
            {
                throw XsFailure.of(XsError.EIO);
            }
            p = parentPath;
        }
        final XsAcl acl = r.conn.privileged ? parent.acl : parent.acl.withOwner(r.conn.domid);
        if (!r.conn.privileged && r.view.nodeCount(r.conn.domid) + missing.size() > quotas.nodesPerDomain())
        {
            throw XsFailure.of(XsError.ENOSPC);
        }
        final String top = XsPaths.basename(missing.get(missing.size() - 1));
        checkNodeSize(r.conn, parent.size() + top.length() + 1);
        for (int i = missing.size() - 1; i >= 0; i--)
        {
            final int extra = 0 == i ? value.length : XsPaths.basename(missing.get(i - 1)).length() + 1;
            checkNodeSize(r.conn, XsNode.HEADER_SIZE + XsNode.PERMISSION_SIZE * acl.size() + extra);
        }
        parent.addChild(top);
        r.view.put(parentPath, parent);
        XsNode node = null;
        for (int i = missing.size() - 1; i >= 0; i--)
        {
            node = new XsNode(0 == i ? value : EMPTY, acl);
            if (i > 0)
            {
                node.addChild(XsPaths.basename(missing.get(i - 1)));
            }
            r.view.put(missing.get(i), node);
        }
        return node;
    }

    private void write(final Request r)
    {
        final int nul = XsPayload.indexOfNul(r.payload, 0, r.length);
        if (nul < 0)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final String path = XsPaths.canonicalize(
            new String(r.payload, 0, nul, StandardCharsets.ISO_8859_1), r.conn.implicitPath, false);
        if (null == path)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final byte[] value = XsPayload.copy(r.payload, nul + 1, r.length);
        XsNode node = getNodeOrNull(r, path, XsAccess.WRITE_BIT);
        if (null == node)
        {
            node = create(r, path, value);
        }
        else
        {
            checkNodeSize(r.conn, node.size() - node.value.length + value.length);
            node.value = value;
            r.view.put(path, node);
        }
        r.view.fire(path, node, null, false);
        ack(r);
    }

    private void mkdir(final Request r)
    {
        final String path = path(r, false);
        if (null == getNodeOrNull(r, path, XsAccess.WRITE_BIT))
        {
            final XsNode node = create(r, path, EMPTY);
            r.view.fire(path, node, null, false);
        }
        ack(r);
    }

    private void rm(final Request r)
    {
        final String path = path(r, false);
        final XsNode node = getNodeOrNull(r, path, XsAccess.WRITE_BIT);
        if (null == node)
        {
            if (null == r.view.get(XsPaths.parent(path)))
            {
                throw XsFailure.of(XsError.ENOENT);
            }
            ack(r);
            return;
        }
        if (XsPaths.ROOT.equals(path))
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        removeTree(r.view, path);
        ack(r);
    }

    /**
     * C {@code rm_node}: removes a subtree children first, firing each node's watches while it and its parent
     * are still visible (the root of the removal fires its ancestors' watches too).
     */
    private static void removeTree(final XsView view, final String path)
    {
        final String parentPath = XsPaths.parent(path);
        final XsNode parent = view.get(parentPath);
        if (null == parent)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final List<String> paths = XsNodeStore.subtree(view, path);
        for (int i = paths.size() - 1; i >= 0; i--)
        {
            final String p = paths.get(i);
            view.fire(p, view.get(p), null, i != 0);
            view.remove(p);
        }
        parent.removeChild(XsPaths.basename(path));
        view.put(parentPath, parent);
    }

    private void directoryPart(final Request r)
    {
        final List<String> args = XsPayload.strings(r.payload, r.length);
        if (XsPayload.countStrings(r.payload, r.length) != 2)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final String path = XsPaths.canonicalize(args.get(0), r.conn.implicitPath, false);
        if (null == path)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final XsNode node = getNode(r, path, XsAccess.READ_BIT);
        final long offset = XsPayload.atoi(args.get(1)) & 0xFFFF_FFFFL;
        final byte[] gen = (node.generation + "\0").getBytes(StandardCharsets.ISO_8859_1);
        final byte[] children = node.encodeChildren();
        if (offset >= children.length)
        {
            final byte[] data = new byte[gen.length + 1];
            System.arraycopy(gen, 0, data, 0, gen.length);
            reply(r, data);
            return;
        }
        final int off = (int)offset;
        final int maxLength = XsMessageDescriptor.PAYLOAD_MAX - gen.length - 1;
        int len = 0;
        int child = off;
        while (true)
        {
            final int nameLength = XsPayload.indexOfNul(children, child, children.length) - child;
            if (len + nameLength >= maxLength)
            {
                break;
            }
            len += nameLength + 1;
            child += nameLength + 1;
            if (off + len == children.length)
            {
                break;
            }
        }
        final boolean last = off + len == children.length;
        final byte[] data = new byte[gen.length + len + (last ? 1 : 0)];
        System.arraycopy(gen, 0, data, 0, gen.length);
        System.arraycopy(children, off, data, gen.length, len);
        reply(r, data);
    }

    private void setPerms(final Request r)
    {
        final int count = XsPayload.countStrings(r.payload, r.length);
        if (count < 2)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        if (!r.conn.privileged && count - 1 > quotas.permissionsPerNode())
        {
            throw XsFailure.of(XsError.ENOSPC);
        }
        final List<String> strings = XsPayload.strings(r.payload, r.length);
        final List<XsPermission> permissions = XsPermission.parseAll(strings.subList(1, count));
        final String path = XsPaths.canonicalize(strings.get(0), r.conn.implicitPath, true);
        if (null == permissions || null == path)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final XsAcl acl = XsAcl.of(permissions);
        final XsNode node = getNode(r, path, XsAccess.WRITE_BIT | XsAccess.OWNER_BIT);
        if (!r.conn.privileged && acl.owner() != node.acl.owner())
        {
            throw XsFailure.of(XsError.EPERM);
        }
        checkNodeSize(r.conn, node.size() + XsNode.PERMISSION_SIZE * (acl.size() - node.acl.size()));
        final XsAcl oldAcl = node.acl;
        node.acl = acl;
        r.view.put(path, node);
        r.view.fire(path, node, oldAcl, false);
        ack(r);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Watches

    private void watch(final Request r)
    {
        if (XsPayload.countStrings(r.payload, r.length) != 2)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final List<String> args = XsPayload.strings(r.payload, r.length);
        final String given = args.get(0);
        final String path = XsPaths.canonicalize(given, r.conn.implicitPath, true);
        if (null == path)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final String token = args.get(1);
        final String key = XsWatch.key(path, token);
        if (r.conn.watches.containsKey(key))
        {
            throw XsFailure.of(XsError.EEXIST);
        }
        final XsDomainState state = domain(r.conn.domid);
        if (r.conn.privileged ? r.conn.watches.size() >= quotas.watchesPrivileged() :
            state.watches >= quotas.watchesPerDomain())
        {
            throw XsFailure.of(XsError.E2BIG);
        }
        final boolean relative = !given.startsWith("/") && !given.startsWith("@");
        final XsWatch watch = new XsWatch(r.conn, path, token, relative ? r.conn.implicitPath.length() + 1 : 0);
        r.conn.watches.put(key, watch);
        watchesByPath.computeIfAbsent(path, k -> new LinkedHashSet<>(4)).add(watch);
        state.watches++;
        ack(r);
        r.conn.queueEvent(watch, watch.reportPath(path), quotas.pendingWatchEvents());
    }

    private void unwatch(final Request r)
    {
        if (XsPayload.countStrings(r.payload, r.length) != 2)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final List<String> args = XsPayload.strings(r.payload, r.length);
        final String path = XsPaths.canonicalize(args.get(0), r.conn.implicitPath, true);
        if (null == path)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final XsWatch w = r.conn.watches.remove(XsWatch.key(path, args.get(1)));
        if (null == w)
        {
            throw XsFailure.of(XsError.ENOENT);
        }
        unregister(w);
        domain(r.conn.domid).watches--;
        ack(r);
    }

    private void unregister(final XsWatch w)
    {
        final LinkedHashSet<XsWatch> set = watchesByPath.get(w.path);
        if (null != set)
        {
            set.remove(w);
            if (set.isEmpty())
            {
                watchesByPath.remove(w.path);
            }
        }
    }

    private void dropWatchesAndTransactions(final XsServerConnection conn)
    {
        final XsDomainState state = domain(conn.domid);
        for (final XsWatch w : conn.watches.values())
        {
            unregister(w);
        }
        state.watches -= conn.watches.size();
        conn.watches.clear();
        state.transactions -= conn.transactions.size();
        conn.transactions.clear();
    }

    /**
     * C {@code fire_watches}: queues an event for every watch on {@code path} or (unless {@code exact}) on one of
     * its ancestors, for connections allowed to read the node or its parent (or, after a permission change, the
     * old permissions).
     */
    void fireWatches(final String path, final XsNode node, final XsAcl oldAcl, final boolean exact)
    {
        if (watchesByPath.isEmpty())
        {
            return;
        }
        if (exact || path.charAt(0) == '@')
        {
            deliver(watchesByPath.get(path), path, node, oldAcl);
            return;
        }
        String p = path;
        while (true)
        {
            deliver(watchesByPath.get(p), path, node, oldAcl);
            if (XsPaths.ROOT.equals(p))
            {
                return;
            }
            p = XsPaths.parent(p);
        }
    }

    private void deliver(
        final LinkedHashSet<XsWatch> watches, final String path, final XsNode node, final XsAcl oldAcl)
    {
        if (null == watches)
        {
            return;
        }
        for (final XsWatch w : watches)
        {
            if (permitted(w.conn, path, node, oldAcl))
            {
                w.conn.queueEvent(w, w.reportPath(path), quotas.pendingWatchEvents());
            }
        }
    }

    private boolean permitted(final XsServerConnection conn, final String path, final XsNode node, final XsAcl oldAcl)
    {
        if (null != oldAcl && (access(conn, oldAcl) & XsAccess.READ_BIT) != 0)
        {
            return true;
        }
        final XsNode n = null != node ? node : store.peek(path);
        if (null == n)
        {
            return false;
        }
        if ((access(conn, n.acl) & XsAccess.READ_BIT) != 0)
        {
            return true;
        }
        final XsNode parent = store.peek(XsPaths.parent(path));
        return null != parent && (access(conn, parent.acl) & XsAccess.READ_BIT) != 0;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Transactions

    private void transactionStart(final Request r)
    {
        if (null != r.tx)
        {
            throw XsFailure.of(XsError.EBUSY);
        }
        final XsDomainState state = domain(r.conn.domid);
        if (r.conn.privileged ? r.conn.transactions.size() >= quotas.transactionsPrivileged() :
            state.transactions >= quotas.transactionsPerDomain())
        {
            throw XsFailure.of(XsError.ENOSPC);
        }
        int id = r.conn.nextTransactionId;
        while (0 == id || r.conn.transactions.containsKey(id))
        {
            id++;
        }
        r.conn.nextTransactionId = id + 1;
        r.conn.transactions.put(id, new XsTransaction(id, r.conn, store,
            r.conn.privileged ? Integer.MAX_VALUE : quotas.transactionNodes()));
        state.transactions++;
        reply(r, (Integer.toUnsignedString(id) + "\0").getBytes(StandardCharsets.ISO_8859_1));
    }

    private void transactionEnd(final Request r)
    {
        final String arg = XsPayload.oneArg(r.payload, r.length);
        if (!"T".equals(arg) && !"F".equals(arg))
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        if (null == r.tx)
        {
            throw XsFailure.of(XsError.ENOENT);
        }
        r.conn.transactions.remove(r.tx.id);
        domain(r.conn.domid).transactions--;
        if ("T".equals(arg))
        {
            commit(r.conn, r.tx);
        }
        ack(r);
    }

    private void commit(final XsServerConnection conn, final XsTransaction tx)
    {
        if (tx.failed)
        {
            throw XsFailure.of(XsError.ENOMEM);
        }
        if (tx.conflicts())
        {
            throw XsFailure.of(XsError.EAGAIN);
        }
        if (!conn.privileged)
        {
            tx.ownerDeltas().forEachInt((domid, delta) ->
            {
                if (delta > 0 && store.nodeCount(domid) + delta > quotas.nodesPerDomain())
                {
                    throw XsFailure.of(XsError.ENOSPC);
                }
            });
        }
        for (final Map.Entry<String, XsTransaction.Entry> e : tx.entries.entrySet())
        {
            final XsTransaction.Entry entry = e.getValue();
            if (entry.modified)
            {
                if (null != entry.node)
                {
                    store.put(e.getKey(), entry.node);
                }
                else if (null != store.peek(e.getKey()))
                {
                    store.remove(e.getKey());
                }
            }
        }
        for (final Map.Entry<String, XsTransaction.Entry> e : tx.entries.entrySet())
        {
            final XsTransaction.Entry entry = e.getValue();
            if (entry.fire)
            {
                fireWatches(e.getKey(), store.peek(e.getKey()), entry.oldAcl, entry.fireExact);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Domains

    XsDomainState domain(final int domid)
    {
        XsDomainState state = domains.get(domid);
        if (null == state)
        {
            state = new XsDomainState(domid);
            domains.put(domid, state);
        }
        return state;
    }

    private void getDomainPath(final Request r)
    {
        final String arg = XsPayload.oneArg(r.payload, r.length);
        if (null == arg)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final String path = XsPaths.domainPath(XsPayload.atoi(arg) & 0xFFFF_FFFFL) + "\0";
        reply(r, path.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void introduce(final Request r)
    {
        final List<String> args = XsPayload.strings(r.payload, r.length);
        if (args.size() < 3)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final long domid = XsPayload.atoi(args.get(0));
        final long port = XsPayload.atoi(args.get(2));
        if (port <= 0 || port > Integer.MAX_VALUE || domid < 0 || domid >= DOMID_SELF)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final XsDomainState state = domain((int)domid);
        state.mfn = XsPayload.atoi(args.get(1));
        state.port = (int)port;
        if (!state.introduced)
        {
            listener.introduced(state.domid);
            state.introduced = true;
            fireSpecial(XsPaths.INTRODUCE_DOMAIN);
        }
        ack(r);
    }

    private XsDomainState introducedDomain(final Request r)
    {
        final String arg = XsPayload.oneArg(r.payload, r.length);
        if (null == arg)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final long domid = XsPayload.atoi(arg);
        if (0 == domid)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final XsDomainState state = domid > 0 && domid < DOMID_SELF ? domains.get((int)domid) : null;
        if (null == state || !state.introduced)
        {
            throw XsFailure.of(XsError.ENOENT);
        }
        return state;
    }

    private void release(final Request r)
    {
        final XsDomainState state = introducedDomain(r);
        releaseDomain(state);
        ack(r);
    }

    /**
     * The domain is gone: its connections are dropped (their watches first, so they see no removal events), the
     * nodes it owns are removed (firing watches), other nodes' permission entries naming it are revoked (a new
     * domain reusing the id inherits nothing), and {@code @releaseDomain} fires.
     */
    private void releaseDomain(final XsDomainState state)
    {
        for (final XsServerConnection c : new ArrayList<>(connections))
        {
            if (c.domid == state.domid)
            {
                close(c);
                c.io.closeRequested(c);
            }
        }
        for (final String path : store.topmostOwnedBy(state.domid))
        {
            if (null != store.peek(path))
            {
                removeTree(store, path);
            }
        }
        store.revokeDomain(state.domid);
        for (final XsDomainState other : domains.values())
        {
            if (other.target == state.domid)
            {
                other.target = -1;
            }
        }
        state.introduced = false;
        state.target = -1;
        state.watches = 0;
        state.transactions = 0;
        listener.released(state.domid);
        fireSpecial(XsPaths.RELEASE_DOMAIN);
    }

    private void fireSpecial(final String path)
    {
        final XsNode node = store.peek(path);
        if (null != node)
        {
            fireWatches(path, node, null, true);
        }
    }

    private void isDomainIntroduced(final Request r)
    {
        final String arg = XsPayload.oneArg(r.payload, r.length);
        if (null == arg)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final long domid = XsPayload.atoi(arg);
        final boolean introduced = DOMID_SELF == domid ||
            (domid >= 0 && domid < DOMID_SELF && isIntroduced((int)domid));
        reply(r, introduced ? new byte[] {'T', 0} : new byte[] {'F', 0});
    }

    private void setTarget(final Request r)
    {
        final List<String> args = XsPayload.strings(r.payload, r.length);
        if (args.size() < 2)
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final long domid = XsPayload.atoi(args.get(0));
        final long target = XsPayload.atoi(args.get(1));
        if (domid < 0 || domid >= DOMID_SELF || !isIntroduced((int)domid) ||
            target < 0 || target >= DOMID_SELF || !isIntroduced((int)target))
        {
            throw XsFailure.of(XsError.ENOENT);
        }
        domain((int)domid).target = (int)target;
        ack(r);
    }

    private void control(final Request r)
    {
        final List<String> args = XsPayload.strings(r.payload, r.length);
        if (args.isEmpty())
        {
            throw XsFailure.of(XsError.EINVAL);
        }
        final String text;
        switch (args.get(0))
        {
            case "help" -> text = "check\nhelp\nprint <string>\nquota\n";
            case "check" ->
            {
                for (final String problem : check())
                {
                    log.log("check", System.Logger.Level.ERROR, problem, null);
                }
                ack(r);
                return;
            }
            case "print" ->
            {
                if (args.size() < 2)
                {
                    throw XsFailure.of(XsError.EINVAL);
                }
                log.log("print", System.Logger.Level.INFO, args.get(1), null);
                ack(r);
                return;
            }
            case "quota" -> text = quotaReport();
            default -> throw XsFailure.of(XsError.EINVAL);
        }
        reply(r, (text + "\0").getBytes(StandardCharsets.ISO_8859_1));
    }

    private String quotaReport()
    {
        return "nodes             : " + quotas.nodesPerDomain() + "\n" +
            "watches           : " + quotas.watchesPerDomain() + "\n" +
            "transactions      : " + quotas.transactionsPerDomain() + "\n" +
            "outstanding       : " + quotas.outstandingRequests() + "\n" +
            "node-size         : " + quotas.nodeSize() + "\n" +
            "node-permissions  : " + quotas.permissionsPerNode() + "\n" +
            "transaction-nodes : " + quotas.transactionNodes() + "\n";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Replies

    private void reply(final Request r, final byte[] data)
    {
        if (data.length > XsMessageDescriptor.PAYLOAD_MAX)
        {
            replyError(r, XsError.E2BIG);
            return;
        }
        r.conn.queueReply(r.type, r.reqId, r.txId, data, data.length);
    }

    private static void ack(final Request r)
    {
        r.conn.queueReply(r.type, r.reqId, r.txId, OK, OK.length);
    }

    private void replyError(final Request r, final XsError error)
    {
        errorReplies++;
        final byte[] name = (error.name() + "\0").getBytes(StandardCharsets.ISO_8859_1);
        r.conn.queueReply(XsMessageType.ERROR.code(), r.reqId, r.txId, name, name.length);
    }
}
