package io.earshot.handler.graph.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;

import io.earshot.api.HandlerType;
import io.earshot.handler.checks.Checks;

/**
 * easy-dsp's graphs: {@code base:graph:line|area|bar|plot}. Parameters: {@code xName},
 * {@code series} (a list of {@code {name?, color?}}: one entry per series), {@code min},
 * {@code max} (the y range; automatic when left out), {@code xLimitNb} (keep the last N points).
 * Data: {@code {"add":[{"x":[..],"y":[..]}, ...one per series]}} or the same with {@code replace}.
 */
@Component
@HttpWhiteboardResource(pattern = "/handlers/graph/*", prefix = "/handlers/graph")
public final class GraphHandlers implements HandlerType {

    static final List<String> TYPES = List.of("base:graph:line", "base:graph:area", "base:graph:bar", "base:graph:plot");
    static final List<String> PARAMS = List.of("xName", "series", "min", "max", "xLimitNb");
    static final int MAX_SERIES = 32;
    static final int MAX_POINTS = 100_000;

    @Override
    public List<String> types() {
        return TYPES;
    }

    @Override
    public String rendererPath() {
        return "/handlers/graph/renderer.js";
    }

    @Override
    public Optional<String> checkParams(String type, Map<String, Object> params) {
        Optional<String> unknown = Checks.unknownKeys(params, PARAMS, "parameter");
        if (unknown.isPresent()) return unknown;
        Object xName = params.get("xName");
        if (xName != null && !(xName instanceof String)) {
            return Optional.of("xName must be a string, got " + Checks.kind(xName));
        }
        if (!(params.get("series") instanceof List<?> series) || series.isEmpty() || series.size() > MAX_SERIES) {
            return Optional.of("series must be a list of 1.." + MAX_SERIES + " entries ({\"name\":..,\"color\":..}),"
                    + " one per series, got " + Checks.kind(params.get("series")));
        }
        for (int i = 0; i < series.size(); i++) {
            if (!(series.get(i) instanceof Map<?, ?> entry)) {
                return Optional.of("series[" + i + "] must be an object like {\"name\":\"left\",\"color\":\"#e6194b\"}, got "
                        + Checks.kind(series.get(i)));
            }
            for (Map.Entry<?, ?> e : entry.entrySet()) {
                if (!List.of("name", "color").contains(e.getKey())) {
                    return Optional.of("series[" + i + "] has unknown key '" + e.getKey() + "'; allowed: name, color");
                }
                if (!(e.getValue() instanceof String)) {
                    return Optional.of("series[" + i + "]." + e.getKey() + " must be a string, got " + Checks.kind(e.getValue()));
                }
            }
        }
        for (String bound : List.of("min", "max")) {
            if (params.containsKey(bound) && !Checks.isNumber(params.get(bound))) {
                return Optional.of(bound + " must be a number, got " + Checks.kind(params.get(bound)));
            }
        }
        if (Checks.isNumber(params.get("min")) && Checks.isNumber(params.get("max"))
                && ((Number) params.get("min")).doubleValue() >= ((Number) params.get("max")).doubleValue()) {
            return Optional.of("min must be below max, got min " + params.get("min") + " and max " + params.get("max"));
        }
        if (params.containsKey("xLimitNb")) {
            Object limit = params.get("xLimitNb");
            if (!Checks.isWholeNumber(limit) || ((Number) limit).longValue() < 1 || ((Number) limit).longValue() > MAX_POINTS) {
                return Optional.of("xLimitNb must be a whole number 1.." + MAX_POINTS + ", got " + Checks.kind(limit));
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> checkData(String type, Map<String, Object> params, Object data) {
        int seriesCount = ((List<?>) params.get("series")).size();
        if (!(data instanceof Map<?, ?> map) || map.size() != 1
                || !(map.containsKey("add") || map.containsKey("replace"))) {
            return Optional.of("data must be {\"add\":[..]} or {\"replace\":[..]} with one {\"x\":[..],\"y\":[..]}"
                    + " per series (" + seriesCount + "), got " + Checks.kind(data));
        }
        String mode = map.containsKey("add") ? "add" : "replace";
        if (!(map.get(mode) instanceof List<?> perSeries) || perSeries.size() != seriesCount) {
            return Optional.of(mode + " must list one {\"x\":[..],\"y\":[..]} per series: " + seriesCount
                    + " expected, got " + (map.get(mode) instanceof List<?> l ? l.size() + " entries" : Checks.kind(map.get(mode))));
        }
        for (int i = 0; i < perSeries.size(); i++) {
            if (!(perSeries.get(i) instanceof Map<?, ?> points) || !points.keySet().equals(java.util.Set.of("x", "y"))) {
                return Optional.of(mode + "[" + i + "] must be {\"x\":[..],\"y\":[..]}, got " + Checks.kind(perSeries.get(i)));
            }
            Optional<String> xs = Checks.numbers(points.get("x"), MAX_POINTS, mode + "[" + i + "].x");
            if (xs.isPresent()) return xs;
            Optional<String> ys = Checks.numbers(points.get("y"), MAX_POINTS, mode + "[" + i + "].y");
            if (ys.isPresent()) return ys;
            int nx = ((List<?>) points.get("x")).size();
            int ny = ((List<?>) points.get("y")).size();
            if (nx != ny) {
                return Optional.of(mode + "[" + i + "] has " + nx + " x values and " + ny + " y values; they must pair up");
            }
        }
        return Optional.empty();
    }
}
