package dev.greenhub.tck;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The process's open fds that a hub could leak (pipes, sockets, eventfds, epoll instances), read
 * from {@code /proc/self/fd}. Regular files are left out: the JVM opens jars and libraries lazily,
 * and those are not a hub's doing.
 */
final class FdSnapshot {
    private static final Path PROC_FDS = Path.of("/proc/self/fd");

    private final Map<Integer, String> fds;

    private FdSnapshot(Map<Integer, String> fds) {
        this.fds = fds;
    }

    static boolean supported() {
        return Files.isDirectory(PROC_FDS);
    }

    static FdSnapshot take() {
        Map<Integer, String> fds = new TreeMap<>();
        if (!supported()) {
            return new FdSnapshot(fds);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC_FDS)) {
            for (Path entry : entries) {
                String target;
                try {
                    target = Files.readSymbolicLink(entry).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile, or the directory stream's own fd
                }
                if (target.startsWith("pipe:") || target.startsWith("socket:") || target.startsWith("anon_inode:")) {
                    fds.put(Integer.parseInt(entry.getFileName().toString()), target);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
        return new FdSnapshot(fds);
    }

    /** The fds open now that were not open (with the same target) in {@code before}. */
    List<String> addedSince(FdSnapshot before) {
        List<String> added = new ArrayList<>();
        fds.forEach((fd, target) -> {
            if (!target.equals(before.fds.get(fd))) {
                added.add("fd " + fd + " -> " + target);
            }
        });
        return added;
    }
}
