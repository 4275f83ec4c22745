package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

import io.earshot.itests.plugin.BlockingListener;
import io.earshot.itests.plugin.CountingListener;
import io.earshot.itests.plugin.ThrowingListener;

/**
 * A plugin that throws on every buffer and one that never returns do not cost a healthy plugin
 * or a WebSocket client a single buffer; each fault is counted for its own plugin, and removing
 * the stuck plugin releases its thread.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginIsolationIT extends EarshotTestSupport {

    private static byte[] plugin(String name, Class<?> type) throws IOException {
        return PluginJars.build("io.earshot.itests." + name,
                "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"" + name + "\">"
                        + "<implementation class=\"" + type.getName() + "\"/>"
                        + "<service><provide interface=\"io.earshot.api.AudioListener\"/></service>"
                        + "<property name=\"earshot.listener.name\" value=\"" + name + "\"/>"
                        + "<property name=\"earshot.listener.queue\" value=\"4\"/>"
                        + "</scr:component>", type);
    }

    private JsonNode listener(String name) throws IOException {
        for (JsonNode listener : status().at("/stream/listeners")) {
            if (name.equals(listener.get("name").asText())) return listener;
        }
        return null;
    }

    private long counter(String name, String field) {
        return safely(() -> listener(name) != null) ? safelyLong(() -> listener(name).get(field).asLong()) : -1;
    }

    private static long safelyLong(java.util.concurrent.Callable<Long> value) {
        try {
            return value.call();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    public void aThrowingAndABlockingPluginCostNobodyElseABuffer() throws Exception {
        Path plugins = home().resolve("plugins");
        Files.write(plugins.resolve("healthy.jar"), plugin("healthy", CountingListener.class));
        Files.write(plugins.resolve("throwing.jar"), plugin("throwing", ThrowingListener.class));
        Files.write(plugins.resolve("blocking.jar"), plugin("blocking", BlockingListener.class));
        await("the three plugins receiving", 30, () -> counter("healthy", "delivered") > 0
                && counter("throwing", "failed") > 0 && counter("blocking", "dropped") > 0);

        WsClient audio = WsClient.connect(http, ws("/ws/audio?header=1"));
        List<Long> sequences = new ArrayList<>();
        long healthyBefore = counter("healthy", "delivered");
        long droppedBefore = counter("healthy", "dropped");
        try {
            long end = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < end) {
                WsClient.Message m = audio.next();
                if (!m.isText()) sequences.add(ByteBuffer.wrap(m.binary()).order(ByteOrder.LITTLE_ENDIAN).getLong(8));
            }
        } finally {
            audio.close();
        }
        // 4 s at 48 kHz x 4096 frames is about 47 buffers: every one, in order, to the WebSocket client
        assertTrue("buffers received: " + sequences.size(), sequences.size() >= 40);
        for (int i = 1; i < sequences.size(); i++) {
            assertEquals("no gap for the WebSocket client", sequences.get(i - 1) + 1, (long) sequences.get(i));
        }
        assertTrue("the healthy plugin kept receiving", counter("healthy", "delivered") - healthyBefore >= 40);
        assertEquals("and lost nothing", droppedBefore, counter("healthy", "dropped"));
        assertTrue("each failure counted for the throwing plugin", counter("throwing", "failed") >= 40);
        assertTrue("the stuck plugin loses its own buffers", counter("blocking", "dropped") >= 40);

        // removing the stuck plugin ends its thread (it is interrupted; this one lets go)
        Files.delete(plugins.resolve("blocking.jar"));
        await("the stuck plugin removed", 30, () -> counter("blocking", "dropped") == -1);
        await("its thread gone", 10, () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("earshot-listener-blocking")));
        Files.delete(plugins.resolve("throwing.jar"));
        Files.delete(plugins.resolve("healthy.jar"));
    }
}
