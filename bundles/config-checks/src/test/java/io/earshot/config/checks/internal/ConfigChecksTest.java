package io.earshot.config.checks.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

public class ConfigChecksTest {

    private record Attribute(String id, int type, String fallback) implements AttributeDefinition {
        @Override public String getName() { return id; }
        @Override public String getID() { return id; }
        @Override public String getDescription() { return id; }
        @Override public int getCardinality() { return 0; }
        @Override public int getType() { return type; }
        @Override public String[] getOptionValues() { return null; }
        @Override public String[] getOptionLabels() { return null; }
        @Override public String validate(String value) { return null; }
        @Override public String[] getDefaultValue() { return new String[] {fallback}; }
    }

    private record Definition(AttributeDefinition... attributes) implements ObjectClassDefinition {
        @Override public String getName() { return "hub"; }
        @Override public String getID() { return "io.earshot.hub"; }
        @Override public String getDescription() { return "hub"; }
        @Override public AttributeDefinition[] getAttributeDefinitions(int filter) { return attributes; }
        @Override public InputStream getIcon(int size) { return null; }
    }

    private final ConfigChecks checks = new ConfigChecks((bundle, pid) -> pid.equals("io.earshot.hub") ? new Definition(
            new Attribute("source", AttributeDefinition.STRING, "synthetic"),
            new Attribute("rate", AttributeDefinition.INTEGER, "48000"),
            new Attribute("enabled", AttributeDefinition.BOOLEAN, "true"),
            new Attribute("gain", AttributeDefinition.DOUBLE, "1.0")) : null);

    private static Hashtable<String, Object> config(Object... keyValues) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("service.pid", "io.earshot.hub");
        properties.put("felix.fileinstall.filename", "file:/conf/io.earshot.hub.cfg");
        for (int i = 0; i < keyValues.length; i += 2) properties.put((String) keyValues[i], keyValues[i + 1]);
        return properties;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> problems() {
        return (List<Map<String, Object>>) ((Map<String, Object>) checks.status()).get("problems");
    }

    @Test
    public void aValueOfTheWrongTypeIsLeftOutAndNamed() {
        Hashtable<String, Object> properties = config("source", "alsa", "rate", "44100x", "enabled", "yes", "gain", " 0.5 ");
        checks.modifyConfiguration(null, properties);
        assertFalse(properties.containsKey("rate"));
        assertFalse(properties.containsKey("enabled"));
        assertEquals("alsa", properties.get("source"));
        assertEquals("0.5", properties.get("gain")); // trimmed: SCR would not read a number with spaces around it
        assertEquals(2, problems().size());
        Map<String, Object> rate = problems().get(1);
        assertEquals("rate", rate.get("key"));
        assertEquals("44100x", rate.get("value"));
        assertEquals("is not a whole number", rate.get("problem"));
        assertEquals("left out, so its default 48000 applies", rate.get("consequence"));
    }

    @Test
    public void anUnknownKeyIsReportedAndPassedOn() {
        Hashtable<String, Object> properties = config("bogusKey", "1");
        checks.modifyConfiguration(null, properties);
        assertEquals("1", properties.get("bogusKey"));
        assertEquals(1, problems().size());
        assertTrue(problems().get(0).get("problem").toString().startsWith("is not one of its settings (enabled, gain, rate, source)"));
        assertEquals("ignored", problems().get(0).get("consequence"));
    }

    @Test
    public void aCorrectedFileClearsItsProblems() {
        checks.modifyConfiguration(null, config("rate", "fast"));
        assertEquals(1, problems().size());
        Hashtable<String, Object> fixed = config("rate", "44100");
        checks.modifyConfiguration(null, fixed);
        assertEquals("44100", fixed.get("rate"));
        assertEquals(List.of(), problems());
    }

    @Test
    public void typedValuesAndUnknownPidsAreLeftAlone() {
        Hashtable<String, Object> typed = config("rate", 44100);
        checks.modifyConfiguration(null, typed);
        assertEquals(44100, typed.get("rate"));
        Hashtable<String, Object> other = config("rate", "x");
        other.put("service.pid", "some.other.pid");
        checks.modifyConfiguration(null, other);
        assertEquals("x", other.get("rate"));
        assertEquals(List.of(), problems());
    }

    @Test
    public void valueChecks() {
        assertNull(ValueCheck.problem(AttributeDefinition.INTEGER, "42"));
        assertEquals("is out of range (-2147483648..2147483647)", ValueCheck.problem(AttributeDefinition.INTEGER, "99999999999"));
        assertNull(ValueCheck.problem(AttributeDefinition.LONG, "99999999999"));
        assertEquals("is not a number", ValueCheck.problem(AttributeDefinition.DOUBLE, "1,5"));
        assertEquals("is not a finite number", ValueCheck.problem(AttributeDefinition.FLOAT, "NaN"));
        assertNull(ValueCheck.problem(AttributeDefinition.BOOLEAN, "TRUE"));
        assertNull(ValueCheck.problem(AttributeDefinition.STRING, "anything"));
    }

    @Test
    @SuppressWarnings("unchecked")
    public void aFileLineProblemIsInTheStatusAndLoggedOnce() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(log, true));
        try {
            checks.fileChecked("conf/io.earshot.hub.cfg", CfgFileCheck.check("source=alsa\n=5\n"));
            checks.fileChecked("conf/io.earshot.hub.cfg", CfgFileCheck.check("source=alsa\n=5\n")); // looked at again
        } finally {
            System.setErr(err);
        }
        String[] lines = log.toString().split("\n");
        assertEquals(log.toString(), 1, lines.length);
        assertTrue(lines[0], lines[0].endsWith(" ERROR io.earshot.config.checks - configuration file conf/io.earshot.hub.cfg line 2:"
                + " '=5' has no key before '='; allowed: KEY=VALUE, a key before the '=' (comment lines start with #);"
                + " FileInstall applies nothing of this file until it is corrected"));
        List<Map<String, Object>> files = (List<Map<String, Object>>) ((Map<String, Object>) checks.status()).get("files");
        assertEquals(1, files.size());
        assertEquals(2, files.get(0).get("line"));
        assertEquals("conf/io.earshot.hub.cfg", files.get(0).get("file"));

        checks.fileChecked("conf/io.earshot.hub.cfg", List.of());
        assertTrue(((List<?>) ((Map<String, Object>) checks.status()).get("files")).isEmpty());
    }
}
