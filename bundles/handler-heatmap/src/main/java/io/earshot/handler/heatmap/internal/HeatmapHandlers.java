package io.earshot.handler.heatmap.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardResource;

import io.earshot.api.HandlerType;
import io.earshot.handler.checks.Checks;

/**
 * A heatmap: {@code base:heatmap}. Parameters: {@code min}, {@code max} (the colour scale;
 * automatic from the data when left out). Data: a rectangular 2-D array, one list of numbers per
 * row, row 0 drawn at the top.
 */
@Component
@HttpWhiteboardResource(pattern = "/handlers/heatmap/*", prefix = "/handlers/heatmap")
public final class HeatmapHandlers implements HandlerType {

    static final List<String> TYPES = List.of("base:heatmap");
    static final List<String> PARAMS = List.of("min", "max");
    static final int MAX_ROWS = 1024;
    static final int MAX_COLUMNS = 1024;

    @Override
    public List<String> types() {
        return TYPES;
    }

    @Override
    public String rendererPath() {
        return "/handlers/heatmap/renderer.js";
    }

    @Override
    public Optional<String> checkParams(String type, Map<String, Object> params) {
        Optional<String> unknown = Checks.unknownKeys(params, PARAMS, "parameter");
        if (unknown.isPresent()) return unknown;
        for (String bound : PARAMS) {
            if (params.containsKey(bound) && !Checks.isNumber(params.get(bound))) {
                return Optional.of(bound + " must be a number, got " + Checks.kind(params.get(bound)));
            }
        }
        if (params.containsKey("min") && params.containsKey("max")
                && ((Number) params.get("min")).doubleValue() >= ((Number) params.get("max")).doubleValue()) {
            return Optional.of("min must be below max, got min " + params.get("min") + " and max " + params.get("max"));
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> checkData(String type, Map<String, Object> params, Object data) {
        if (!(data instanceof List<?> rows)) {
            return Optional.of("data must be a 2-D array, one list of numbers per row, got " + Checks.kind(data));
        }
        if (rows.isEmpty() || rows.size() > MAX_ROWS) {
            return Optional.of("data has " + rows.size() + " rows; allowed: 1.." + MAX_ROWS);
        }
        int columns = -1;
        for (int i = 0; i < rows.size(); i++) {
            if (!(rows.get(i) instanceof List<?> row)) {
                return Optional.of("row " + i + " must be a list of numbers, got " + Checks.kind(rows.get(i)));
            }
            if (row.isEmpty() || row.size() > MAX_COLUMNS) {
                return Optional.of("row " + i + " has " + row.size() + " values; allowed: 1.." + MAX_COLUMNS);
            }
            if (columns < 0) {
                columns = row.size();
            } else if (row.size() != columns) {
                return Optional.of("row " + i + " has " + row.size() + " values, row 0 has " + columns
                        + ": rows must be the same length");
            }
            for (int j = 0; j < row.size(); j++) {
                if (!Checks.isNumber(row.get(j))) {
                    return Optional.of("row " + i + ", column " + j + " must be a finite number, got " + Checks.kind(row.get(j)));
                }
            }
        }
        return Optional.empty();
    }
}
