package dev.taskmanager.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Confines requested paths to the directories the operator allowed, when a request arrives, so that
 * a bad path is refused with a clear message (a 400 over HTTP) before any task starts. Every check
 * returns a {@link Location}: the allowed root (or the work directory) the path lies in, and the
 * names leading from it to the path's real location.
 *
 * <p>A path is first normalised and checked lexically, before it is touched: a path outside every
 * allowed directory is refused without revealing whether it exists. Then its real path is resolved
 * and checked again, which catches {@code ..} behind symbolic links and links that point outside.
 * The scanned directory must lie under an allowed root; a manifest to read or an output to write
 * may also lie under the work directory, where outputs go by default.
 *
 * <p>These checks are a courtesy, not the defence: a path can be swapped for a symbolic link between
 * the check and its use. The operations never use a checked path as a path: they open the location's
 * root and walk its names one by one relative to the open directories, without following links
 * ({@link OpenDirectory}).
 *
 * <p>Immutable and thread-safe.
 */
final class PathPolicy {
    static final String HOW_TO_ALLOW = "allow a directory with --allow-path <dir> "
            + "(in a library: the allowedRoots of FilesWorkload.create)";

    /** Allowed roots, as real paths. */
    private final List<Path> roots = new ArrayList<>();
    /** Allowed roots as given (absolute, normalised) and as real paths, for the lexical check. */
    private final List<Path> lexicalRoots = new ArrayList<>();
    /** Allowed roots as given, for messages. */
    private final List<Path> shownRoots = new ArrayList<>();
    private final Path workDirectory;
    private final Path workDirectoryGiven;

    /**
     * @throws IllegalArgumentException if an allowed root or the work directory does not exist or is
     *                                  not a directory
     */
    PathPolicy(Collection<Path> allowedRoots, Path workDirectory) {
        for (Path root : allowedRoots) {
            Objects.requireNonNull(root, "allowed root");
            Path given = root.toAbsolutePath().normalize();
            Path real = realDirectory("allowed root", given);
            roots.add(real);
            lexicalRoots.add(given);
            lexicalRoots.add(real);
            shownRoots.add(given);
        }
        this.workDirectoryGiven = workDirectory.toAbsolutePath().normalize();
        this.workDirectory = realDirectory("work directory", workDirectoryGiven);
    }

    /**
     * Where a checked path is: an allowed root (or the work directory), as a real path, and the names
     * of the entries leading from it to the path. The path itself is never opened as a path.
     *
     * @param root  the real path of an allowed root or of the work directory
     * @param names single path components, possibly none (the root itself)
     */
    record Location(Path root, List<String> names) {
        Location {
            names = List.copyOf(names);
        }

        /** The path this location stood for when it was checked. */
        Path path() {
            Path path = root;
            for (String name : names) {
                path = path.resolve(name);
            }
            return path;
        }

        /** The last name: the file itself. */
        String name() {
            return names.get(names.size() - 1);
        }

        /** The names up to the file's directory. */
        List<String> directoryNames() {
            return names.subList(0, names.size() - 1);
        }

        @Override
        public String toString() {
            return path().toString();
        }
    }

    /** The allowed roots as real paths. */
    List<Path> roots() {
        return List.copyOf(roots);
    }

    /** The work directory as a real path. */
    Path workDirectory() {
        return workDirectory;
    }

    /**
     * An existing directory under an allowed root: the directory to scan or verify.
     *
     * @throws IllegalArgumentException naming {@code parameter} and the path otherwise
     */
    Location directory(String parameter, Path requested) {
        Path normal = normalise(parameter, requested);
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("parameter '" + parameter + "': " + normal
                    + " is refused because no directory is allowed; " + HOW_TO_ALLOW);
        }
        requireInside(parameter, normal, null, false);
        Path real = realPath(parameter, normal);
        requireInside(parameter, normal, real, false);
        if (!Files.isDirectory(real)) {
            throw new IllegalArgumentException("parameter '" + parameter + "': " + normal + " is not a directory");
        }
        return locate(real, false);
    }

    /**
     * An existing regular file under an allowed root or the work directory: a manifest to read.
     *
     * @throws IllegalArgumentException naming {@code parameter} and the path otherwise
     */
    Location existingFile(String parameter, Path requested) {
        Path normal = normalise(parameter, requested);
        requireInside(parameter, normal, null, true);
        Path real = realPath(parameter, normal);
        requireInside(parameter, normal, real, true);
        if (!Files.isRegularFile(real)) {
            throw new IllegalArgumentException("parameter '" + parameter + "': " + normal + " is not a regular file");
        }
        return locate(real, true);
    }

    /**
     * A file to create, in an existing directory under an allowed root or the work directory. If the
     * file exists, it is refused unless {@code replace}, and then it must be a regular file (not a
     * directory, not a symbolic link).
     *
     * @return where to write: the real path of its directory plus its name
     * @throws IllegalArgumentException naming {@code parameter} and the path otherwise
     */
    Location newFile(String parameter, Path requested, boolean replace) {
        Path normal = normalise(parameter, requested);
        Path name = normal.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("parameter '" + parameter + "': " + normal + " is not a file name");
        }
        requireInside(parameter, normal, null, true);
        Path parent = normal.getParent();
        Path realParent;
        try {
            realParent = parent.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("parameter '" + parameter + "': directory " + parent + " of "
                    + normal + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("parameter '" + parameter + "': cannot resolve directory " + parent
                    + " of " + normal + ": " + e);
        }
        if (!Files.isDirectory(realParent)) {
            throw new IllegalArgumentException("parameter '" + parameter + "': " + parent + " is not a directory");
        }
        Path target = realParent.resolve(name);
        requireInside(parameter, normal, target, true);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("parameter '" + parameter + "': " + normal
                        + " exists and is not a regular file; it would not be replaced");
            }
            if (!replace) {
                throw new IllegalArgumentException("parameter '" + parameter + "': " + normal
                        + " exists; pass overwrite=true to replace it");
            }
        }
        return locate(target, true);
    }

    /** A file directly in the work directory. */
    Location inWorkDirectory(String name) {
        return new Location(workDirectory, List.of(name));
    }

    /** The location of {@code real}: the most specific root that contains it. */
    private Location locate(Path real, boolean workDirectoryToo) {
        Path best = null;
        List<Path> candidates = new ArrayList<>(roots);
        if (workDirectoryToo) {
            candidates.add(workDirectory);
        }
        for (Path root : candidates) {
            if (real.startsWith(root) && (best == null || root.getNameCount() > best.getNameCount())) {
                best = root;
            }
        }
        if (best == null) {
            throw new IllegalStateException(real + " was checked to be inside an allowed directory");
        }
        List<String> names = new ArrayList<>();
        for (Path name : best.relativize(real)) {
            if (!name.toString().isEmpty()) {
                names.add(name.toString());
            }
        }
        return new Location(best, names);
    }

    private static Path normalise(String parameter, Path requested) {
        if (requested == null) {
            throw new IllegalArgumentException("Missing mandatory parameter '" + parameter + "'");
        }
        return requested.toAbsolutePath().normalize();
    }

    private static Path realPath(String parameter, Path normal) {
        try {
            return normal.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("parameter '" + parameter + "': " + normal + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("parameter '" + parameter + "': cannot resolve " + normal + ": " + e);
        }
    }

    /**
     * Refuses the path unless it lies under an allowed root (or the work directory if
     * {@code workDirectoryToo}). Without a {@code resolved} path this is the lexical check of
     * {@code normal}, matched against the roots as given and as real paths; with one, the real-path
     * check, matched against real paths only.
     */
    private void requireInside(String parameter, Path normal, Path resolved, boolean workDirectoryToo) {
        boolean lexical = resolved == null;
        Path candidate = lexical ? normal : resolved;
        for (Path root : lexical ? lexicalRoots : roots) {
            if (candidate.startsWith(root)) {
                return;
            }
        }
        if (workDirectoryToo && (candidate.startsWith(workDirectory)
                || (lexical && candidate.startsWith(workDirectoryGiven)))) {
            return;
        }
        List<String> allowed = new ArrayList<>();
        for (Path root : shownRoots) {
            allowed.add(root.toString());
        }
        if (workDirectoryToo) {
            allowed.add(workDirectoryGiven + " (work directory)");
        }
        String where = lexical ? String.valueOf(normal) : normal + " resolves to " + candidate + ", which";
        throw new IllegalArgumentException("parameter '" + parameter + "': " + where
                + " is outside the allowed directories " + allowed + "; " + HOW_TO_ALLOW);
    }

    private static Path realDirectory(String what, Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + " " + path + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve " + what + " " + path + ": " + e);
        }
        if (!Files.isDirectory(real)) {
            throw new IllegalArgumentException(what + " " + path + " is not a directory");
        }
        return real;
    }
}
