package dev.greenhub.example.servers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line the example programs share:
 * {@code [--hub NAME] [--bind ADDRESS] [--help] POSITIONAL...}, where the first positional
 * argument is the port to listen on. Wrong input is an {@link IllegalArgumentException} whose
 * message says what is wrong; the mains print it with their usage.
 *
 * @param hub the hub provider's name, or null for greenhub's selection
 * @param bind the address to listen on (127.0.0.1 unless {@code --bind})
 * @param positionals the arguments that are not options, in order
 * @param help whether {@code --help} was given
 */
record ServerArgs(String hub, String bind, List<String> positionals, boolean help) {
    static final String DEFAULT_BIND = "127.0.0.1";

    static ServerArgs parse(String... args) {
        String hub = null;
        String bind = DEFAULT_BIND;
        boolean help = false;
        List<String> positionals = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--hub" -> hub = value(args, ++i, arg);
                case "--bind" -> bind = value(args, ++i, arg);
                case "-h", "--help" -> help = true;
                default -> {
                    if (arg.startsWith("--hub=")) {
                        hub = nonEmpty(arg.substring(6), "--hub");
                    } else if (arg.startsWith("--bind=")) {
                        bind = nonEmpty(arg.substring(7), "--bind");
                    } else if (arg.startsWith("-") && !arg.equals("-")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    } else {
                        positionals.add(arg);
                    }
                }
            }
        }
        return new ServerArgs(hub, bind, List.copyOf(positionals), help);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return nonEmpty(args[i], option);
    }

    private static String nonEmpty(String value, String option) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " needs a non-empty value");
        }
        return value;
    }

    /**
     * The address to listen on: {@link #bind} and the first positional argument, or
     * {@code defaultPort} when there is none.
     */
    InetSocketAddress listenAddress(int defaultPort) {
        int port = positionals.isEmpty() ? defaultPort : port(positionals.getFirst(), "port");
        return new InetSocketAddress(bind, port);
    }

    /** Refuses positional arguments beyond the first {@code count}. */
    ServerArgs atMost(int count) {
        if (positionals.size() > count) {
            throw new IllegalArgumentException("unexpected argument " + positionals.get(count));
        }
        return this;
    }

    static int port(String text, String what) {
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number from 0 to 65535, not '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " must be from 0 to 65535, not " + port);
        }
        return port;
    }

    /**
     * Parses {@code HOST:PORT} ({@code [IPV6]:PORT} for an IPv6 literal); the host is resolved
     * later, when connecting.
     */
    static InetSocketAddress hostAndPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("target must be HOST:PORT, not '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("write an IPv6 target as [ADDRESS]:PORT, not '" + text + "'");
        }
        int port = port(text.substring(colon + 1), "target port");
        if (port == 0) {
            throw new IllegalArgumentException("target port must not be 0: '" + text + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Starts a server for a main. */
    @FunctionalInterface
    interface Starter {
        RunningServer start() throws IOException;
    }

    /**
     * For mains: starts the server; if it cannot start (the port is taken, the hub is missing),
     * prints why and exits with status 1.
     */
    static RunningServer startOrExit(String program, Starter starter) {
        try {
            return starter.start();
        } catch (IOException | RuntimeException e) {
            System.err.println(program + ": cannot start: " + e.getMessage());
            System.exit(1);
            throw new AssertionError("unreachable");
        }
    }

    /** For mains: prints the problem and the usage, and exits with status 2. */
    static void fail(String usage, String problem) {
        System.err.println(problem);
        System.err.println(usage);
        System.exit(2);
    }
}
