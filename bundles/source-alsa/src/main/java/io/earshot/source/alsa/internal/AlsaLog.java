package io.earshot.source.alsa.internal;

import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Pointer;

/**
 * Routes libasound's own error messages (which it would print to stderr) into the runtime's log.
 * The handler stays registered while the bundle is active: libasound keeps the pointer, so this
 * object must stay reachable until {@link #uninstall}.
 */
public final class AlsaLog implements Libasound.ErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger("io.earshot.source.alsa.libasound");
    /** libasound's last message on this thread: its errno alone ("No such file") hides what it meant ("Unknown PCM x"). */
    private static final ThreadLocal<String> LAST = new ThreadLocal<>();

    private final Libasound alsa;
    private final Consumer<String> sink;

    private AlsaLog(Libasound alsa, Consumer<String> sink) {
        this.alsa = alsa;
        this.sink = sink;
    }

    /** Into the log at debug level: the message that matters also reaches the error it explains, see {@link #takeLast()}. */
    static AlsaLog install(Libasound alsa) {
        return install(alsa, LOG::debug);
    }

    /** The last message libasound gave on this thread since the last call, or null; clears it. */
    static String takeLast() {
        String last = LAST.get();
        LAST.remove();
        return last;
    }

    /** Sends each of libasound's messages, formatted, to {@code sink} instead of stderr. */
    static AlsaLog install(Libasound alsa, Consumer<String> sink) {
        AlsaLog handler = new AlsaLog(alsa, sink);
        alsa.snd_lib_error_set_handler(handler);
        return handler;
    }

    void uninstall() {
        alsa.snd_lib_error_set_handler(null);
    }

    @Override
    public void invoke(String file, int line, String function, int err, String fmt,
                       Pointer a1, Pointer a2, Pointer a3, Pointer a4) {
        try {
            String message = format(fmt, new Pointer[] {a1, a2, a3, a4});
            if (err != 0) {
                message += ": " + alsa.snd_strerror(err);
            }
            LAST.set(message);
            sink.accept(message + " (" + file + ":" + line + " " + function + ")");
        } catch (RuntimeException e) {
            sink.accept("libasound reported an error that could not be formatted: " + fmt);
        }
    }

    /**
     * A small printf for the conversions libasound's messages use (%s %d %i %u %x %c %p %%, with
     * l/ll/z length). An argument beyond the fourth, or an unknown conversion, is shown as-is.
     */
    static String format(String fmt, Pointer[] args) {
        if (fmt == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(fmt.length() + 32);
        int next = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 >= fmt.length()) {
                out.append(c);
                continue;
            }
            int start = i++;
            while (i < fmt.length() && "-+ #0123456789.".indexOf(fmt.charAt(i)) >= 0) i++;
            boolean isLong = false;
            while (i < fmt.length() && "lhzjt".indexOf(fmt.charAt(i)) >= 0) {
                isLong |= fmt.charAt(i) != 'h';
                i++;
            }
            if (i >= fmt.length()) {
                out.append(fmt, start, fmt.length());
                break;
            }
            char conversion = fmt.charAt(i);
            if (conversion == '%') {
                out.append('%');
                continue;
            }
            if ("sdiuxXcp".indexOf(conversion) < 0 || next >= args.length) {
                out.append(fmt, start, i + 1);
                continue;
            }
            long word = Pointer.nativeValue(args[next++]);
            switch (conversion) {
                case 's' -> out.append(word == 0 ? "(null)" : new Pointer(word).getString(0));
                case 'd', 'i' -> out.append(isLong ? word : (int) word);
                case 'u' -> out.append(isLong ? Long.toUnsignedString(word) : Integer.toUnsignedString((int) word));
                case 'x', 'X' -> out.append(isLong ? Long.toHexString(word) : Integer.toHexString((int) word));
                case 'c' -> out.append((char) (word & 0xff));
                default -> out.append("0x").append(Long.toHexString(word));
            }
        }
        return out.toString();
    }
}
