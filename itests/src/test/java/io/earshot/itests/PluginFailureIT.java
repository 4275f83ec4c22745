package io.earshot.itests;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

import io.earshot.itests.plugin.BrokenConstructorListener;

/**
 * A plugin that cannot start, dropped into a runtime started as a user starts it: SCR's error,
 * with its cause, is printed where the user looks (the terminal, earshot.log here, and the
 * webapp's Console tab), and the stream runs on. SCR reports it only to the OSGi log, which the runtime prints at WARN and ERROR.
 */
public class PluginFailureIT {

    @Test
    public void aPluginWhoseConstructorThrowsSaysWhyInTheTerminal() throws Exception {
        try (RuntimeProcess runtime = RuntimeProcess.start("failure-token-0123456789abcdef")) {
            Path log = runtime.home.resolve("earshot.log");
            Files.write(runtime.home.resolve("plugins/broken.jar"), PluginJars.build("io.earshot.itests.broken",
                    "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"broken\" immediate=\"true\">"
                            + "<implementation class=\"" + BrokenConstructorListener.class.getName() + "\"/>"
                            + "<service><provide interface=\"io.earshot.api.AudioListener\"/></service>"
                            + "<property name=\"earshot.listener.name\" value=\"broken\"/>"
                            + "</scr:component>", BrokenConstructorListener.class));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String text = "";
            while (System.nanoTime() < deadline && !(text.contains("ERROR io.earshot.itests.broken - ")
                    && text.contains("the plugin's constructor failed on purpose"))) {
                Thread.sleep(200);
                text = Files.readString(log);
            }
            assertTrue("no error line for the plugin with its cause in the terminal:\n" + text,
                    text.contains("ERROR io.earshot.itests.broken - ") && text.contains("the plugin's constructor failed on purpose"));
            assertTrue(runtime.awaitHttp("/api/status", 5).contains("\"state\" : \"running\""));

            // the webapp's Console tab: a browser session gets the console's recent lines, the error among them
            WsClient ui = WsClient.connect(java.net.http.HttpClient.newHttpClient(),
                    java.net.URI.create("ws://127.0.0.1:" + runtime.port + "/ws/ui?token=" + runtime.token));
            try {
                boolean seen = false;
                for (WsClient.Message m; !seen && (m = ui.messages.poll(10, TimeUnit.SECONDS)) != null; ) {
                    seen = m.isText() && m.text().contains("\"log\"") && m.text().contains("\"level\":\"error\"")
                            && m.text().contains("the plugin's constructor failed on purpose");
                }
                assertTrue("the plugin's error with its cause in the Console tab's lines", seen);
            } finally {
                ui.close();
            }
        }
    }
}
