package dev.monitoring.runner.execution;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;

/** Checks that an expected output (a path or a glob such as {@code out/*.csv}) exists and is newer than a start. */
final class ExpectedOutput {
    private ExpectedOutput() {
    }

    static boolean producedSince(String glob, String workingDir, Instant start) {
        Path base = workingDir == null ? Path.of("").toAbsolutePath() : Path.of(workingDir);
        Path pattern = base.resolve(glob).normalize();
        // Walk only from the longest prefix without glob characters.
        Path root = pattern.getRoot() == null ? base : pattern.getRoot();
        for (Path part : pattern.getRoot() == null ? pattern : root.relativize(pattern)) {
            if (part.toString().matches(".*[*?\\[{].*")) {
                break;
            }
            root = root.resolve(part);
        }
        if (root.equals(pattern)) {
            return isNewer(pattern, start);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(root, 16)) {
            return files.anyMatch(p -> matcher.matches(p) && isNewer(p, start));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isNewer(Path file, Instant start) {
        try {
            // Whole seconds: some file systems keep coarse modification times.
            FileTime modified = Files.getLastModifiedTime(file);
            return Files.isRegularFile(file) && modified.toInstant().getEpochSecond() >= start.getEpochSecond();
        } catch (IOException e) {
            return false;
        }
    }
}
