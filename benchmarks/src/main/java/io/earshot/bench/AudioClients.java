package io.earshot.bench;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * The audio clients of one run, whichever implementation carries them ({@code --client}): all
 * {@link FanoutLoad} does with a client is connect it, release it (a stalled one) and close it.
 * Both implementations record into {@link ClientStats} the same way.
 */
interface AudioClients extends AutoCloseable {

    /** "jetty" or "nio", for the report. */
    String kind();

    /**
     * Starts connecting one client; a failure to connect (within {@code timeoutMs}) is recorded in
     * {@code stats} and fails {@link Connection#upgrade()}.
     */
    Connection connect(URI uri, ClientStats stats, Window window, long timeoutMs);

    /** Stops whatever is left: no more I/O after this. */
    @Override
    void close();

    /** One client connection. */
    interface Connection {

        ClientStats stats();

        /**
         * Completes when the WebSocket upgrade is done; fails if it cannot connect. Cancelling it
         * abandons the connect (the caller then records why).
         */
        CompletableFuture<?> upgrade();

        /** Upgraded (it may have been closed since: see {@link ClientStats#isClosed()}). */
        boolean isOpen();

        /** After the window: a stalled client reads again, to learn what the server did with it. */
        void release();

        /** Sends a close frame (1000 and {@code reason}); {@link ClientStats#closed} when the server answers. */
        void close(String reason);
    }
}
