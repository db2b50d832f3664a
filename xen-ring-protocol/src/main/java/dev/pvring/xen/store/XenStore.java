/*
 * Copyright 2026 The pvring developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.pvring.xen.store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The xenstore client interface drivers use, whatever carries it (xenstored socket, {@code /dev/xen/xenbus},
 * ring). Calls block until xenstored replies and throw {@link XenStoreException} with the errno name on error.
 * Transaction ids are the xs_wire {@code tx_id}; {@link #NO_TRANSACTION} means none. Watch events are queued
 * by the client and taken with {@link #pollWatchEvent()} or {@link #awaitWatchEvent(String, long, TimeUnit)};
 * an implementation owns no thread for that. Paths and values given as {@code String} are UTF-8.
 */
public interface XenStore extends AutoCloseable
{
    /** The {@code tx_id} of calls outside a transaction ({@code XBT_NULL}). */
    int NO_TRANSACTION = 0;

    /** Default number of attempts of {@link #transaction(TransactionBody)} before giving up on EAGAIN. */
    int DEFAULT_TRANSACTION_ATTEMPTS = 64;

    /**
     * Reads a value.
     *
     * @param tx   transaction id or {@link #NO_TRANSACTION}.
     * @param path absolute path, or relative to the caller's {@code /local/domain/<domid>}.
     * @return the value bytes.
     */
    byte[] read(int tx, String path);

    /**
     * Writes a value, creating missing parents.
     *
     * @param tx    transaction id or {@link #NO_TRANSACTION}.
     * @param path  node path.
     * @param value value bytes.
     */
    void write(int tx, String path, byte[] value);

    /**
     * Creates a node (and missing parents) with an empty value unless it exists.
     *
     * @param tx   transaction id or {@link #NO_TRANSACTION}.
     * @param path node path.
     */
    void mkdir(int tx, String path);

    /**
     * Removes a node and its subtree; removing a missing node whose parent exists succeeds.
     *
     * @param tx   transaction id or {@link #NO_TRANSACTION}.
     * @param path node path.
     */
    void rm(int tx, String path);

    /**
     * Lists the names of a node's children (falls back to {@code DIRECTORY_PART} for long lists).
     *
     * @param tx   transaction id or {@link #NO_TRANSACTION}.
     * @param path node path.
     * @return child names in xenstored's order.
     */
    List<String> directory(int tx, String path);

    /**
     * Reads a node's permissions.
     *
     * @param tx   transaction id or {@link #NO_TRANSACTION}.
     * @param path node path (special {@code @} paths allowed).
     * @return the owner entry first, then per-domain entries.
     */
    List<XsPermission> getPermissions(int tx, String path);

    /**
     * Replaces a node's permissions (caller must own the node or be dom0).
     *
     * @param tx          transaction id or {@link #NO_TRANSACTION}.
     * @param path        node path (special {@code @} paths allowed).
     * @param permissions owner entry first, then per-domain entries.
     */
    void setPermissions(int tx, String path, List<XsPermission> permissions);

    /**
     * Adds a watch; xenstored fires one event for {@code path} straight away.
     *
     * @param path  path or special {@code @introduceDomain}/{@code @releaseDomain}.
     * @param token caller's token, returned in events.
     */
    void watch(String path, String token);

    /**
     * Removes a watch (events already queued stay queued).
     *
     * @param path  watched path as given to {@link #watch}.
     * @param token its token.
     */
    void unwatch(String path, String token);

    /**
     * Takes a queued watch event, reading whatever the connection already has without blocking.
     *
     * @return the oldest queued event, or {@code null} if none.
     */
    XsWatchEvent pollWatchEvent();

    /**
     * Waits for the next watch event with the given token (events of other tokens stay queued).
     *
     * @param token   token to wait for, or {@code null} for any token.
     * @param timeout maximum wait.
     * @param unit    unit of {@code timeout}.
     * @return the event, or {@code null} on timeout.
     */
    XsWatchEvent awaitWatchEvent(String token, long timeout, TimeUnit unit);

    /**
     * Starts a transaction.
     *
     * @return the transaction id (never {@link #NO_TRANSACTION}).
     */
    int transactionStart();

    /**
     * Ends a transaction.
     *
     * @param tx     transaction id.
     * @param commit true to commit ({@code T}), false to abort ({@code F}).
     * @return true if it ended; false if the commit conflicted ({@code EAGAIN}): start over.
     */
    boolean transactionEnd(int tx, boolean commit);

    /**
     * {@code GET_DOMAIN_PATH}.
     *
     * @param domid domain id.
     * @return {@code /local/domain/<domid>}.
     */
    String getDomainPath(int domid);

    /**
     * {@code INTRODUCE} (dom0 only): tells xenstored about a domain, firing {@code @introduceDomain}.
     *
     * @param domid domain id.
     * @param mfn   frame of its xenstore ring page.
     * @param port  its xenstore event channel (positive).
     */
    void introduceDomain(int domid, long mfn, int port);

    /**
     * {@code RELEASE} (dom0 only): the domain is gone; xenstored drops its connections and nodes and fires
     * {@code @releaseDomain}.
     *
     * @param domid domain id.
     */
    void releaseDomain(int domid);

    /**
     * {@code IS_DOMAIN_INTRODUCED} (dom0 only).
     *
     * @param domid domain id.
     * @return whether xenstored talks to the domain.
     */
    boolean isDomainIntroduced(int domid);

    /**
     * {@code RESET_WATCHES}: drops all watches and transactions of this connection.
     */
    void resetWatches();

    /**
     * {@code CONTROL} (dom0 only): a daemon-specific command.
     *
     * @param command command and its arguments.
     * @return the reply text.
     */
    String control(String... command);

    /**
     * Closes the connection.
     */
    @Override
    void close();

    /**
     * Reads a value outside any transaction.
     *
     * @param path node path.
     * @return the value bytes.
     */
    default byte[] read(final String path)
    {
        return read(NO_TRANSACTION, path);
    }

    /**
     * Reads a value as UTF-8 text.
     *
     * @param tx   transaction id or {@link #NO_TRANSACTION}.
     * @param path node path.
     * @return the value.
     */
    default String readString(final int tx, final String path)
    {
        return new String(read(tx, path), StandardCharsets.UTF_8);
    }

    /**
     * Reads a value as UTF-8 text outside any transaction.
     *
     * @param path node path.
     * @return the value.
     */
    default String readString(final String path)
    {
        return readString(NO_TRANSACTION, path);
    }

    /**
     * Reads a value, or returns {@code null} if the node does not exist ({@code ENOENT}).
     *
     * @param tx   transaction id or {@link #NO_TRANSACTION}.
     * @param path node path.
     * @return the value, or {@code null}.
     */
    default String readStringOrNull(final int tx, final String path)
    {
        try
        {
            return readString(tx, path);
        }
        catch (final XenStoreException ex)
        {
            if (ex.is(XsError.ENOENT))
            {
                return null;
            }
            throw ex;
        }
    }

    /**
     * Reads an optional value, for keys a peer writes (features, ring refs, orders): the value, or
     * {@code defaultValue} if the node is missing or cannot be read (any xenstore error but a broken connection:
     * {@code ENOENT}, {@code EACCES}, ...). Never throws on what a peer wrote; invalid UTF-8 decodes with
     * replacement characters.
     *
     * @param tx           transaction id or {@link #NO_TRANSACTION}.
     * @param path         node path.
     * @param defaultValue returned when the node is missing or unreadable (may be {@code null}).
     * @return the value or {@code defaultValue}.
     * @throws XenStoreException only if the connection is broken ({@link XenStoreException#isConnectionBroken()}).
     */
    default String readString(final int tx, final String path, final String defaultValue)
    {
        final byte[] value = readOptional(this, tx, path);
        return value == null ? defaultValue : new String(value, StandardCharsets.UTF_8);
    }

    /**
     * {@link #readString(int, String, String)} outside any transaction.
     *
     * @param path         node path.
     * @param defaultValue returned when the node is missing or unreadable.
     * @return the value or {@code defaultValue}.
     */
    default String readString(final String path, final String defaultValue)
    {
        return readString(NO_TRANSACTION, path, defaultValue);
    }

    /**
     * Reads an optional decimal {@code int}: the value if the node holds exactly an optional {@code -} and 1..10
     * ASCII digits within the {@code int} range, else {@code defaultValue} (missing, unreadable, empty, spaces,
     * hex, overflow, trailing garbage). Never throws on what a peer wrote and allocates nothing beyond the read.
     * Grant refs are unsigned 32-bit: read them with {@link #readLong(int, String, long)}.
     *
     * @param tx           transaction id or {@link #NO_TRANSACTION}.
     * @param path         node path.
     * @param defaultValue returned for a missing or unparsable value.
     * @return the value or {@code defaultValue}.
     * @throws XenStoreException only if the connection is broken.
     */
    default int readInt(final int tx, final String path, final int defaultValue)
    {
        return (int)parseDecimal(readOptional(this, tx, path), Integer.MIN_VALUE, Integer.MAX_VALUE, defaultValue);
    }

    /**
     * {@link #readInt(int, String, int)} outside any transaction.
     *
     * @param path         node path.
     * @param defaultValue returned for a missing or unparsable value.
     * @return the value or {@code defaultValue}.
     */
    default int readInt(final String path, final int defaultValue)
    {
        return readInt(NO_TRANSACTION, path, defaultValue);
    }

    /**
     * Reads an optional decimal {@code long}, with the rules of {@link #readInt(int, String, int)} (1..19 digits,
     * within the {@code long} range).
     *
     * @param tx           transaction id or {@link #NO_TRANSACTION}.
     * @param path         node path.
     * @param defaultValue returned for a missing or unparsable value.
     * @return the value or {@code defaultValue}.
     * @throws XenStoreException only if the connection is broken.
     */
    default long readLong(final int tx, final String path, final long defaultValue)
    {
        return parseDecimal(readOptional(this, tx, path), Long.MIN_VALUE, Long.MAX_VALUE, defaultValue);
    }

    /**
     * {@link #readLong(int, String, long)} outside any transaction.
     *
     * @param path         node path.
     * @param defaultValue returned for a missing or unparsable value.
     * @return the value or {@code defaultValue}.
     */
    default long readLong(final String path, final long defaultValue)
    {
        return readLong(NO_TRANSACTION, path, defaultValue);
    }

    /**
     * Reads a feature flag the way Linux's {@code xenbus_read_unsigned(dir, node, 0)} is used for
     * {@code feature-*} keys: true if the node holds a decimal number other than 0 (as parsed by
     * {@link #readLong(int, String, long)}); false if it holds 0, is missing, unreadable or unparsable.
     *
     * @param tx   transaction id or {@link #NO_TRANSACTION}.
     * @param path node path.
     * @return whether the feature is on.
     * @throws XenStoreException only if the connection is broken.
     */
    default boolean readFlag(final int tx, final String path)
    {
        return readLong(tx, path, 0) != 0;
    }

    /**
     * {@link #readFlag(int, String)} outside any transaction.
     *
     * @param path node path.
     * @return whether the feature is on.
     */
    default boolean readFlag(final String path)
    {
        return readFlag(NO_TRANSACTION, path);
    }

    /**
     * The value of a node, or {@code null} if it is missing or unreadable; rethrows only a broken connection.
     */
    private static byte[] readOptional(final XenStore store, final int tx, final String path)
    {
        try
        {
            return store.read(tx, path);
        }
        catch (final XenStoreException ex)
        {
            if (ex.isConnectionBroken())
            {
                throw ex;
            }
            return null;
        }
    }

    /**
     * Parses an optional {@code -} and 1..19 ASCII digits within [min, max]; anything else yields
     * {@code fallback}.
     */
    private static long parseDecimal(final byte[] value, final long min, final long max, final long fallback)
    {
        if (value == null || value.length == 0 || value.length > 20)
        {
            return fallback;
        }
        final boolean negative = value[0] == '-';
        final int start = negative ? 1 : 0;
        final int digits = value.length - start;
        if (digits < 1 || digits > 19)
        {
            return fallback;
        }
        // Accumulate negatively: -9223372036854775808 fits, its positive does not.
        long result = 0;
        for (int i = start; i < value.length; i++)
        {
            final int digit = value[i] - '0';
            if (digit < 0 || digit > 9)
            {
                return fallback;
            }
            if (result < (Long.MIN_VALUE + digit) / 10)
            {
                return fallback;
            }
            result = result * 10 - digit;
        }
        if (!negative)
        {
            if (result == Long.MIN_VALUE)
            {
                return fallback;
            }
            result = -result;
        }
        return result < min || result > max ? fallback : result;
    }

    /**
     * Writes UTF-8 text.
     *
     * @param tx    transaction id or {@link #NO_TRANSACTION}.
     * @param path  node path.
     * @param value the value.
     */
    default void write(final int tx, final String path, final String value)
    {
        write(tx, path, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes UTF-8 text outside any transaction.
     *
     * @param path  node path.
     * @param value the value.
     */
    default void write(final String path, final String value)
    {
        write(NO_TRANSACTION, path, value);
    }

    /**
     * Lists children outside any transaction.
     *
     * @param path node path.
     * @return child names.
     */
    default List<String> directory(final String path)
    {
        return directory(NO_TRANSACTION, path);
    }

    /**
     * Runs {@code body} in a transaction and commits it, starting over on {@code EAGAIN} up to
     * {@link #DEFAULT_TRANSACTION_ATTEMPTS} times. If the body throws, the transaction is aborted and the
     * exception propagates.
     *
     * @param body work to do; it gets the transaction id and may run several times.
     * @param <T>  result type.
     * @return the result of the attempt that committed.
     */
    default <T> T transaction(final TransactionBody<T> body)
    {
        return transaction(DEFAULT_TRANSACTION_ATTEMPTS, body);
    }

    /**
     * Runs {@code body} in a transaction and commits it, starting over on {@code EAGAIN}.
     *
     * @param maxAttempts attempts before giving up with {@code EAGAIN}.
     * @param body        work to do; it gets the transaction id and may run several times.
     * @param <T>         result type.
     * @return the result of the attempt that committed.
     */
    default <T> T transaction(final int maxAttempts, final TransactionBody<T> body)
    {
        if (maxAttempts < 1)
        {
            throw new IllegalArgumentException("maxAttempts must be positive: maxAttempts=" + maxAttempts);
        }
        for (int attempt = 1; ; attempt++)
        {
            final int tx = transactionStart();
            final T result;
            try
            {
                result = body.run(tx);
            }
            catch (final RuntimeException | Error ex)
            {
                try
                {
                    transactionEnd(tx, false);
                }
                catch (final XenStoreException suppressed)
                {
                    ex.addSuppressed(suppressed);
                }
                throw ex;
            }
            if (transactionEnd(tx, true))
            {
                return result;
            }
            if (attempt >= maxAttempts)
            {
                throw new XenStoreException(
                    XsError.EAGAIN.name(), "transaction still conflicting after attempts=" + attempt, false, null);
            }
        }
    }

    /**
     * Work done inside a transaction.
     *
     * @param <T> result type.
     */
    @FunctionalInterface
    interface TransactionBody<T>
    {
        /**
         * Does the work.
         *
         * @param tx transaction id to pass to every call.
         * @return the result.
         */
        T run(int tx);
    }
}
