package io.earshot.containment.internal;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * Log lines in slf4j-simple's shape on standard error, so the terminal and the webapp's Console
 * show them like any other. slf4j itself is not touched: this bundle starts before SPI Fly, which
 * binds slf4j to its provider, and a logger asked for earlier would stay bound to none.
 */
final class ConsoleLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final String NAME = "io.earshot.containment";

    private ConsoleLog() {
    }

    static void warn(String message) {
        print("WARN", message);
    }

    static void error(String message) {
        print("ERROR", message);
    }

    private static void print(String level, String message) {
        System.err.println(LocalTime.now().format(TIME) + " [" + Thread.currentThread().getName() + "] " + level + " "
                + NAME + " - " + message);
    }
}
