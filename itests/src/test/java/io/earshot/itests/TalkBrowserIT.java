package io.earshot.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Talk tab in headless Chromium with its fake microphone (a beep): the button held for a
 * second, the runtime saves a talk of about a second, listed with its origin, and the page offers
 * its own copy; the space bar held for a second does the same.
 */
public class TalkBrowserIT {

    private static final String TOKEN = "talk-browser-it-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RuntimeProcess runtime;
    private static ChromeDriver browser;

    @BeforeClass
    public static void start() throws Exception {
        browser = RuntimeProcess.browser("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream");
        runtime = RuntimeProcess.start(TOKEN);
        browser.get(runtime.url("/?token=" + TOKEN));
    }

    @AfterClass
    public static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (runtime != null) runtime.close();
    }

    /** The talks in the recordings list, by name. */
    private static JsonNode talks() throws Exception {
        JsonNode list = JSON.readTree(runtime.awaitHttp("/api/recordings", 5)).path("recordings");
        com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
        for (JsonNode r : list) if (r.path("origin").asText().equals("talk")) out.add(r);
        return out;
    }

    private static JsonNode awaitTalks(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        JsonNode talks = talks();
        while (System.nanoTime() < deadline) {
            talks = talks();
            int done = 0;
            for (JsonNode t : talks) if (t.path("state").asText().equals("done")) done++;
            if (done == count) return talks;
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + count + " talks done, got " + talks + "; page: " + browser.findElement(By.id("talk-status")).getText());
    }

    /** The one talk of {@code talks} not in {@code seen}, which it joins. */
    private static JsonNode newTalk(JsonNode talks, java.util.Set<String> seen) {
        JsonNode found = null;
        for (JsonNode t : talks) if (!seen.contains(t.path("name").asText())) found = t;
        seen.add(found.path("name").asText());
        return found;
    }

    private static void hold(WebElement button, long millis) {
        new Actions(browser).clickAndHold(button).pause(Duration.ofMillis(millis)).release().perform();
    }

    @Test
    public void holdingTalkForASecondSavesAWavOfAboutASecond() throws Exception {
        browser.findElement(By.cssSelector("nav [data-view=talk]")).click();
        browser.findElement(By.id("talk-name")).sendKeys("Chromium Zoë");
        WebElement button = browser.findElement(By.id("talk-button"));
        // the first press starts the microphone (the fake one answers at once, a real one asks)
        hold(button, 300);
        java.util.Set<String> seen = new java.util.HashSet<>();
        awaitTalks(1).forEach(t -> seen.add(t.path("name").asText()));
        hold(button, 1000);
        JsonNode second = newTalk(awaitTalks(2), seen);
        String name = second.path("name").asText();
        assertTrue(name, name.matches("talk-Chromium-Zoe-\\d{8}-\\d{6}-[0-9a-f]{6}"));
        assertEquals("Chromium Zoë", second.at("/details/talker").asText());
        double seconds = second.path("seconds").asDouble();
        assertTrue("a second's hold saved " + seconds + " s", seconds > 0.7 && seconds < 1.4);
        assertEquals(16000, second.at("/format/rate").asInt());
        assertEquals(1, second.at("/format/channels").asInt());
        byte[] wav = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(runtime.url("/api/recordings/" + name + ".wav"))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        short[] samples = TalkIT.wavSamples(wav, 16000);
        int loud = 0;
        for (short s : samples) if (Math.abs(s) > 1000) loud++;
        // the fake microphone beeps once a second for a few tens of ms
        assertTrue("the fake microphone's beep is in the file: " + loud + " loud samples of " + samples.length, loud > 100);

        new WebDriverWait(browser, Duration.ofSeconds(5)).until(d -> d.findElement(By.id("talk-download")).isDisplayed());
        String copy = browser.findElement(By.id("talk-download")).getText();
        assertTrue(copy, copy.contains(name + "-browser-copy.wav"));

        // the space bar talks too, once the name field is left
        browser.findElement(By.cssSelector("#view-talk h2")).click();
        new Actions(browser).keyDown(Keys.SPACE).pause(Duration.ofMillis(1000)).keyUp(Keys.SPACE).perform();
        double spoken = newTalk(awaitTalks(3), seen).path("seconds").asDouble();
        assertTrue("a second on the space bar saved " + spoken + " s", spoken > 0.7 && spoken < 1.4);
        assertEquals("Chromium Zoë", browser.findElement(By.id("talk-name")).getAttribute("value"));
        Files.createDirectories(RuntimeProcess.TARGET.resolve("screenshots"));
        Files.write(RuntimeProcess.TARGET.resolve("screenshots/talk.png"), browser.getScreenshotAs(OutputType.BYTES));
    }
}
