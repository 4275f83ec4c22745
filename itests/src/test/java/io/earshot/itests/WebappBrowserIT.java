package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.earshot.itests.plugin.ChartPlugin;

/**
 * The webapp in a real browser (Debian's headless Chromium through chromedriver) against the
 * runtime started as a user starts it: {@code bin/earshot} from the built distribution.
 * Screenshots go to {@code target/screenshots/}.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class WebappBrowserIT {

    private static final String TOKEN = "browser-itest-token-0123456789";
    private static final Path TARGET = RuntimeProcess.TARGET;
    private static RuntimeProcess runtime;
    private static Path home;
    private static int port;
    private static ChromeDriver browser;

    @BeforeClass
    public static void start() throws Exception {
        browser = RuntimeProcess.browser();
        runtime = RuntimeProcess.start(TOKEN);
        home = runtime.home;
        port = runtime.port;
        browser.get(runtime.url("/?token=" + TOKEN));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private static String awaitHttp(String path, int seconds) throws Exception {
        return runtime.awaitHttp(path, seconds);
    }

    private static WebDriverWait waiting(int seconds) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private static void clickInPluginRow(String button) {
        waiting(10).until(d -> {
            pluginRow().findElement(By.xpath(".//button[text()='" + button + "']")).click();
            return true;
        });
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static void screenshot(String name) throws IOException {
        Path dir = Files.createDirectories(TARGET.resolve("screenshots"));
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static List<String> severeBrowserLogs() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                // the refused upload of a non-jar is this test's own bad input: its 400 is expected
                .filter(e -> !e.getMessage().contains("/api/plugins?name=notes.jar"))
                // so is the recording under a name that is taken (409)
                .filter(e -> !e.getMessage().contains("/api/recordings - Failed to load resource: the server responded with a status of 409"))
                .map(LogEntry::getMessage).collect(Collectors.toList());
    }

    /** Non-transparent pixels on the canvas inside {@code css}: it drew something. */
    private static long paintedPixels(String css) {
        Object count = ((JavascriptExecutor) browser).executeScript(
                "const c = document.querySelector(arguments[0]); if (!c || !c.width) return 0;"
                        + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                        + "for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;", css);
        return ((Number) count).longValue();
    }

    @Test
    public void a_thePageShowsTheLiveStreamWithoutConsoleErrors() throws Exception {
        waiting(15).until(d -> text("#summary").contains("48000 Hz · 6 ch"));
        waiting(10).until(d -> d.findElements(By.cssSelector("#meters .meter")).size() == 6);
        waiting(10).until(d -> !text("#meters .meter .db").isEmpty() && paintedPixels("#waveform") > 100);
        waiting(10).until(d -> text("#latency").matches("latency \\d+ ms"));
        screenshot("stream");
        assertEquals(List.of(), severeBrowserLogs());
        assertEquals("no error in the runtime's console after a start: "
                + browser.findElement(By.id("console")).getAttribute("textContent"),
                0, browser.findElements(By.cssSelector("#console .line.error")).size());
    }

    @Test
    public void b_theConfigFormChangesTheStreamAndShowsTheReasonForARefusal() throws Exception {
        new Select(browser.findElement(By.name("channels"))).selectByValue("4");
        browser.findElement(By.cssSelector("#config-form button[type=submit]")).click();
        waiting(15).until(d -> text("#config-result").equals("applied"));
        waiting(10).until(d -> text("#summary").contains("· 4 ch ·"));
        waiting(10).until(d -> d.findElements(By.cssSelector("#meters .meter")).size() == 4);
        assertEquals(4, new com.fasterxml.jackson.databind.ObjectMapper().readTree(awaitHttp("/api/status", 5))
                .at("/stream/config/channels").asInt());

        WebElement frames = browser.findElement(By.name("buffer_frames"));
        frames.clear();
        frames.sendKeys("10");
        browser.findElement(By.cssSelector("#config-form button[type=submit]")).click();
        waiting(15).until(d -> text("#config-result").contains("buffer_frames 10"));
        assertTrue(text("#config-result"), text("#config-result").contains("allowed: 64..65536"));
        assertEquals("error", browser.findElement(By.id("config-result")).getAttribute("class"));
        screenshot("config-refused");
        assertTrue(text("#summary").contains("· 4 ch ·"));
    }

    private static WebElement tab(String name) {
        return waiting(15).until(d -> d.findElements(By.xpath("//nav//button[text()='" + name + "']")).stream().findFirst().orElse(null));
    }

    private static void awaitNoTab(String name) {
        waiting(15).until(d -> d.findElements(By.xpath("//nav//button[text()='" + name + "']")).isEmpty());
    }

    private static WebElement pluginRow() {
        return waiting(15).until(d -> d.findElements(By.cssSelector("#plugins tr[data-plugin='io.earshot.itests.charts']"))
                .stream().findFirst().orElse(null));
    }

    @Test
    public void c_aPluginUploadedInThePageShowsItsHandlersAsTabsThatDraw() throws Exception {
        Path jar = TARGET.resolve("browser-it/itest-charts.jar");
        Files.write(jar, chartPluginJar());
        browser.findElement(By.cssSelector("nav button[data-view=plugins]")).click();
        Path notAJar = TARGET.resolve("browser-it/notes.jar");
        Files.writeString(notAJar, "not a plugin");
        browser.findElement(By.id("plugin-file")).sendKeys(notAJar.toString());
        waiting(15).until(d -> text("#upload-result").startsWith("not a jar ("));
        assertEquals("error", browser.findElement(By.id("upload-result")).getAttribute("class"));
        browser.findElement(By.id("plugin-file")).sendKeys(jar.toString());
        waiting(15).until(d -> text("#upload-result").equals("io.earshot.itests.charts added as itest-charts.jar"));
        waiting(15).until(d -> pluginRow().getText().contains("active"));
        waiting(15).until(d -> !pluginRow().findElements(By.tagName("td")).get(3).getText().equals("0"));
        screenshot("plugins");

        for (String name : List.of("itest levels", "itest history", "itest polar", "itest heatmap", "itest spectrogram")) {
            WebElement tab = tab(name);
            tab.click();
            String canvas = "#view-handler-" + tab.getAttribute("data-handler") + " canvas";
            waiting(10).until(d -> paintedPixels(canvas) > 500);
            screenshot("handler-" + name.substring("itest ".length()));
        }
        browser.findElement(By.cssSelector("nav button[data-view=all]")).click();
        waiting(10).until(d -> d.findElements(By.cssSelector(".handler-view:not([hidden])")).size() == 6);
        screenshot("all-charts");

        // audio a plugin sends is played after a click, with its counters
        WebElement audioTab = tab("itest audio");
        audioTab.click();
        String audioView = "#view-handler-" + audioTab.getAttribute("data-handler");
        browser.findElement(By.cssSelector(audioView + " button")).click();
        waiting(10).until(d -> text(audioView).matches("(?s).*received [1-9][0-9.]* s · buffered \\d+ ms · underruns \\d+ · skipped \\d+.*"));
        assertEquals("Stop", browser.findElement(By.cssSelector(audioView + " button")).getText());
        screenshot("handler-audio");

        // what the plugin printed is in the console, attributed to it
        browser.findElement(By.cssSelector("nav button[data-view=console]")).click();
        waiting(10).until(d -> text("#console").contains("[itest-charts] itest charts: first buffer, 4 channels"));
        waiting(10).until(d -> text("#console").contains("[itest-charts] itest charts: from a thread of its own"));
        assertEquals(List.of(), severeBrowserLogs());
    }

    @Test
    public void d_handlerAndPluginBundlesComingAndGoingUpdateTheOpenPage() throws Exception {
        // a handler bundle stops: the handlers of its type go from the page; started again, its type is back
        consoleBundle("io.earshot.handler.polar", "stop");
        awaitNoTab("itest polar");
        assertEquals(1, browser.findElements(By.xpath("//nav//button[text()='itest heatmap']")).size());
        consoleBundle("io.earshot.handler.polar", "start");

        // the plugin stopped and started from the Plugins tab: its handlers go and come back, polar included
        browser.findElement(By.cssSelector("nav button[data-view=plugins]")).click();
        clickInPluginRow("Stop");
        awaitNoTab("itest levels");
        awaitNoTab("itest spectrogram");
        waiting(15).until(d -> pluginRow().getText().contains("resolved"));
        clickInPluginRow("Start");
        tab("itest levels");
        tab("itest polar").click();
        waiting(10).until(d -> paintedPixels(".handler-view:not([hidden]) canvas") > 500);

        // removed: the row and every tab go
        browser.findElement(By.cssSelector("nav button[data-view=plugins]")).click();
        clickInPluginRow("Remove");
        awaitNoTab("itest levels");
        awaitNoTab("itest polar");
        waiting(15).until(d -> d.findElements(By.cssSelector("#plugins tr[data-plugin]")).isEmpty());
        assertEquals(List.of(), severeBrowserLogs());
    }

    /** Starts or stops a bundle through the Web Console, as an operator would. */
    private static void consoleBundle(String bsn, String action) throws Exception {
        String auth = java.util.Base64.getEncoder().encodeToString(("earshot:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/system/console/bundles/" + bsn))
                .header("Authorization", "Basic " + auth).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("action=" + action)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(response.body(), 200, response.statusCode());
    }

    @Test
    public void e_listenPlaysTheStream() throws Exception {
        browser.findElement(By.cssSelector("nav button[data-view=stream]")).click();
        browser.findElement(By.id("listen")).click();
        waiting(10).until(d -> text("#listen-status").startsWith("playing"));
        Object state = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "setTimeout(() => done(document.querySelector('#listen-status').textContent), 1500);");
        assertTrue(String.valueOf(state), String.valueOf(state).matches("playing .* · buffered \\d+ ms · underruns \\d+ · skipped \\d+ frames"));
        // Record keeps what is played and offers it as a WAV file
        browser.findElement(By.id("record")).click();
        // the button counts what is recorded; a busy machine delivers the first second late
        waiting(10).until(d -> text("#record").matches("Stop recording \\([0-9.]+ s\\)")
                && Double.parseDouble(text("#record").replaceAll("[^0-9.]", "")) >= 1.1);
        browser.findElement(By.id("record")).click();
        waiting(5).until(d -> text("#recording").matches("earshot-.*\\.wav \\([1-9][0-9.]* s\\)"));
        Object wav = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(document.querySelector('#recording').href).then(r => r.arrayBuffer()).then(b => {"
                + "  const v = new DataView(b); done([String.fromCharCode(...new Uint8Array(b, 0, 4)), v.getUint32(24, true), v.getUint16(22, true), b.byteLength]); })"
                + ".catch(e => done([String(e), 0, 0, 0]));");
        List<?> header = (List<?>) wav;
        assertEquals("RIFF", header.get(0));
        assertEquals(48000L, ((Number) header.get(1)).longValue());
        assertEquals(1L, ((Number) header.get(2)).longValue());
        assertTrue("more than a second of 16-bit mono at 48 kHz: " + header.get(3), ((Number) header.get(3)).longValue() > 44 + 96000);

        browser.findElement(By.id("listen")).click();
        waiting(5).until(d -> text("#listen-status").equals("stopped"));
        assertEquals(List.of(), severeBrowserLogs());
    }

    /** Typed into the editor; without indentation, as the editor repeats a line's indentation on Enter. */
    private static final String TYPED_SCRIPT = String.join("\n",
            "import java.util.List;",
            "import java.util.Map;",
            "import io.earshot.api.*;",
            "public class Typed implements AudioListener {",
            "private final Handler chart;",
            "private long n;",
            "public Typed(Dashboard dashboard) {",
            "chart = dashboard.handler(\"typed chart\", \"base:graph:bar\", Map.of(\"series\", List.of(Map.of(\"name\", \"five\")), \"min\", 0, \"max\", 10));",
            "}",
            "public void onBuffer(AudioBuffer buffer) {",
            "if (n++ % 20 == 0) System.out.println(\"typed script heard buffer \" + buffer.sequence());",
            "chart.send(Map.of(\"replace\", List.of(Map.of(\"x\", List.of(0, 1, 2, 3), \"y\", List.of(5, 5, 5, 5)))));",
            "}",
            "}");

    private static Object script(String js, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(js, arguments);
    }

    /** Replaces the text of a field as a user does: select all, delete, type. */
    private static void retype(WebElement field, String text) {
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        field.sendKeys(text);
    }

    @Test
    public void f_aScriptTypedInTheEditorRunsDrawsPrintsShowsItsCompileErrorsAndStops() throws Exception {
        browser.findElement(By.cssSelector("nav button[data-view=editor]")).click();
        waiting(20).until(d -> text("#editor-status").equals("ready"));
        WebElement source = browser.findElement(By.id("editor-source"));
        retype(source, TYPED_SCRIPT);
        waiting(5).until(d -> browser.findElements(By.cssSelector(".code-editor .numbers > div")).size() == 14);
        assertEquals(TYPED_SCRIPT, script("return arguments[0].value", source));
        retype(browser.findElement(By.id("editor-name")), "Typed");
        waiting(5).until(d -> text("#editor-name-error").contains("'Typed' is not a valid name"));
        retype(browser.findElement(By.id("editor-name")), "typed");
        waiting(5).until(d -> !browser.findElement(By.id("editor-name-error")).isDisplayed());
        browser.findElement(By.id("editor-run")).click();
        waiting(60).until(d -> text("#editor-status").startsWith("typed runs (bundle "));
        assertEquals(List.of(), browser.findElements(By.cssSelector("#editor-diagnostics li.error")));
        waiting(10).until(d -> !browser.findElements(By.cssSelector("#editor-scripts tr[data-script=typed]")).isEmpty());

        // its handler is a tab that draws: four bars half the height of the chart, more than its grid alone
        WebElement chart = tab("typed chart");
        chart.click();
        String canvas = "#view-handler-" + chart.getAttribute("data-handler") + " canvas";
        waiting(10).until(d -> paintedPixels(canvas) > 100_000);
        screenshot("editor-chart");

        // what it prints is in the editor's output and in the console, attributed to the script
        browser.findElement(By.cssSelector("nav button[data-view=editor]")).click();
        waiting(20).until(d -> text("#editor-output").contains("typed script heard buffer "));
        browser.findElement(By.cssSelector("nav button[data-view=console]")).click();
        waiting(10).until(d -> text("#console").contains("[script:typed] typed script heard buffer "));

        // a syntax error typed at the end of line 10: listed with its place, marked in the gutter and under the text
        browser.findElement(By.cssSelector("nav button[data-view=editor]")).click();
        source.sendKeys(Keys.chord(Keys.CONTROL, Keys.HOME));
        for (int i = 0; i < 9; i++) source.sendKeys(Keys.DOWN);
        source.sendKeys(Keys.END, " int broken = ;");
        String line10 = ((String) script("return arguments[0].value", source)).split("\n")[9];
        assertTrue(line10, line10.endsWith("{ int broken = ;"));
        int column = line10.lastIndexOf(';') + 1;
        source.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));
        waiting(60).until(d -> text("#editor-status").startsWith("typed: the script did not compile"));
        WebElement error = browser.findElement(By.cssSelector("#editor-diagnostics li.error button"));
        assertEquals("10", error.getAttribute("data-line"));
        assertEquals(String.valueOf(column), error.getAttribute("data-column"));
        assertTrue(error.getText(), error.getText().startsWith("line 10, column " + column + " · error: "));
        assertEquals("error", browser.findElements(By.cssSelector(".code-editor .numbers > div")).get(9).getAttribute("class"));
        assertEquals(List.of(";"), browser.findElements(By.cssSelector(".code-editor .squiggle.error")).stream()
                .map(e -> e.getAttribute("textContent")).collect(Collectors.toList()));
        screenshot("editor-error");
        // the message takes the caret to its place
        source.sendKeys(Keys.chord(Keys.CONTROL, Keys.HOME));
        error.click();
        assertEquals(((String) script("return arguments[0].value", source)).indexOf(line10) + column - 1,
                ((Number) script("return arguments[0].selectionStart", source)).intValue());
        // the version that compiled still runs; Stop removes it and its tab
        assertEquals(1, browser.findElements(By.cssSelector("#editor-scripts tr[data-script=typed]")).size());
        browser.findElement(By.id("editor-stop")).click();
        awaitNoTab("typed chart");
        waiting(10).until(d -> browser.findElements(By.cssSelector("#editor-scripts tr[data-script]")).isEmpty()
                && text("#editor-status").equals("typed stopped"));
        assertEquals(List.of(), severeBrowserLogs());
    }

    private static WebElement recordingRow(String name) {
        return waiting(15).until(d -> d.findElements(By.cssSelector("#recordings tr[data-recording='" + name + "']"))
                .stream().findFirst().orElse(null));
    }

    private static String cell(WebElement row, int index) {
        return row.findElements(By.tagName("td")).get(index).getText();
    }

    @Test
    public void g_recordingsOnTheRuntimeStartStopPlayDownloadAndDelete() throws Exception {
        Path folder = home.resolve("data/recordings");
        // the Stream tab's button records on the runtime, until stopped
        browser.findElement(By.cssSelector("nav button[data-view=stream]")).click();
        browser.findElement(By.id("record-runtime")).click();
        waiting(15).until(d -> text("#record-runtime").matches("Stop runtime recording \\((\\d+:\\d\\d\\.\\d) · .*\\)")
                && !text("#record-runtime").contains("(0:00."));
        String fromStream = text("#record-runtime-status").replaceAll(",.*", "");
        browser.findElement(By.id("record-runtime")).click();
        waiting(15).until(d -> text("#record-runtime").equals("Record on the runtime")
                && text("#record-runtime-status").startsWith(fromStream + ": stopped, "));
        try (AudioInputStream wav = AudioSystem.getAudioInputStream(folder.resolve(fromStream + ".wav").toFile())) {
            assertEquals(4, wav.getFormat().getChannels()); // test b left the stream at 4 channels
            assertTrue("a second or more: " + wav.getFrameLength(), wav.getFrameLength() >= 48000);
        }

        // the view: a bad name is refused in the page, the runtime's refusal is shown as it is
        browser.findElement(By.cssSelector("nav button[data-view=recordings]")).click();
        WebElement name = browser.findElement(By.cssSelector("#recording-form input[name=name]"));
        WebElement seconds = browser.findElement(By.cssSelector("#recording-form input[name=seconds]"));
        WebElement start = browser.findElement(By.cssSelector("#recording-form button[type=submit]"));
        name.sendKeys("../etc");
        waiting(5).until(d -> text("#recording-result").startsWith("a recording's name is 1 to 64 of letters"));
        start.click();
        assertEquals(List.of(), recordingFiles(folder, "etc"));
        name.clear();
        name.sendKeys(fromStream);
        start.click();
        waiting(10).until(d -> text("#recording-result").startsWith("the name " + fromStream + " is taken"));
        assertEquals("error", browser.findElement(By.id("recording-result")).getAttribute("class"));

        // one of 1.5 s: it shows while it grows and ends by itself
        name.clear();
        name.sendKeys("page-take");
        seconds.sendKeys("1.5");
        start.click();
        waiting(10).until(d -> text("#recording-result").equals("recording page-take"));
        recordingRow("page-take");
        screenshot("recordings-in-progress");
        waiting(15).until(d -> cell(recordingRow("page-take"), 1).equals("done"));
        assertEquals("0:01.5", waiting(5).until(d -> cell(recordingRow("page-take"), 2)));
        assertEquals("48000 Hz · 4 ch", waiting(5).until(d -> cell(recordingRow("page-take"), 4)));
        long bytes = Files.size(folder.resolve("page-take.wav"));
        assertEquals(44 + 72000 * 4 * 2, bytes);
        screenshot("recordings");

        // played in the page over the range download: the player learns its length
        waiting(5).until(d -> { recordingRow("page-take").findElement(By.cssSelector("button.play")).click(); return true; });
        waiting(10).until(d -> text("#recording-now-playing").equals("playing page-take.wav"));
        Object length = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "const p = document.querySelector('#recording-player');"
                + "const check = () => p.readyState >= 1 ? done(p.duration) : setTimeout(check, 100); check();");
        assertEquals(1.5, ((Number) length).doubleValue(), 0.01);
        // the download link gives the file as it is on the disk
        String link = waiting(5).until(d -> recordingRow("page-take").findElement(By.cssSelector("a[download='page-take.wav']")).getAttribute("href"));
        Object downloaded = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => done(b.byteLength)).catch(e => done(String(e)));", link);
        assertEquals(bytes, ((Number) downloaded).longValue());

        // Delete asks once more (the list is drawn anew each second, and the question stays), then the
        // files are gone and so is the row
        By delete = By.cssSelector("#recordings tr[data-recording='page-take'] button.delete");
        waiting(5).until(d -> { d.findElement(delete).click(); return true; });
        Thread.sleep(1500); // a refresh of the list in between
        assertEquals("Delete for good?", waiting(5).until(d -> d.findElement(delete).getText()));
        assertTrue(Files.exists(folder.resolve("page-take.wav")));
        waiting(5).until(d -> { d.findElement(delete).click(); return true; });
        waiting(10).until(d -> d.findElements(By.cssSelector("#recordings tr[data-recording='page-take']")).isEmpty());
        assertEquals(List.of(), recordingFiles(folder, "page-take"));
        assertEquals(List.of(), severeBrowserLogs());
    }

    private static List<String> recordingFiles(Path folder, String name) throws IOException {
        if (!Files.isDirectory(folder)) return List.of();
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith(name + ".") || f.startsWith(name + "-"))
                    .sorted().collect(Collectors.toList());
        }
    }

    /** The chart plugin: a DS component given the Dashboard in its constructor. */
    private static byte[] chartPluginJar() throws IOException {
        return PluginJars.build("io.earshot.itests.charts",
                "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.4.0\" name=\"itest-charts\" init=\"1\">"
                        + "<implementation class=\"" + ChartPlugin.class.getName() + "\"/>"
                        + "<service><provide interface=\"io.earshot.api.AudioListener\"/></service>"
                        + "<reference name=\"dashboard\" interface=\"io.earshot.api.Dashboard\" parameter=\"0\"/>"
                        + "</scr:component>", ChartPlugin.class);
    }
}
