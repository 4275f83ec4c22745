package io.earshot.plugins.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class PluginJarCheckTest {

    @Rule
    public final TemporaryFolder dir = new TemporaryFolder();

    private Path jar(String bsn) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) manifest.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        Path file = dir.newFile().toPath();
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return file;
    }

    private static String refusal(Path file) {
        try {
            PluginManager.symbolicName(file);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        fail("accepted " + file);
        return null;
    }

    @Test
    public void readsTheSymbolicNameWithoutItsDirectives() throws Exception {
        assertEquals("org.example.doa", PluginManager.symbolicName(jar("org.example.doa;singleton:=true")));
    }

    @Test
    public void refusesWhatIsNotABundleWithTheReason() throws Exception {
        assertEquals("not a plugin bundle: its manifest has no Bundle-SymbolicName; build it with bnd (see docs/plugins.md)",
                refusal(jar(null)));
        Path text = dir.newFile("notes.jar").toPath();
        Files.writeString(text, "hello");
        String reason = refusal(text);
        org.junit.Assert.assertTrue(reason, reason.startsWith("not a jar ("));
    }
}
