package io.earshot.config.checks.internal;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

import io.earshot.api.StatusContributor;

/**
 * Checks every configuration against its metatype just before a component gets it. A value that
 * is not of the attribute's type (a typo in {@code conf/}: {@code rate=44100x}) would make the
 * component fail to activate, and nothing would say so where a user looks; here it is left out,
 * so the component starts with that attribute's default, and the log and {@code /api/status}
 * ({@code config_checks}) name the key, the value and why. A key the component does not know is
 * reported and passed on. Lines of a file in {@code conf/} that make FileInstall refuse the whole
 * file, so no component gets any of it, are reported by file and line ({@link CfgFileCheck}).
 */
final class ConfigChecks implements ConfigurationPlugin, StatusContributor {

    /** Keys ConfigAdmin, FileInstall and SCR add or use themselves. */
    private static final List<String> OWN_PREFIXES = List.of("service.", "felix.", "component.", ".");
    /** Configurations whose keys beyond the metatype's are settings of their own: a stream's for its source. */
    private static final Set<String> OPEN_PIDS = Set.of("io.earshot.stream");
    /** At most this many problems are kept for the status (the log has every one). */
    static final int MAX_PROBLEMS = 200;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final BiFunction<Bundle, String, ObjectClassDefinition> definitions;
    private final Map<String, Problem> problems = new ConcurrentHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** Lines FileInstall cannot take, by file. */
    private final Map<String, List<CfgFileCheck.LineProblem>> files = new ConcurrentHashMap<>();

    /**
     * @param definitions the definition of a PID (or factory PID) in the metatype of the bundle
     *                    being configured, null when it has none
     */
    ConfigChecks(BiFunction<Bundle, String, ObjectClassDefinition> definitions) {
        this.definitions = definitions;
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        Object factoryPid = properties.get(ConfigurationAdmin.SERVICE_FACTORYPID);
        String pid = String.valueOf(factoryPid != null ? factoryPid : properties.get(Constants.SERVICE_PID));
        // SCR passes a reference registered by the bundle whose components it configures
        ObjectClassDefinition definition = definitions.apply(reference == null ? null : reference.getBundle(), pid);
        if (definition == null) {
            return;
        }
        Map<String, AttributeDefinition> attributes = new TreeMap<>();
        for (AttributeDefinition attribute : definition.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            attributes.put(attribute.getID(), attribute);
        }
        problems.keySet().removeIf(k -> k.startsWith(pid + "\n")); // what this delivery finds replaces what the last one found
        for (String key : Collections.list(properties.keys())) {
            AttributeDefinition attribute = attributes.get(key);
            if (attribute == null) {
                if (OWN_PREFIXES.stream().noneMatch(key::startsWith) && !OPEN_PIDS.contains(pid)) {
                    report(new Problem(pid, key, null, "is not one of its settings (" + String.join(", ", attributes.keySet()) + ")",
                            "ignored"));
                }
                continue;
            }
            Object value = trimmed(attribute, properties.get(key));
            properties.put(key, value); // "48000 " in a file means 48000, but SCR would not read it
            String why = problem(attribute, value);
            if (why != null) {
                properties.remove(key);
                String[] defaults = attribute.getDefaultValue();
                report(new Problem(pid, key, describe(value), why, defaults == null || defaults.length == 0
                        ? "left out" : "left out, so its default " + String.join(",", defaults) + " applies"));
            }
        }
    }

    /** Text around a number or a boolean, without the spaces around it. */
    private static Object trimmed(AttributeDefinition attribute, Object value) {
        if (attribute.getType() == AttributeDefinition.STRING || attribute.getType() == AttributeDefinition.PASSWORD) {
            return value;
        }
        if (value instanceof String text) {
            return text.trim();
        }
        if (value instanceof String[] texts) {
            return Arrays.stream(texts).map(String::trim).toArray(String[]::new);
        }
        return value;
    }

    /** Why {@code value} does not suit {@code attribute}, or null. Typed values (the Web Console's) are left to SCR. */
    static String problem(AttributeDefinition attribute, Object value) {
        if (value instanceof String text) {
            return ValueCheck.problem(attribute.getType(), text);
        }
        if (value instanceof String[] texts) {
            for (String text : texts) {
                String why = ValueCheck.problem(attribute.getType(), text);
                if (why != null) return why;
            }
        }
        return null;
    }

    private void report(Problem problem) {
        String id = problem.pid() + "\n" + problem.key();
        if (problems.size() < MAX_PROBLEMS || problems.containsKey(id)) {
            problems.put(id, problem);
        }
        if (reported.size() < 10 * MAX_PROBLEMS && reported.add(id + "\n" + problem.value() + "\n" + problem.reason())) {
            log(problem.value() == null ? "WARN" : "ERROR", problem.message());
        }
    }

    /** What a check of {@code file} (as shown: folder and name) found; nothing when it is fine or gone. */
    void fileChecked(String file, List<CfgFileCheck.LineProblem> found) {
        if (found.isEmpty()) {
            files.remove(file);
            reported.removeIf(r -> r.startsWith(file + "\n"));
            return;
        }
        files.put(file, List.copyOf(found.subList(0, Math.min(found.size(), MAX_PROBLEMS))));
        for (CfgFileCheck.LineProblem problem : found) {
            if (reported.size() < 10 * MAX_PROBLEMS && reported.add(file + "\n" + problem.line() + "\n" + problem.text())) {
                log("ERROR", problem.message(file));
            }
        }
    }

    private static void log(String level, String message) {
        // slf4j-simple's line shape, so the console tab reads its level; slf4j itself is not
        // touched: this bundle starts before SPI Fly, which binds slf4j to its provider
        System.err.println(LocalTime.now().format(TIME) + " [" + Thread.currentThread().getName() + "] "
                + level + " io.earshot.config.checks - " + message);
    }

    @Override
    public String statusKey() {
        return "config_checks";
    }

    @Override
    public Object status() {
        List<Map<String, Object>> list = new ArrayList<>();
        new TreeMap<>(problems).values().forEach(p -> list.add(p.toMap()));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("problems", list);
        List<Map<String, Object>> lines = new ArrayList<>();
        new TreeMap<>(files).forEach((file, found) -> found.forEach(p -> lines.add(p.toMap(file))));
        status.put("files", lines);
        status.put("limit", MAX_PROBLEMS);
        return status;
    }

    static String describe(Object value) {
        return value instanceof String[] texts ? String.join(",", Arrays.asList(texts)) : String.valueOf(value);
    }
}
