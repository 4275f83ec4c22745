package io.earshot.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@code --client nio}: every client a {@link NioAudioClient}, a plain non-blocking
 * {@code SocketChannel}, spread round-robin over a few selector threads ({@code --selectors}).
 * Each client lives on its selector's thread: connect, upgrade, reads, frame parsing and the
 * recording into {@link ClientStats} all happen there, so there is no hand-over between threads
 * per message and no lock but the uncontended one of {@link ClientStats}. Other threads (release,
 * close) post a task to the selector's thread.
 */
final class NioAudioClients implements AudioClients {

    private final Loop[] loops;
    private final int inputBuffer;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param selectors   selector threads
     * @param inputBuffer each client's read buffer, in bytes
     */
    NioAudioClients(int selectors, int inputBuffer) throws IOException {
        this.inputBuffer = inputBuffer;
        loops = new Loop[selectors];
        try {
            for (int i = 0; i < selectors; i++) loops[i] = new Loop("fanout-nio-" + i);
        } catch (IOException e) {
            close();
            throw e;
        }
        for (Loop l : loops) l.thread.start();
    }

    @Override
    public String kind() { return "nio"; }

    @Override
    public Connection connect(URI uri, ClientStats stats, Window window, long timeoutMs) {
        Loop loop = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
        NioAudioClient c = new NioAudioClient(loop, uri, stats, window, inputBuffer,
                System.nanoTime() + timeoutMs * 1_000_000L, timeoutMs);
        c.upgrade().whenComplete((v, t) -> {
            if (c.upgrade().isCancelled()) loop.execute(c::abandon);
        });
        loop.execute(c::start);
        return c;
    }

    @Override
    public void close() {
        for (Loop l : loops) if (l != null) l.stop();
        for (Loop l : loops) {
            if (l == null) continue;
            try {
                l.thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One selector and its thread. */
    static final class Loop implements Runnable {

        final Selector selector;
        final Thread thread;
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        /** Clients not yet upgraded, for their deadlines; this thread only. */
        private final ArrayList<NioAudioClient> connecting = new ArrayList<>();
        private final Consumer<SelectionKey> onReady = k -> ((NioAudioClient) k.attachment()).ready(k);
        private volatile boolean running = true;

        Loop(String name) throws IOException {
            selector = Selector.open();
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        /** Runs {@code task} on this loop's thread, soon. */
        void execute(Runnable task) {
            tasks.add(task);
            selector.wakeup();
        }

        void connecting(NioAudioClient c) { connecting.add(c); }

        void stop() {
            running = false;
            selector.wakeup();
            if (!thread.isAlive()) {                // never started (or already ended)
                try {
                    selector.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }

        @Override
        public void run() {
            try {
                while (running) {
                    for (Runnable task; (task = tasks.poll()) != null; ) {
                        try {
                            task.run();
                        } catch (RuntimeException e) {
                            // the tasks handle their clients' failures; this is a bug, but the other clients go on
                            System.err.println("fanout: " + thread.getName() + ": " + ClientStats.describe(e));
                        }
                    }
                    if (!connecting.isEmpty()) expire();
                    // with connects pending, wake up now and then for their deadlines
                    selector.select(onReady, connecting.isEmpty() ? 0 : 50);
                }
            } catch (IOException | ClosedSelectorException e) {
                if (running) {
                    System.err.println("fanout: selector " + thread.getName() + " failed: " + ClientStats.describe(e));
                    for (SelectionKey k : selector.keys()) ((NioAudioClient) k.attachment()).fail(e);
                }
            } finally {
                for (SelectionKey k : selector.keys()) {
                    try {
                        k.channel().close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                }
                try {
                    selector.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }

        private void expire() {
            long now = System.nanoTime();
            for (int i = connecting.size() - 1; i >= 0; i--) {
                NioAudioClient c = connecting.get(i);
                boolean done = !c.isConnecting();
                if (!done && now - c.deadline >= 0) {
                    c.connectFailed(new TimeoutException("no upgrade within " + c.timeoutMs + " ms"));
                    done = true;
                }
                if (done) {
                    connecting.set(i, connecting.get(connecting.size() - 1));
                    connecting.remove(connecting.size() - 1);
                }
            }
        }
    }

}
