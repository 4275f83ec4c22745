package io.earshot.access.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the runtime's token: the environment's {@code EARSHOT_TOKEN}, else the configured one,
 * else the one kept in the token file (so a restart keeps it), else a new random one. The token
 * file is written readable by its owner only.
 */
final class TokenStore {

    static final int MIN_LENGTH = 16;
    static final int MAX_LENGTH = 256;
    private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);

    /** Where a token came from, for the banner. */
    enum Origin { ENVIRONMENT, CONFIGURATION, FILE, GENERATED }

    record Token(String value, Origin origin) {
    }

    private TokenStore() {
    }

    /** Why {@code token} cannot be used, or null when it can. */
    static String problemWith(String token) {
        if (token.length() < MIN_LENGTH || token.length() > MAX_LENGTH) {
            return "it must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long";
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c > '~') {
                return "it may only contain printable ASCII characters without spaces";
            }
        }
        return null;
    }

    static Token resolve(String fromEnvironment, String fromConfiguration, Path file) throws IOException {
        Token chosen = usable(fromEnvironment, "EARSHOT_TOKEN", Origin.ENVIRONMENT);
        if (chosen == null) chosen = usable(fromConfiguration, "the token of io.earshot.access", Origin.CONFIGURATION);
        if (chosen == null && Files.isRegularFile(file)) {
            chosen = usable(Files.readString(file, StandardCharsets.UTF_8).trim(), file.toString(), Origin.FILE);
        }
        if (chosen == null) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            chosen = new Token(HexFormat.of().formatHex(random), Origin.GENERATED);
        }
        write(file, chosen.value());
        return chosen;
    }

    private static Token usable(String token, String where, Origin origin) {
        if (token == null || token.isBlank()) {
            return null;
        }
        String problem = problemWith(token.trim());
        if (problem != null) {
            LOG.error("Ignoring the token from {}: {}", where, problem);
            return null;
        }
        return new Token(token.trim(), origin);
    }

    /** Replaces the file's content; a new file is created with owner-only permissions from the start. */
    private static void write(Path file, String token) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path fresh = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(fresh);
        try {
            Files.createFile(fresh, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(fresh); // not a POSIX file system
        } catch (FileAlreadyExistsException e) {
            throw new IOException("could not create " + fresh, e);
        }
        try (Writer out = Files.newBufferedWriter(fresh, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(token);
            out.write('\n');
        }
        Files.move(fresh, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
