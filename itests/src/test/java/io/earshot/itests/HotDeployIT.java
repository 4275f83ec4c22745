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

    /** Replacing a plugin's jar switches to the new version, with its handlers once, not twice. */
    @org.junit.Test
    public void replacingTheJarSwitchesVersionsWithoutDuplicateHandlers() throws Exception {
        String component = "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.4.0\" name=\"itest-charts\" init=\"1\">"
                + "<implementation class=\"" + io.earshot.itests.plugin.ChartPlugin.class.getName() + "\"/>"
                + "<service><provide interface=\"io.earshot.api.AudioListener\"/></service>"
                + "<reference name=\"dashboard\" interface=\"io.earshot.api.Dashboard\" parameter=\"0\"/>"
                + "</scr:component>";
        awaitHandlerTypes();
        Path jar = home().resolve("plugins/charts.jar");
        for (String version : new String[] {"1.0.0", "2.0.0"}) {
            Path staging = home().resolve("charts.jar.part");
            Files.write(staging, PluginJars.build("io.earshot.itests.charts", version, component, io.earshot.itests.plugin.ChartPlugin.class));
            Files.move(staging, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            await("version " + version + " running", 30, () -> safely(() -> {
                Bundle b = java.util.Arrays.stream(context.getBundles())
                        .filter(x -> "io.earshot.itests.charts".equals(x.getSymbolicName())).findFirst().orElse(null);
                return b != null && b.getVersion().toString().equals(version) && b.getState() == Bundle.ACTIVE;
            }));
            await("its handlers on the dashboard", 30, () -> safely(() -> handlerNames().contains("itest levels")));
        }
        java.util.List<String> names = handlerNames();
        for (String name : java.util.List.of("itest levels", "itest history", "itest polar", "itest heatmap", "itest spectrogram", "itest audio")) {
            org.junit.Assert.assertEquals(name + " once: " + names, 1, java.util.Collections.frequency(names, name));
        }
        org.junit.Assert.assertEquals(1, java.util.Arrays.stream(context.getBundles())
                .filter(x -> "io.earshot.itests.charts".equals(x.getSymbolicName())).count());
        Files.delete(jar);
        await("its handlers gone", 30, () -> safely(() -> !handlerNames().contains("itest levels")));
    }

    private java.util.List<String> handlerNames() throws IOException {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (JsonNode handler : status().at("/dashboard/handlers")) names.add(handler.get("name").asText());
        return names;
    }
}
