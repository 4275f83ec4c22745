package io.earshot.handler.polar.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;

import io.earshot.api.HandlerType;
import io.earshot.handler.checks.Checks;

/**
 * easy-dsp's polar graphs: {@code base:polar:line|area}. Parameters: {@code title},
 * {@code series} (the series names), {@code legend} ({@code {from, to, step}}: the value at north,
 * the value after one clockwise turn and the tick step; 0, 360 and 30 when left out).
 * Data: a list with one {@code {"append":number}} or {@code {"replace":[numbers]}} per series.
 */
@Component
@HttpWhiteboardResource(pattern = "/handlers/polar/*", prefix = "/handlers/polar")
public final class PolarHandlers implements HandlerType {

    static final List<String> TYPES = List.of("base:polar:line", "base:polar:area");
    static final List<String> PARAMS = List.of("title", "series", "legend");
    static final List<String> LEGEND_KEYS = List.of("from", "to", "step");
    static final Map<String, Double> LEGEND_DEFAULTS = Map.of("from", 0.0, "to", 360.0, "step", 30.0);
    static final int MAX_SERIES = 16;
    static final int MAX_TICKS = 360;
    static final int MAX_VALUES = 100_000;

    @Override
    public List<String> types() {
        return TYPES;
    }

    @Override
    public String rendererPath() {
        return "/handlers/polar/renderer.js";
    }

    @Override
    public Optional<String> checkParams(String type, Map<String, Object> params) {
        Optional<String> unknown = Checks.unknownKeys(params, PARAMS, "parameter");
        if (unknown.isPresent()) return unknown;
        Object title = params.get("title");
        if (title != null && !(title instanceof String)) {
            return Optional.of("title must be a string, got " + Checks.kind(title));
        }
        if (!(params.get("series") instanceof List<?> series)) {
            return Optional.of("series must be a list of 1.." + MAX_SERIES + " series names, got " + Checks.kind(params.get("series")));
        }
        if (series.isEmpty() || series.size() > MAX_SERIES) {
            return Optional.of("series has " + series.size() + " names; allowed: 1.." + MAX_SERIES);
        }
        for (int i = 0; i < series.size(); i++) {
            if (!(series.get(i) instanceof String)) {
                return Optional.of("series[" + i + "] must be a string (the series name), got " + Checks.kind(series.get(i)));
            }
        }
        return params.containsKey("legend") ? checkLegend(params.get("legend")) : Optional.empty();
    }

    private static Optional<String> checkLegend(Object legend) {
        if (!(legend instanceof Map<?, ?> given)) {
            return Optional.of("legend must be an object like {\"from\":0,\"to\":360,\"step\":30}, got " + Checks.kind(legend));
        }
        @SuppressWarnings("unchecked")
        Optional<String> unknown = Checks.unknownKeys((Map<String, Object>) given, LEGEND_KEYS, "legend key");
        if (unknown.isPresent()) return unknown;
        for (String key : LEGEND_KEYS) {
            if (given.containsKey(key) && !Checks.isNumber(given.get(key))) {
                return Optional.of("legend." + key + " must be a finite number, got " + Checks.kind(given.get(key)));
            }
        }
        double from = value(given, "from"), to = value(given, "to"), step = value(given, "step");
        if (from == to) {
            return Optional.of("legend.from and legend.to must differ (they are the values at the start and end of one turn),"
                    + " got " + number(from) + " for both");
        }
        if (step <= 0) {
            return Optional.of("legend.step must be above 0, got " + number(step));
        }
        double ticks = Math.abs(to - from) / step;
        if (ticks > MAX_TICKS) {
            return Optional.of("legend.step " + number(step) + " gives " + (long) Math.ceil(ticks) + " ticks from "
                    + number(from) + " to " + number(to) + "; allowed: at most " + MAX_TICKS + " ticks per turn");
        }
        return Optional.empty();
    }

    private static double value(Map<?, ?> legend, String key) {
        return legend.get(key) instanceof Number n ? n.doubleValue() : LEGEND_DEFAULTS.get(key);
    }

    /** 30.0 as "30", 0.5 as "0.5". */
    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    @Override
    public Optional<String> checkData(String type, Map<String, Object> params, Object data) {
        int seriesCount = ((List<?>) params.get("series")).size();
        if (!(data instanceof List<?> perSeries)) {
            return Optional.of("data must be a list with one {\"append\":number} or {\"replace\":[numbers]} per series ("
                    + seriesCount + "), got " + Checks.kind(data));
        }
        if (perSeries.size() != seriesCount) {
            return Optional.of("data must have one entry per series: " + seriesCount + " expected, got " + perSeries.size() + " entries");
        }
        for (int i = 0; i < perSeries.size(); i++) {
            if (!(perSeries.get(i) instanceof Map<?, ?> entry) || entry.size() != 1
                    || !(entry.containsKey("append") || entry.containsKey("replace"))) {
                return Optional.of("data[" + i + "] must be {\"append\":number} or {\"replace\":[numbers]}, got "
                        + Checks.kind(perSeries.get(i)));
            }
            if (entry.containsKey("append")) {
                if (!Checks.isNumber(entry.get("append"))) {
                    return Optional.of("data[" + i + "].append must be a finite number, got " + Checks.kind(entry.get("append")));
                }
            } else {
                Optional<String> values = Checks.numbers(entry.get("replace"), MAX_VALUES, "data[" + i + "].replace");
                if (values.isPresent()) return values;
            }
        }
        return Optional.empty();
    }
}
