package io.earshot.config.checks.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

public class CfgFileCheckTest {

    private static String only(String content) {
        List<CfgFileCheck.LineProblem> problems = CfgFileCheck.check(content);
        assertEquals(String.valueOf(problems), 1, problems.size());
        CfgFileCheck.LineProblem p = problems.get(0);
        return p.line() + " " + p.text() + " " + p.problem();
    }

    @Test
    public void anEmptyKeyIsNamedByLine() {
        assertEquals("3 =5 has no key before '='", only("# hub\nsource=synthetic\n=5\nchannels=4\n"));
        assertEquals("1 : x has no key before ':'", only("  : x"));
        assertTrue(CfgFileCheck.check("=5").get(0).allowed().startsWith("KEY=VALUE"));
    }

    @Test
    public void whatFileInstallTakesIsNotReported() {
        assertEquals(List.of(), CfgFileCheck.check("# comment\n! comment\n\n  rate = 48000 \nsource:alsa\nkey value\nempty=\n"
                + "path=C:\\\\dir\\\\u\nname=caf\\u00e9\nlist=[1,2]\nlong=a\\\n  =b\n\\\n\n"));
    }

    @Test
    public void aContinuedLineIsReportedWhereItStarts() {
        assertEquals("2 =1b has no key before '='", only("a=1\n\\\n=1\\\nb\n"));
    }

    @Test
    public void aBrokenUnicodeEscapeIsNamed() {
        assertEquals("1 a=\\uZZZZ has \\uZZZZ, which is not a unicode escape", only("a=\\uZZZZ"));
        assertEquals("2 b=\\u00 has \\u00, which is not a unicode escape", only("a=1\nb=\\u00"));
    }

    @Test
    public void aLongLineIsShortened() {
        String text = CfgFileCheck.check("=" + "x".repeat(500)).get(0).text();
        assertEquals(83, text.length());
    }
}
