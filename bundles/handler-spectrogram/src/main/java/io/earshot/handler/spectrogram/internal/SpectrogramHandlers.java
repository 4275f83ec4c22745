package io.earshot.handler.spectrogram.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;

import io.earshot.api.HandlerType;
import io.earshot.handler.checks.Checks;

/**
 * easy-dsp's spectrogram: {@code base:spectrogram}. Parameters: {@code width} (columns kept on
 * screen), {@code height} (values per column: frequency bins), {@code min}, {@code max} (the colour
 * scale), {@code delta_freq} (Hz between bins; optional) and {@code update_rate} (columns per
 * second; optional, informational). Data: one column of {@code height} numbers, lowest frequency first.
 */
@Component
@HttpWhiteboardResource(pattern = "/handlers/spectrogram/*", prefix = "/handlers/spectrogram")
public final class SpectrogramHandlers implements HandlerType {

    static final List<String> TYPES = List.of("base:spectrogram");
    static final List<String> PARAMS = List.of("width", "height", "min", "max", "delta_freq", "update_rate");
    static final int MAX_WIDTH = 4096;
    static final int MAX_HEIGHT = 8192;

    @Override
    public List<String> types() {
        return TYPES;
    }

    @Override
    public String rendererPath() {
        return "/handlers/spectrogram/renderer.js";
    }

    @Override
    public Optional<String> checkParams(String type, Map<String, Object> params) {
        Optional<String> unknown = Checks.unknownKeys(params, PARAMS, "parameter");
        if (unknown.isPresent()) return unknown;
        Optional<String> width = wholeNumber(params, "width", MAX_WIDTH, "columns kept on screen");
        if (width.isPresent()) return width;
        Optional<String> height = wholeNumber(params, "height", MAX_HEIGHT, "values per column");
        if (height.isPresent()) return height;
        for (String bound : List.of("min", "max")) {
            if (!Checks.isNumber(params.get(bound))) {
                return Optional.of(bound + " must be a number (the colour scale), got " + Checks.kind(params.get(bound)));
            }
        }
        if (((Number) params.get("min")).doubleValue() >= ((Number) params.get("max")).doubleValue()) {
            return Optional.of("min must be below max, got min " + params.get("min") + " and max " + params.get("max"));
        }
        for (String positive : List.of("delta_freq", "update_rate")) {
            Object value = params.get(positive);
            if (params.containsKey(positive) && (!Checks.isNumber(value) || ((Number) value).doubleValue() <= 0)) {
                return Optional.of(positive + " must be a number above 0, got " + Checks.kind(value));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> wholeNumber(Map<String, Object> params, String name, int max, String meaning) {
        Object value = params.get(name);
        if (!Checks.isWholeNumber(value) || ((Number) value).longValue() < 1 || ((Number) value).longValue() > max) {
            return Optional.of(name + " must be a whole number 1.." + max + " (" + meaning + "), got " + Checks.kind(value));
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> checkData(String type, Map<String, Object> params, Object data) {
        int height = ((Number) params.get("height")).intValue();
        if (!(data instanceof List<?> column)) {
            return Optional.of("data must be one column: a list of height=" + height + " numbers, got " + Checks.kind(data));
        }
        if (column.size() != height) {
            return Optional.of("a column must have height=" + height + " values, got " + column.size());
        }
        for (int i = 0; i < column.size(); i++) {
            if (!Checks.isNumber(column.get(i))) {
                return Optional.of("column[" + i + "] must be a finite number, got " + Checks.kind(column.get(i)));
            }
        }
        return Optional.empty();
    }
}
