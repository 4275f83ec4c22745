package io.earshot.dashboard.internal;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Stands in for {@code System.out} or {@code System.err}: everything still goes to the original
 * stream at once, and each complete line is also handed to the console with the name of the
 * thread that wrote it (a plugin's listener thread names the plugin). Lines are assembled per
 * thread, so lines of threads writing at once do not mix; one line is cut at
 * {@link #MAX_LINE_CHARS}.
 */
final class ConsoleTee extends PrintStream {

    static final int MAX_LINE_CHARS = 2000;

    private final PrintStream original;
    private final BiConsumer<String, String> sink;
    private final ThreadLocal<StringBuilder> lines = ThreadLocal.withInitial(StringBuilder::new);

    ConsoleTee(PrintStream original, BiConsumer<String, String> lineSink) {
        // every write is overridden below; the stream given here is never written to
        super(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        this.original = original;
        this.sink = lineSink;
    }

    PrintStream original() {
        return original;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        original.write(bytes, offset, length);
        collect(new String(bytes, offset, length, StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {
        original.flush();
    }

    private void collect(String text) {
        StringBuilder line = lines.get();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                emit(line);
            } else if (c != '\r' && line.length() < MAX_LINE_CHARS) {
                line.append(c);
            }
        }
    }

    private void emit(StringBuilder line) {
        String text = line.toString();
        line.setLength(0);
        try {
            sink.accept(Thread.currentThread().getName(), text);
        } catch (RuntimeException e) {
            // the console must never break a caller's println
        }
    }
}
