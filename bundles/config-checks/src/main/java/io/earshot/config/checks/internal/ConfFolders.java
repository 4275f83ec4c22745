package io.earshot.config.checks.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Looks at the {@code .cfg} files of FileInstall's folders (once a second, as FileInstall itself
 * polls) and checks each new or changed one with {@link CfgFileCheck}: FileInstall refuses such
 * a file without a word where a user looks.
 */
final class ConfFolders implements Runnable {

    private final List<Path> folders;
    private final ConfigChecks checks;
    /** Modification time and size of each file as last checked. */
    private final Map<Path, String> checked = new HashMap<>();

    ConfFolders(List<Path> folders, ConfigChecks checks) {
        this.folders = folders;
        this.checks = checks;
    }

    /** FileInstall's folders from its framework property (comma-separated), as it reads them. */
    static List<Path> of(String property) {
        if (property == null || property.isBlank()) return List.of();
        return java.util.Arrays.stream(property.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList();
    }

    @Override
    public void run() {
        Set<Path> present = new HashSet<>();
        for (Path folder : folders) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.cfg")) {
                for (Path file : files) {
                    present.add(file);
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    String stamp = attributes.lastModifiedTime().toMillis() + "/" + attributes.size();
                    if (!stamp.equals(checked.get(file))) {
                        checked.put(file, stamp);
                        // byte for byte: a line is judged by its syntax, whatever the encoding
                        checks.fileChecked(name(file), CfgFileCheck.check(Files.readString(file, StandardCharsets.ISO_8859_1)));
                    }
                }
            } catch (IOException e) {
                // a folder that is not there (yet), or a file that went while being read: looked at again next time
            }
        }
        checked.keySet().removeIf(file -> {
            boolean gone = !present.contains(file);
            if (gone) checks.fileChecked(name(file), List.of());
            return gone;
        });
    }

    private static String name(Path file) {
        Path folder = file.getParent();
        return (folder == null || folder.getFileName() == null ? "" : folder.getFileName() + "/") + file.getFileName();
    }
}
