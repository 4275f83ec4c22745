package io.earshot.source.alsa.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.service.component.annotations.Component;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/** {@code earshot:alsa}: the PCMs this machine can capture from, to choose {@code device} in conf/. */
@Component(enabled = false, service = AlsaCommands.class)
@GogoCommand(scope = "earshot", function = {"alsa"})
public final class AlsaCommands {

    /** One capture PCM: its name for {@code device=} and ALSA's description. */
    record Device(String name, String description) {
    }

    private final Libasound alsa = Libasound.load();

    public String alsa() {
        List<Device> devices = captureDevices(alsa);
        StringBuilder out = new StringBuilder("Capture PCMs (set one as device= in conf/io.earshot.source.alsa.cfg):\n");
        for (Device device : devices) {
            out.append("  ").append(device.name()).append('\n');
            for (String line : device.description().split("\n")) {
                out.append("      ").append(line).append('\n');
            }
        }
        if (devices.isEmpty()) {
            out.append("  (none: ALSA lists no capture device here)\n");
        }
        return out.toString();
    }

    /** What {@code snd_device_name_hint} lists with input (or both directions). */
    static List<Device> captureDevices(Libasound alsa) {
        PointerByReference hints = new PointerByReference();
        List<Device> devices = new ArrayList<>();
        if (alsa.snd_device_name_hint(-1, "pcm", hints) < 0) {
            return devices;
        }
        try {
            Pointer array = hints.getValue();
            for (int i = 0; ; i++) {
                Pointer hint = array.getPointer((long) i * Native.POINTER_SIZE);
                if (hint == null) break;
                Map<String, String> fields = Map.of("NAME", take(alsa, hint, "NAME"),
                        "DESC", take(alsa, hint, "DESC"), "IOID", take(alsa, hint, "IOID"));
                String direction = fields.get("IOID");
                if (!fields.get("NAME").isEmpty() && (direction.isEmpty() || direction.equals("Input"))) {
                    devices.add(new Device(fields.get("NAME"), fields.get("DESC")));
                }
            }
        } finally {
            alsa.snd_device_name_free_hint(hints.getValue());
        }
        return devices;
    }

    private static String take(Libasound alsa, Pointer hint, String id) {
        Pointer value = alsa.snd_device_name_get_hint(hint, id);
        if (value == null) {
            return "";
        }
        try {
            return value.getString(0);
        } finally {
            Native.free(Pointer.nativeValue(value));
        }
    }
}
