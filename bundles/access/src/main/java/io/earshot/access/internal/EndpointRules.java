package io.earshot.access.internal;

/**
 * What a request needs to pass the gate, by method and path. The list of what may be read
 * without the token is short on purpose, and everything not on it (every endpoint still to come
 * included) needs the token: a new endpoint is closed until it is listed here.
 */
final class EndpointRules {

    /** What a request must bring. */
    enum Need {
        /** Anyone past the Host and Origin checks: the webapp's files, and sockets that judge each message themselves. */
        OPEN,
        /** Open to programs on this machine when the runtime is bound to loopback only, else the token. */
        READ,
        /** The token, always. */
        TOKEN
    }

    /** Bodies larger than this are refused before any work, except where a larger one is the point. */
    static final long MAX_BODY_BYTES = 64 * 1024;
    /** Plugin jars, the Web Console's bundle uploads and clips uploaded for devices. */
    static final long MAX_UPLOAD_BYTES = 64L * 1024 * 1024;

    private EndpointRules() {
    }

    static Need need(String method, String path) {
        if (path.equals("/system/console") || path.startsWith("/system/console/")) {
            // the Web Console asks for a login itself (WebConsoleLogin reads the gate's verdict)
            return Need.OPEN;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Need.TOKEN;
        }
        if (path.equals("/") || path.equals("/index.html") || path.equals("/favicon.ico")
                || path.startsWith("/app/") || path.startsWith("/handlers/")) {
            return Need.OPEN; // the page and its modules hold nothing of the room
        }
        if (path.equals(AccessServlet.PATH)) {
            return Need.OPEN; // tells a page whether its token is right, nothing more
        }
        if (path.equals("/api/scripts/examples") || path.startsWith("/api/scripts/examples/")) {
            return Need.OPEN; // the example plugins' sources, the same as in the project
        }
        if (path.equals("/ws/config") || path.equals("/ws/scripts")) {
            return Need.OPEN; // they answer everyone and refuse each change without the token
        }
        if (path.equals("/api/status") || path.equals("/api/plugins") || path.equals("/ws/audio") || path.equals("/api/source")) {
            return Need.READ;
        }
        if (path.equals("/api/recordings") || path.startsWith("/api/recordings/")) {
            return Need.READ; // what the microphones heard, like the live stream: this machine's programs, or the token
        }
        if (path.equals("/api/devices") || path.startsWith("/api/devices/")) {
            return Need.READ; // the devices' state and their clips, like the status and the recordings
        }
        // /ws/ui among them (its console replay may hold what a token holder printed), and /ws/ingest:
        // a talk is saved and may become the stream every listener hears
        return Need.TOKEN;
    }

    static long maxBody(String path) {
        return path.equals("/api/plugins") || path.startsWith("/system/console") || path.startsWith("/api/devices/clips/")
                ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES;
    }
}
