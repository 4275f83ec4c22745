package io.earshot.scripts.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example plugins (plugins-examples) as one source file each, for the editor's Examples
 * menu: the plugin's class first, then the classes it uses from its own and other examples'
 * packages, made package-private, with one package line and the imports of all of them.
 */
final class ExampleSources {

    /** One example: its name (its module's), a title, what it does (its class's first sentence) and the source. */
    record Example(String name, String title, String description, String source) {
    }

    private static final String EXAMPLES_PACKAGE = "io.earshot.examples.";
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);\\s*$", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.*]+);\\s*$", Pattern.MULTILINE);
    private static final Pattern TOP_LEVEL_PUBLIC = Pattern.compile("^public\\s+(?=(final\\s+|abstract\\s+)*(class|record|interface|enum|@interface)\\b)",
            Pattern.MULTILINE);
    private static final Pattern PLUGIN_CLASS = Pattern.compile("^public\\s+(final\\s+)?class\\s+\\w+\\s+implements\\s+[^{]*\\bAudioListener\\b",
            Pattern.MULTILINE);
    private static final Pattern CLASS_JAVADOC = Pattern.compile("/\\*\\*(.*?)\\*/\\s*(@[\\s\\S]*?)?^public", Pattern.MULTILINE | Pattern.DOTALL);

    /** A source file of an example module: its module, its package and its text. */
    record SourceFile(String module, String className, String text) {
        String pkg() {
            Matcher m = PACKAGE.matcher(text);
            return m.find() ? m.group(1) : "";
        }
    }

    private final Map<String, SourceFile> byClass = new TreeMap<>();

    ExampleSources(List<SourceFile> files) {
        for (SourceFile file : files) byClass.put(file.pkg() + "." + file.className(), file);
    }

    /** Every example with a plugin class, by name. */
    Map<String, Example> examples() {
        Map<String, Example> examples = new TreeMap<>();
        for (SourceFile file : byClass.values()) {
            if (PLUGIN_CLASS.matcher(file.text()).find()) {
                Example example = merge(file);
                examples.put(example.name(), example);
            }
        }
        return examples;
    }

    private Example merge(SourceFile plugin) {
        List<SourceFile> parts = new ArrayList<>();
        parts.add(plugin);
        for (SourceFile file : byClass.values()) {
            if (file != plugin && file.module().equals(plugin.module())) parts.add(file);
        }
        // classes of other examples' packages it imports, and what those import in turn
        for (int i = 0; i < parts.size(); i++) {
            for (String imported : imports(parts.get(i).text())) {
                SourceFile used = byClass.get(imported);
                if (used != null && !parts.contains(used)) parts.add(used);
            }
        }
        Set<String> importLines = new TreeSet<>();
        StringBuilder body = new StringBuilder();
        for (SourceFile part : parts) {
            Matcher imports = IMPORT.matcher(part.text());
            while (imports.find()) {
                if (!byClass.containsKey(imports.group(2))) importLines.add(imports.group());
            }
            String text = IMPORT.matcher(PACKAGE.matcher(part.text()).replaceAll("")).replaceAll("").strip();
            if (part != plugin) text = TOP_LEVEL_PUBLIC.matcher(text).replaceAll("");
            body.append("\n\n").append(text);
        }
        String name = plugin.module();
        StringBuilder source = new StringBuilder();
        source.append("// The example plugin '").append(name).append("' (plugins-examples/").append(name)
                .append(") as one file. Run it as it is, or change it and run it again.\n");
        source.append("package ").append(plugin.pkg()).append(";\n\n");
        source.append(String.join("\n", importLines)).append(body).append('\n');
        return new Example(name, Character.toUpperCase(name.charAt(0)) + name.substring(1), description(plugin.text()), source.toString());
    }

    private static List<String> imports(String text) {
        List<String> found = new ArrayList<>();
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
            if (m.group(1) == null && m.group(2).startsWith(EXAMPLES_PACKAGE)) found.add(m.group(2));
        }
        return found;
    }

    /** The first sentence of the class's javadoc, on one line. */
    private static String description(String text) {
        Matcher m = CLASS_JAVADOC.matcher(text);
        if (!m.find()) {
            return "";
        }
        String doc = m.group(1).replaceAll("\\s*\\n\\s*\\*\\s?", " ").replaceAll("\\{@\\w+ ([^}]*)}", "$1")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip();
        int end = doc.indexOf(". ");
        return end > 0 ? doc.substring(0, end + 1) : doc;
    }

    static Map<String, Object> summary(Example example) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", example.name());
        map.put("title", example.title());
        map.put("description", example.description());
        return map;
    }
}
