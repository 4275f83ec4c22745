package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The header's stream picker in a real browser (headless Chromium, as {@link WebappBrowserIT})
 * against {@code bin/earshot} with a second stream ({@code conf/io.earshot.stream~array-2.cfg}):
 * picked, the Stream tab shows that stream, the address says it, a config change and a source
 * switch from the page reach that stream only; its configuration removed, the page goes back
 * to main and says so.
 */
public class WebappStreamsBrowserIT {

    private static final String TOKEN = "streams-browser-token-0123456789";
    private static RuntimeProcess runtime;
    private static ChromeDriver browser;

    @BeforeClass
    public static void start() throws Exception {
        browser = RuntimeProcess.browser();
        runtime = RuntimeProcess.start(TOKEN, 0, Map.of("io.earshot.stream~array-2.cfg", "source=synthetic\nrate=16000\nchannels=4\n"));
        runtime.awaitJson("/api/status", "the second stream running",
                s -> s.at("/streams/array-2/capture/state").asText().equals("running"));
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

    private static WebDriverWait waiting(int seconds) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(seconds));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private static Object script(String js) {
        return ((JavascriptExecutor) browser).executeScript(js);
    }

    private static void screenshot(String name) throws IOException {
        Path dir = Files.createDirectories(RuntimeProcess.TARGET.resolve("screenshots"));
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static List<String> severeBrowserLogs() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).collect(Collectors.toList());
    }

    private static List<String> streamOptions() {
        return new Select(browser.findElement(By.id("stream-select"))).getOptions().stream()
                .map(WebElement::getText).collect(Collectors.toList());
    }

    private static JsonNode status() throws Exception {
        return runtime.awaitJson("/api/status", "the status", s -> true);
    }

    private static String sourceStatus() {
        return browser.findElement(By.id("source-status")).getText();
    }

    @Test
    public void theHeadersPickerShowsTheChosenStreamInTheStreamTabAndItsAddress() throws Exception {
        // main first, as before streams were plural; the picker lists both
        waiting(15).until(d -> text("#summary").contains("48000 Hz · 6 ch"));
        waiting(10).until(d -> browser.findElement(By.id("stream-picker")).isDisplayed()
                && streamOptions().equals(List.of("main", "array-2")));
        assertEquals("main", new Select(browser.findElement(By.id("stream-select"))).getFirstSelectedOption().getText());
        assertFalse(browser.getCurrentUrl(), browser.getCurrentUrl().contains("stream="));
        JsonNode before = status().at("/streams/main");

        // picked: the header, the form, the meters and the source's status are the second stream's
        new Select(browser.findElement(By.id("stream-select"))).selectByValue("array-2");
        waiting(15).until(d -> text("#summary").startsWith("16000 Hz · 4 ch"));
        waiting(10).until(d -> d.findElements(By.cssSelector("#meters .meter")).size() == 4);
        waiting(10).until(d -> "16000".equals(new Select(d.findElement(By.name("rate"))).getFirstSelectedOption().getAttribute("value"))
                && "4".equals(new Select(d.findElement(By.name("channels"))).getFirstSelectedOption().getAttribute("value")));
        waiting(10).until(d -> sourceStatus().contains("synthetic") && sourceStatus().contains("running"));
        waiting(10).until(d -> browser.findElement(By.id("connection")).getAttribute("class").contains("on"));
        String address = browser.getCurrentUrl();
        assertTrue(address, address.contains("stream=array-2") && address.contains("token=" + TOKEN));
        assertEquals("array-2", script("return localStorage.getItem('earshot.stream')"));
        // the runtime has the page's audio client on the second stream
        runtime.awaitJson("/api/status", "the page's audio client on array-2",
                s -> s.at("/audio_clients/streams/array-2/connected").asInt() == 1 && s.at("/audio_clients/streams/main/connected").asInt() == 0);
        screenshot("streams-picked");

        // a config change from the page reaches the second stream only
        WebElement frames = browser.findElement(By.name("buffer_frames"));
        frames.clear();
        frames.sendKeys("800");
        new Select(browser.findElement(By.name("channels"))).selectByValue("2");
        browser.findElement(By.cssSelector("#config-form button[type=submit]")).click();
        waiting(15).until(d -> text("#config-result").equals("applied"));
        waiting(10).until(d -> text("#summary").startsWith("16000 Hz · 2 ch · 800 frames"));
        waiting(10).until(d -> d.findElements(By.cssSelector("#meters .meter")).size() == 2);
        JsonNode after = runtime.awaitJson("/api/status", "the second stream's new config",
                s -> s.at("/streams/array-2/config/buffer_frames").asInt() == 800);
        assertEquals(2, after.at("/streams/array-2/config/channels").asInt());
        assertEquals(16000, after.at("/streams/array-2/config/rate").asInt());
        assertEquals("main unchanged", before.path("config"), after.at("/streams/main/config"));
        assertEquals(48000, after.at("/streams/main/config/rate").asInt());
        assertEquals(6, after.at("/streams/main/config/channels").asInt());

        // the address opens the same view, without this browser's memory of the choice
        script("localStorage.removeItem('earshot.stream')");
        browser.get(address);
        waiting(15).until(d -> text("#summary").startsWith("16000 Hz · 2 ch · 800 frames"));
        waiting(10).until(d -> "array-2".equals(new Select(d.findElement(By.id("stream-select"))).getFirstSelectedOption().getText()));
        assertTrue(browser.findElement(By.id("stream-notice")).getText().isEmpty());

        // the source switch too
        String mainSource = before.at("/source/selected").asText();
        waiting(10).until(d -> new Select(d.findElement(By.id("source-select"))).getOptions().stream()
                .anyMatch(o -> o.getAttribute("value").equals("browser")));
        new Select(browser.findElement(By.id("source-select"))).selectByValue("browser");
        browser.findElement(By.id("source-switch")).click();
        waiting(10).withMessage(() -> "the switch's answer: " + text("#source-result"))
                .until(d -> text("#source-result").equals("switching to browser"));
        JsonNode switched = runtime.awaitJson("/api/status", "the second stream on the browser source",
                s -> s.at("/streams/array-2/source/selected").asText().equals("browser"));
        assertEquals(mainSource, switched.at("/streams/main/source/selected").asText());
        waiting(10).until(d -> sourceStatus().contains("browser"));

        // the second stream's configuration removed: the page shows main again, says why, and the picker goes
        Files.delete(runtime.home.resolve("conf/io.earshot.stream~array-2.cfg"));
        waiting(20).until(d -> browser.findElement(By.id("stream-notice")).isDisplayed());
        assertTrue(text("#stream-notice"), text("#stream-notice").startsWith("Stream array-2 is not running: it went away"));
        assertTrue(text("#stream-notice"), text("#stream-notice").endsWith("Showing main."));
        waiting(15).until(d -> text("#summary").startsWith("48000 Hz · 6 ch"));
        waiting(10).until(d -> !browser.findElement(By.id("stream-picker")).isDisplayed());
        assertTrue(browser.getCurrentUrl(), browser.getCurrentUrl().contains("stream=main"));
        waiting(10).until(d -> d.findElements(By.cssSelector("#meters .meter")).size() == 6);
        screenshot("streams-gone");
        assertEquals(List.of(), severeBrowserLogs());
        assertEquals("no error in the page's console: " + browser.findElement(By.id("console")).getAttribute("textContent"),
                0, browser.findElements(By.cssSelector("#console .line.error")).size());
    }
}
