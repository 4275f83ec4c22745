package io.earshot.itests;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;

import io.earshot.itests.plugin.CountingListener;

/** A plugin bundle dropped into the plugins folder gets the stream; deleted, it is gone. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotDeployIT extends EarshotTestSupport {

    private static final String NAME = "itest-counting";
    private static final String BSN = "io.earshot.itests.counting";

    /** A real plugin jar: a DS component providing AudioListener, as a plugin author would ship it. */
    private static byte[] pluginJar() throws IOException {
        return PluginJars.build(BSN, "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + NAME + "\">"
                + "<implementation class=\"" + CountingListener.class.getName() + "\"/>"
                + "<service><provide interface=\"io.earshot.api.AudioListener\"/></service>"
                + "<property name=\"earshot.listener.name\" value=\"" + NAME + "\"/>"
                + "</scr:component>", CountingListener.class);
    }

    private long delivered() throws IOException {
        for (JsonNode listener : status().at("/stream/listeners")) {
            if (NAME.equals(listener.get("name").asText())) {
                return listener.get("delivered").asLong();
            }
        }
        return -1;
    }

    private Bundle installed() {
        for (Bundle bundle : context.getBundles()) {
            if (BSN.equals(bundle.getSymbolicName())) return bundle;
        }
        return null;
    }

    @Test
    public void aDroppedPluginReceivesBuffersAndStopsWhenDeleted() throws Exception {
        Path plugins = home().resolve("plugins");
        Path staging = Files.createTempFile(home(), "plugin", ".tmp");
        try (OutputStream out = Files.newOutputStream(staging)) {
            out.write(pluginJar());
        }
        Path jar = plugins.resolve("counting-plugin.jar");
        Files.move(staging, jar, StandardCopyOption.ATOMIC_MOVE);

        await("the plugin receiving buffers", 30, () -> safely(() -> delivered() >= 3));
        Bundle bundle = installed();
        assertTrue(bundle != null && bundle.getState() == Bundle.ACTIVE);

        Files.delete(jar);
        await("the plugin gone from the listeners", 30, () -> safely(() -> delivered() == -1));
        await("the plugin bundle uninstalled", 30, () -> installed() == null);
    }
}
