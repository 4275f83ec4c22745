package io.earshot.handler.audio.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;

import io.earshot.api.HandlerType;
import io.earshot.handler.checks.Checks;

/**
 * easy-dsp's {@code send_audio}: {@code base:audio}, a plugin sends audio with
 * {@code Handler.sendAudio} and the browser plays it. Parameters: {@code gain} (0..4, default 1)
 * and {@code label} (shown instead of the handler's name). JSON data is never accepted.
 */
@Component
@HttpWhiteboardResource(pattern = "/handlers/audio/*", prefix = "/handlers/audio")
public final class AudioHandlers implements HandlerType {

    static final String TYPE = "base:audio";
    static final List<String> PARAMS = List.of("gain", "label");
    static final double MAX_GAIN = 4;
    static final int MAX_LABEL = 200;

    @Override
    public List<String> types() {
        return List.of(TYPE);
    }

    @Override
    public String rendererPath() {
        return "/handlers/audio/renderer.js";
    }

    @Override
    public boolean playsAudio(String type) {
        return TYPE.equals(type);
    }

    @Override
    public Optional<String> checkParams(String type, Map<String, Object> params) {
        Optional<String> unknown = Checks.unknownKeys(params, PARAMS, "parameter");
        if (unknown.isPresent()) return unknown;
        if (params.containsKey("gain")) {
            Object gain = params.get("gain");
            if (!Checks.isNumber(gain) || ((Number) gain).doubleValue() < 0 || ((Number) gain).doubleValue() > MAX_GAIN) {
                return Optional.of("gain must be a number 0..4 (1 leaves the audio as it is), got " + Checks.kind(gain));
            }
        }
        if (params.containsKey("label")) {
            if (!(params.get("label") instanceof String label)) {
                return Optional.of("label must be a string, got " + Checks.kind(params.get("label")));
            }
            if (label.length() > MAX_LABEL) {
                return Optional.of("label has " + label.length() + " characters; allowed: at most " + MAX_LABEL);
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> checkData(String type, Map<String, Object> params, Object data) {
        return Optional.of(type + " takes no JSON data: audio is sent with Handler.sendAudio(AudioBuffer)");
    }
}
