package io.earshot.intercom.wire;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

import io.earshot.intercom.wire.IntercomWire.Header;

public class IntercomWireTest {

    @Test
    public void aClipHeaderIs24LittleEndianBytesThatReadBackAsWritten() throws Exception {
        byte[] bytes = IntercomWire.clipHeader(7, 48000, 6, 576_044);
        assertEquals(IntercomWire.HEADER_BYTES, bytes.length);
        assertArrayEquals("ESIC".getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOf(bytes, 4));
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, le.get(4));
        assertEquals(IntercomWire.KIND_CLIP, le.get(5));
        assertEquals(IntercomWire.FORMAT_WAV_S16LE, le.getShort(6));
        assertEquals(7, le.getInt(8));
        assertEquals(48000, le.getInt(12));
        assertEquals(6, le.getShort(16));
        assertEquals(16, le.getShort(18));
        assertEquals(576_044, le.getInt(20));
        assertEquals(new Header(1, IntercomWire.KIND_CLIP, 1, 7, 48000, 6, 16, 576_044), IntercomWire.parseHeader(bytes));
    }

    @Test
    public void aKeepAliveCarriesNoBytes() throws Exception {
        Header header = IntercomWire.parseHeader(IntercomWire.keepAliveHeader());
        assertFalse(header.isClip());
        assertEquals(0, header.length());
    }

    @Test
    public void headersThatCannotBeFollowedAreRefusedWithTheReason() {
        byte[] notOurs = IntercomWire.clipHeader(1, 8000, 1, 10);
        notOurs[0] = 'X';
        assertTrue(assertThrows(ProtocolException.class, () -> IntercomWire.parseHeader(notOurs)).getMessage().contains("ESIC"));
        byte[] version = IntercomWire.clipHeader(1, 8000, 1, 10);
        version[4] = 2;
        assertTrue(assertThrows(ProtocolException.class, () -> IntercomWire.parseHeader(version)).getMessage().contains("version 2"));
        byte[] kind = IntercomWire.clipHeader(1, 8000, 1, 10);
        kind[5] = 9;
        assertTrue(assertThrows(ProtocolException.class, () -> IntercomWire.parseHeader(kind)).getMessage().contains("kind 9"));
        byte[] huge = IntercomWire.clipHeader(1, 8000, 1, IntercomWire.MAX_CLIP_BYTES + 1);
        assertTrue(assertThrows(ProtocolException.class, () -> IntercomWire.parseHeader(huge)).getMessage().contains("at most"));
        byte[] negative = IntercomWire.clipHeader(1, 8000, 1, -1);
        assertThrows("a length is unsigned: -1 is 4 GiB", ProtocolException.class, () -> IntercomWire.parseHeader(negative));
        assertThrows(ProtocolException.class, () -> IntercomWire.parseHeader(new byte[10]));
    }

    @Test
    public void theHelloNamesTheVersionAndMayCarryTheToken() {
        assertEquals("EARSHOT-INTERCOM 1\n", IntercomWire.hello(null));
        assertEquals("EARSHOT-INTERCOM 1 token=abc\n", IntercomWire.hello("abc"));
        assertNull(IntercomWire.parseHello("EARSHOT-INTERCOM 1").token());
        assertEquals("s3cr=t", IntercomWire.parseHello("EARSHOT-INTERCOM 1 token=s3cr=t").token());
    }

    @Test
    public void aBadHelloIsRefusedWithACodeAndTheReason() {
        assertTrue(refusal("GET / HTTP/1.1").startsWith("hello: expected 'EARSHOT-INTERCOM 1[ token=T]'"));
        assertTrue(refusal("EARSHOT-INTERCOM 2").startsWith("version: this side speaks EARSHOT-INTERCOM 1, the client asked for 2"));
        assertTrue(refusal("EARSHOT-INTERCOM one").startsWith("hello: the version must be a number"));
        assertTrue(refusal("EARSHOT-INTERCOM 1 password=x").startsWith("hello: after the version only 'token=T'"));
        assertTrue(refusal("EARSHOT-INTERCOM 1 token=").startsWith("hello: "));
        assertTrue(refusal("EARSHOT-INTERCOM 1 token=a b").startsWith("hello: "));
        assertEquals("a\\x00b\\x1b", IntercomWire.quote("a\u0000b\u001b"));
        assertEquals(63, IntercomWire.quote("x".repeat(100)).length());
    }

    private static String refusal(String hello) {
        return assertThrows(IllegalArgumentException.class, () -> IntercomWire.parseHello(hello)).getMessage();
    }

    @Test
    public void aLineIsReadUpToItsEndAndNoFurther() throws Exception {
        InputStream in = new ByteArrayInputStream("OK EARSHOT-INTERCOM 1\r\nESIC".getBytes(StandardCharsets.US_ASCII));
        assertEquals("OK EARSHOT-INTERCOM 1", IntercomWire.readLine(in));
        assertEquals('E', in.read());
        InputStream endless = new ByteArrayInputStream("x".repeat(IntercomWire.MAX_LINE_BYTES * 2).getBytes(StandardCharsets.US_ASCII));
        assertThrows(ProtocolException.class, () -> IntercomWire.readLine(endless));
        assertThrows(EOFException.class, () -> IntercomWire.readLine(new ByteArrayInputStream(new byte[] {'a'})));
        assertThrows(EOFException.class, () -> IntercomWire.readFully(new ByteArrayInputStream(new byte[3]), 4));
    }

    @Test
    public void aRefusalIsOneLine() {
        assertEquals("REFUSED token: no\n", IntercomWire.refused("token", "no"));
        assertEquals("REFUSED hello: a b \n", IntercomWire.refused("hello", "a\nb\r"));
    }
}
