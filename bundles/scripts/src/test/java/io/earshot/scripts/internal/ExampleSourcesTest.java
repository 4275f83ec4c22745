package io.earshot.scripts.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.Test;

/** The examples menu, made from the real example plugins' sources (copied into the bundle as resources). */
public class ExampleSourcesTest {

    private static Map<String, ExampleSources.Example> examples() throws IOException {
        Path root = Paths.get("target/classes/examples");
        try (Stream<Path> paths = Files.walk(root)) {
            List<ExampleSources.SourceFile> files = paths.filter(p -> p.toString().endsWith(".java")).map(p -> {
                try {
                    String file = p.getFileName().toString();
                    return new ExampleSources.SourceFile(root.relativize(p).getName(0).toString(),
                            file.substring(0, file.length() - 5), Files.readString(p));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            return new ExampleSources(files).examples();
        }
    }

    @Test
    public void everyPluginIsAnExampleAndTheSharedLibraryIsNot() throws Exception {
        assertEquals(List.of("beamformer", "doa", "fusion", "levels", "playback", "spectrogram", "spectrum", "vad"), List.copyOf(examples().keySet()));
    }

    @Test
    public void anExampleIsOneFileWithOnePublicClassFirst() throws Exception {
        ExampleSources.Example levels = examples().get("levels");
        String source = levels.source();
        assertEquals(1, source.split("\npackage ", -1).length - 1);
        assertTrue(source, source.contains("package io.earshot.examples.levels;"));
        assertTrue(source.indexOf("public final class LevelsPlugin") < source.indexOf("record Levels("));
        assertFalse("the helper is package-private now", source.contains("public record Levels"));
        assertEquals("no import twice", source.indexOf("import java.util.Map;"), source.lastIndexOf("import java.util.Map;"));
        assertEquals("easy-dsp's level meter: RMS and peak per channel, a bar chart updated with every buffer.", levels.description());
    }

    @Test
    public void classesOfOtherExamplesComeAlongAndTheirImportsGo() throws Exception {
        String beamformer = examples().get("beamformer").source();
        assertTrue("the doa example's Geometry is in the file", beamformer.contains("\nrecord Geometry("));
        assertFalse(beamformer.contains("import io.earshot.examples."));
        assertTrue("javadoc's entities read as text", examples().get("beamformer").description().contains("(angle < 0)"));
        String spectrum = examples().get("spectrum").source();
        assertTrue("the shared Spectra is in the file, made package-private", spectrum.contains("\nfinal class Spectra {"));
        assertTrue(spectrum.contains("import org.jtransforms.fft.DoubleFFT_1D;"));
    }
}
