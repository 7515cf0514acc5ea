package dev.greenhub.tck;

import java.io.File;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Lists the capability files a class loader holds, so that the warning about a missing one can
 * name the files found instead (a misnamed file is the usual mistake).
 */
final class CapabilityFiles {
    private CapabilityFiles() {
    }

    /**
     * {@code ", found instead: a.properties, b.properties"}, or empty when the folder holds none
     * (or cannot be listed).
     */
    static String describeOthers(ClassLoader loader, String folder) {
        TreeSet<String> names = new TreeSet<>();
        try {
            for (URL url : Collections.list(loader.getResources(folder))) {
                names.addAll(list(url, folder));
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        return names.isEmpty() ? "" : ", found instead: " + String.join(", ", names);
    }

    private static TreeSet<String> list(URL url, String folder) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        if ("file".equals(url.getProtocol())) {
            try {
                String[] files = new File(url.toURI()).list();
                if (files != null) {
                    for (String f : files) {
                        if (f.endsWith(".properties")) {
                            names.add(folder + f);
                        }
                    }
                }
            } catch (URISyntaxException e) {
                return names;
            }
        } else if ("jar".equals(url.getProtocol())) {
            URLConnection connection = url.openConnection();
            if (connection instanceof JarURLConnection jar) {
                jar.setUseCaches(false);
                try (JarFile file = jar.getJarFile()) {
                    for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                        String name = e.nextElement().getName();
                        if (name.startsWith(folder) && name.endsWith(".properties")) {
                            names.add(name);
                        }
                    }
                }
            }
        }
        return names;
    }
}
