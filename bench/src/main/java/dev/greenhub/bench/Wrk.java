package dev.greenhub.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W8's load generator, <a href="https://github.com/wg/wrk">wrk</a> (the Debian/Ubuntu package
 * {@code wrk}): finding or installing it, running it against a URL and reading its report.
 */
final class Wrk {
    private static final Pattern RATE = Pattern.compile("(?m)^Requests/sec:\\s+([0-9.]+)\\s*$");
    private static final Pattern TOTAL = Pattern.compile("(?m)^\\s*(\\d+) requests in ([0-9.]+)(us|ms|s|m)");
    private static final Pattern PERCENTILE = Pattern.compile("(?m)^\\s*(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s|m)\\s*$");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "(?m)^\\s*Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("(?m)^\\s*Non-2xx or 3xx responses: (\\d+)");

    private Wrk() {
    }

    /** Where wrk is, or why there is none (with how to install it). */
    record Found(String path, String note) {
    }

    /**
     * wrk on the PATH; when missing, tries {@code apt-get install -y wrk} (as root, or with
     * {@code sudo -n} when that needs no password), bounded to 5 minutes.
     *
     * @param progress told what is being tried
     * @return the path, or null with the reason and how to install it
     */
    static Found findOrInstall(java.util.function.Consumer<String> progress) {
        String wrk = NativeTools.onPath(List.of("wrk"));
        if (wrk != null) {
            return new Found(wrk, "wrk " + wrk);
        }
        String apt = NativeTools.onPath(List.of("apt-get"));
        String how = "install wrk (Debian/Ubuntu: sudo apt-get install wrk) and run again";
        if (apt == null) {
            return new Found(null, "wrk is not installed and there is no apt-get here: " + how);
        }
        List<String> command = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            String sudo = NativeTools.onPath(List.of("sudo"));
            if (sudo == null || !succeeds(List.of(sudo, "-n", "true"), 20)) {
                return new Found(null, "wrk is not installed, and apt-get needs root (no password-less sudo): " + how);
            }
            command.addAll(List.of(sudo, "-n"));
        }
        progress.accept("wrk is not installed: trying " + (root ? "" : "sudo -n ") + "apt-get install -y wrk");
        command.addAll(List.of(apt, "install", "-y", "-q", "wrk"));
        if (!succeeds(command, 300)) {
            return new Found(null, "wrk is not installed and '" + String.join(" ", command) + "' failed: " + how);
        }
        wrk = NativeTools.onPath(List.of("wrk"));
        return wrk == null ? new Found(null, "apt-get installed wrk but it is not on the PATH: " + how)
                : new Found(wrk, "wrk " + wrk + " (installed now with apt-get)");
    }

    private static boolean succeeds(List<String> command, long seconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The command for one run: one wrk thread, {@code connections} keep-alive connections, the
     * latency distribution on.
     *
     * @param wrk the wrk binary
     * @param connections connections held open
     * @param seconds how long, at least 1 (wrk counts whole seconds)
     * @param url the URL
     * @return the command (without pinning)
     */
    static List<String> command(String wrk, int connections, int seconds, String url) {
        return new ArrayList<>(List.of(wrk, "-t1", "-c" + connections, "-d" + seconds + "s", "--timeout", "5s",
                "--latency", url));
    }

    /**
     * Reads wrk's report.
     *
     * @param output what wrk printed
     * @return {@code requests_per_s}, {@code p50_us}, {@code p99_us}, {@code requests} and
     *     {@code socket_errors} (connect, read, write and timeout errors wrk counted; 0 when it
     *     printed none)
     * @throws IllegalArgumentException if a number is missing, or if any response was not 2xx/3xx
     *     (a server that answers wrongly has no rate)
     */
    static Map<String, String> parse(String output) {
        Matcher rate = RATE.matcher(output);
        Matcher total = TOTAL.matcher(output);
        if (!rate.find() || !total.find()) {
            throw new IllegalArgumentException("wrk printed no request rate: " + output.strip());
        }
        Map<Integer, Double> percentiles = new java.util.HashMap<>();
        Matcher p = PERCENTILE.matcher(output);
        while (p.find()) {
            percentiles.put(Integer.parseInt(p.group(1)), micros(Double.parseDouble(p.group(2)), p.group(3)));
        }
        if (!percentiles.containsKey(50) || !percentiles.containsKey(99)) {
            throw new IllegalArgumentException("wrk printed no latency distribution (--latency): " + output.strip());
        }
        Matcher bad = NON_2XX.matcher(output);
        if (bad.find() && Long.parseLong(bad.group(1)) > 0) {
            throw new IllegalArgumentException("the server answered " + bad.group(1) + " requests with a status"
                    + " other than 2xx/3xx");
        }
        long socketErrors = 0;
        Matcher errors = SOCKET_ERRORS.matcher(output);
        if (errors.find()) {
            for (int g = 1; g <= 4; g++) {
                socketErrors += Long.parseLong(errors.group(g));
            }
        }
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("requests_per_s", Long.toString(Math.round(Double.parseDouble(rate.group(1)))));
        metrics.put("p50_us", fmt(percentiles.get(50)));
        metrics.put("p99_us", fmt(percentiles.get(99)));
        metrics.put("requests", total.group(1));
        metrics.put("socket_errors", Long.toString(socketErrors));
        return metrics;
    }

    private static double micros(double value, String unit) {
        return switch (unit) {
            case "us" -> value;
            case "ms" -> value * 1e3;
            case "s" -> value * 1e6;
            case "m" -> value * 60e6;
            default -> throw new IllegalArgumentException("unknown wrk time unit " + unit);
        };
    }

    private static String fmt(double micros) {
        return String.format(Locale.ROOT, "%.1f", micros);
    }
}
