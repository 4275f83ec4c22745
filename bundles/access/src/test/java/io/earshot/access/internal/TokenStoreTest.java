package io.earshot.access.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TokenStoreTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void theEnvironmentWinsThenTheConfigurationThenTheFile() throws Exception {
        Path file = folder.getRoot().toPath().resolve("data/token");
        TokenStore.Token generated = TokenStore.resolve(null, "", file);
        assertEquals(TokenStore.Origin.GENERATED, generated.origin());
        assertEquals(64, generated.value().length());

        TokenStore.Token again = TokenStore.resolve(null, null, file);
        assertEquals("a restart keeps the token", generated.value(), again.value());
        assertEquals(TokenStore.Origin.FILE, again.origin());

        assertEquals("configured-token-123", TokenStore.resolve(null, "configured-token-123", file).value());
        TokenStore.Token env = TokenStore.resolve("environment-token-45", "configured-token-123", file);
        assertEquals(TokenStore.Origin.ENVIRONMENT, env.origin());
        assertEquals("environment-token-45\n", Files.readString(file));
    }

    @Test
    public void theTokenFileIsTheOwnersOnly() throws Exception {
        Path file = folder.getRoot().toPath().resolve("token");
        TokenStore.resolve(null, null, file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    public void unusableTokensAreIgnoredWithTheReason() throws Exception {
        assertEquals("it must be 16 to 256 characters long", TokenStore.problemWith("short"));
        assertEquals("it may only contain printable ASCII characters without spaces",
                TokenStore.problemWith("has a space in the middle"));
        assertNull(TokenStore.problemWith("exactly-sixteen!"));
        Path file = folder.getRoot().toPath().resolve("token");
        assertEquals(TokenStore.Origin.GENERATED, TokenStore.resolve("short", "also short", file).origin());
    }

    @Test
    public void onlyTheExactTokenIsPermitted() throws Exception {
        TokenAccessControl access = new TokenAccessControl(FakeContext.create(folder.getRoot().toString(), "127.0.0.1"),
                config("the-right-token-0123"));
        assertTrue(access.permits("the-right-token-0123"));
        assertFalse(access.permits("the-right-token-0124"));
        assertFalse(access.permits(""));
        assertFalse(access.permits(null));
        assertTrue(access.openReads());
    }

    @Test
    public void readsAreOpenOnlyOnLoopback() {
        assertTrue(TokenAccessControl.isLoopback("127.0.0.1"));
        assertTrue(TokenAccessControl.isLoopback("::1"));
        assertTrue(TokenAccessControl.isLoopback("localhost"));
        assertFalse(TokenAccessControl.isLoopback("0.0.0.0"));
        assertFalse(TokenAccessControl.isLoopback(null));
        assertFalse(TokenAccessControl.isLoopback(""));
    }

    @Test
    public void theConsoleTakesUserEarshotWithTheTokenAsPassword() {
        String good = Base64.getEncoder().encodeToString("earshot:secret-token".getBytes(StandardCharsets.UTF_8));
        String admin = Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
        assertEquals("secret-token", WebConsoleLogin.basicPassword(good));
        assertNull(WebConsoleLogin.basicPassword(admin));
        assertNull(WebConsoleLogin.basicPassword("%%%not base64"));
    }

    @Test
    public void theBannerShowsAnAddressToOpen() {
        String banner = TokenAccessControl.banner("0.0.0.0", "7320",
                new TokenStore.Token("abcdefghijklmnop", TokenStore.Origin.GENERATED), Path.of("data/token"));
        assertTrue(banner, banner.contains("http://127.0.0.1:7320/?token=abcdefghijklmnop"));
        assertTrue(banner, banner.contains("need the token too"));
        assertNotEquals(-1, TokenAccessControl.banner("127.0.0.1", "7320",
                new TokenStore.Token("abcdefghijklmnop", TokenStore.Origin.FILE), Path.of("t")).indexOf("same as last time"));
    }

    private static AccessConfig config(String token) {
        return new AccessConfig() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return AccessConfig.class; }
            @Override public String token() { return token; }
        };
    }
}
