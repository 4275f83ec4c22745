package io.earshot.dashboard.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import org.osgi.service.component.annotations.Component;

/**
 * The browsers on {@code /ws/ui}: what is offered here goes to each one's bounded queue
 * ({@link UiSession}); nothing here waits for a browser.
 */
@Component(service = Browsers.class)
public final class Browsers {

    private final Set<UiSession> sessions = new CopyOnWriteArraySet<>();

    void join(UiSession session) {
        sessions.add(session);
    }

    void leave(UiSession session) {
        sessions.remove(session);
    }

    int count() {
        return sessions.size();
    }

    /** A handler change: never dropped. */
    void control(String message) {
        for (UiSession session : sessions) {
            session.offerControl(message);
        }
    }

    /** Data a browser may lose when it is behind (handler data, console lines). */
    void data(String message) {
        for (UiSession session : sessions) {
            session.offerData(message);
        }
    }

    /** Audio a browser may lose when it is behind; {@code message} is shared, each gets its own view. */
    void binary(ByteBuffer message) {
        for (UiSession session : sessions) {
            session.offerBinary(message.duplicate());
        }
    }

    List<Map<String, Object>> status() {
        List<Map<String, Object>> browsers = new ArrayList<>();
        for (UiSession session : sessions) {
            browsers.add(session.status());
        }
        return browsers;
    }
}
