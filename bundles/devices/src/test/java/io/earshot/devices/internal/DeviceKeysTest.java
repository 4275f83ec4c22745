package io.earshot.devices.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class DeviceKeysTest {

    @Test
    public void aDeviceWithItsOwnKeyIsLetInAndAWrongKeyIsRefusedWithoutTellingTheKey() {
        DeviceKeys keys = DeviceKeys.parse("kitchen:k1, hall:k2", "");
        assertNull(keys.refusal("kitchen", "k1"));
        assertEquals("wrong key for device 'kitchen'", keys.refusal("kitchen", "k2"));
        assertTrue(keys.refusal("attic", "k1").contains("no key here"));
    }

    @Test
    public void theSharedKeyOpensEveryDeviceWithoutAKeyOfItsOwn() {
        DeviceKeys keys = DeviceKeys.parse("kitchen:k1", "lab");
        assertNull(keys.refusal("attic", "lab"));
        assertEquals("wrong key for device 'kitchen'", keys.refusal("kitchen", "lab"));
    }

    @Test
    public void withoutKeysEveryDeviceIsRefusedAndTheReasonSaysWhereToSetThem() {
        assertTrue(DeviceKeys.parse("", "").refusal("attic", "x").contains("conf/io.earshot.devices.cfg"));
    }

    @Test
    public void badEntriesAndIdsAreRefusedWithTheirReason() {
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse("kitchen", ""));
        assertThrows(IllegalArgumentException.class, () -> DeviceKeys.parse("bad id:k", ""));
        assertTrue(DeviceKeys.parse("", "lab").refusal("a/b", "lab").startsWith("the device id must be"));
    }
}
