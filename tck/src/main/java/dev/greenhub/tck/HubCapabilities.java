package dev.greenhub.tck;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the TCK may expect of one hub: its fd limit, how many fds the many-fds rule uses, its wait
 * resolution, how soon it notices an fd closed behind its back, and the optional {@link Feature}s
 * it lacks.
 *
 * <h2>Declaring capabilities</h2>
 * A hub module declares them in a class-path resource of its main jar,
 * {@code META-INF/greenhub/tck/<provider name>.properties}, with these keys (all optional):
 * <pre>
 * fd.limit = unlimited             # the hub's fdLimit(): a number, or unlimited for Integer.MAX_VALUE
 * lacks = HANGUP,SOCKET_ERROR      # optional features the hub does not support
 * many.fds = 10000                 # fds the many-fds rule registers (default 10000; 1000 when fdLimit() &lt;= 1024)
 * timer.resolution.ms = 1          # the hub's wait resolution (default 1)
 * closed.fd.detection.ms = 0       # delay before an fd closed behind its back is reported (default 0: next poll)
 * </pre>
 * {@link #load(HubProvider)} reads it (both {@link HubTck} and the {@link Tck} runner do so by
 * default). A hub author may instead build the capabilities in code with {@link #builder(int)}
 * and return them from {@link HubTck#capabilities()}. Unknown keys and malformed values are
 * errors naming the resource, the key and the value, so that a typo is not silently ignored. A
 * missing resource, or one without {@code fd.limit}, is not an error but a {@link #warnings()
 * warning} that the runner prints: the rules then expect every optional feature, and take the fd
 * limit from the hub itself (so the rule comparing the two cannot fail). {@link #source()} says
 * where the capabilities came from.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class HubCapabilities {
    /** The folder of the capability resources inside a hub's jar. */
    public static final String RESOURCE_FOLDER = "META-INF/greenhub/tck/";
    /** The default number of fds the many-fds rule registers. */
    public static final int DEFAULT_MANY_FDS = 10_000;
    /** The number of fds the many-fds rule registers by default when the fd limit is 1024 or less. */
    public static final int DEFAULT_MANY_FDS_SMALL_LIMIT = 1_000;

    static final String KEY_FD_LIMIT = "fd.limit";
    static final String KEY_LACKS = "lacks";
    static final String KEY_MANY_FDS = "many.fds";
    static final String KEY_TIMER_RESOLUTION = "timer.resolution.ms";
    static final String KEY_CLOSED_FD_DETECTION = "closed.fd.detection.ms";
    private static final Set<String> KEYS = Set.of(KEY_FD_LIMIT, KEY_LACKS, KEY_MANY_FDS, KEY_TIMER_RESOLUTION,
            KEY_CLOSED_FD_DETECTION);

    private final int fdLimit;
    private final int manyFds;
    private final Duration timerResolution;
    private final Duration closedFdDetection;
    private final Set<Feature> lacks;
    private final String source;
    private final List<String> warnings;

    private HubCapabilities(Builder b) {
        this.source = b.source;
        this.warnings = List.copyOf(b.warnings);
        this.fdLimit = b.fdLimit;
        this.manyFds = b.manyFds != null ? b.manyFds : defaultManyFds(b.fdLimit);
        this.timerResolution = b.timerResolution;
        this.closedFdDetection = b.closedFdDetection;
        this.lacks = b.lacks.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(b.lacks));
    }

    /**
     * The many-fds default for a limit: {@value #DEFAULT_MANY_FDS}, or
     * {@value #DEFAULT_MANY_FDS_SMALL_LIMIT} when the limit is 1024 or less.
     *
     * @param fdLimit the hub's {@link Hub#fdLimit()}
     * @return the default
     */
    public static int defaultManyFds(int fdLimit) {
        return fdLimit <= 1024 ? DEFAULT_MANY_FDS_SMALL_LIMIT : DEFAULT_MANY_FDS;
    }

    /**
     * A builder with the defaults for a hub whose {@link Hub#fdLimit()} is {@code fdLimit}: no
     * lacked feature, the default many-fds count, 1 ms timer resolution, closed fds detected at
     * the next poll.
     *
     * @param fdLimit the hub's fd limit, positive
     * @return the builder
     * @throws IllegalArgumentException if {@code fdLimit} is not positive
     */
    public static Builder builder(int fdLimit) {
        return new Builder(fdLimit);
    }

    /**
     * The capabilities of {@code provider}'s hubs: its resource
     * {@code META-INF/greenhub/tck/<name>.properties} read from the provider's class loader, over
     * defaults derived from a hub it opens (and closes) to learn {@link Hub#fdLimit()}. When the
     * provider cannot open a hub, the fd limit is taken as unlimited; the rules that open hubs
     * then report the failure.
     *
     * @param provider the provider
     * @return the capabilities
     * @throws IllegalArgumentException if the resource has an unknown key or a malformed value
     * @throws UncheckedIOException if the resource cannot be read
     */
    public static HubCapabilities load(HubProvider provider) {
        Objects.requireNonNull(provider, "provider");
        int limit = Integer.MAX_VALUE;
        try (Hub hub = provider.open()) {
            limit = hub.fdLimit();
        } catch (IOException | RuntimeException e) {
            // Left unlimited: the availability and open rules report this failure with its cause.
        }
        ClassLoader loader = provider.getClass().getClassLoader();
        return load(provider.name(), loader != null ? loader : ClassLoader.getSystemClassLoader(), limit);
    }

    /**
     * The capabilities declared for the provider named {@code providerName} in {@code loader}'s
     * resource {@code META-INF/greenhub/tck/<providerName>.properties}, over the defaults for
     * {@code fdLimit}; the defaults alone when there is no such resource.
     *
     * @param providerName the provider's name
     * @param loader where to look for the resource
     * @param fdLimit the hub's fd limit, positive
     * @return the capabilities
     * @throws IllegalArgumentException if the resource has an unknown key or a malformed value
     * @throws UncheckedIOException if the resource cannot be read
     */
    public static HubCapabilities load(String providerName, ClassLoader loader, int fdLimit) {
        String resource = resourceName(providerName);
        URL url = loader.getResource(resource);
        if (url == null) {
            Builder b = builder(fdLimit);
            b.source = "defaults: no " + resource + " on the class path";
            b.warnings.add("no capabilities file " + resource + " for the hub '" + providerName + "'"
                    + CapabilityFiles.describeOthers(loader, RESOURCE_FOLDER) + ": the rules expect every optional"
                    + " feature and take fd.limit from the hub (" + describeLimit(fdLimit) + ")");
            return b.build();
        }
        Properties properties = new Properties();
        try (InputStream in = url.openStream()) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
        return fromProperties(properties, url.toString(), fdLimit);
    }

    private static String describeLimit(int fdLimit) {
        return fdLimit == Integer.MAX_VALUE ? "unlimited" : String.valueOf(fdLimit);
    }

    /**
     * The resource path the capabilities of the provider named {@code providerName} are read from.
     *
     * @param providerName the provider's name
     * @return {@code META-INF/greenhub/tck/<providerName>.properties}
     */
    public static String resourceName(String providerName) {
        return RESOURCE_FOLDER + providerName + ".properties";
    }

    /**
     * Capabilities from properties with the keys the class documentation lists, over the defaults
     * for {@code fdLimit}.
     *
     * @param properties the declared values
     * @param source where they came from, for error messages
     * @param fdLimit the hub's fd limit, positive
     * @return the capabilities
     * @throws IllegalArgumentException if there is an unknown key or a malformed value
     */
    public static HubCapabilities fromProperties(Properties properties, String source, int fdLimit) {
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(source + ": unknown key '" + key + "'; the keys are "
                        + new TreeSet<>(KEYS));
            }
        }
        String limit = properties.getProperty(KEY_FD_LIMIT);
        List<String> warnings = new ArrayList<>();
        int declaredLimit = fdLimit;
        if (limit == null) {
            warnings.add(source + " does not declare " + KEY_FD_LIMIT + ": taken from the hub ("
                    + describeLimit(fdLimit) + "); declare it (a number, or 'unlimited') so that R03 can check it");
        } else if (limit.strip().equalsIgnoreCase("unlimited")) {
            declaredLimit = Integer.MAX_VALUE;
        } else {
            long v = number(source, KEY_FD_LIMIT, limit);
            if (v < 1 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(source + ": " + KEY_FD_LIMIT + " must be a positive int or"
                        + " 'unlimited', got '" + limit.strip() + "'");
            }
            declaredLimit = (int) v;
        }
        Builder b = builder(declaredLimit);
        b.source = source;
        b.warnings.addAll(warnings);
        String lacks = properties.getProperty(KEY_LACKS);
        if (lacks != null) {
            for (String name : lacks.split(",")) {
                String n = name.strip();
                if (!n.isEmpty()) {
                    b.lacks(feature(n, source));
                }
            }
        }
        String many = properties.getProperty(KEY_MANY_FDS);
        if (many != null) {
            long v = number(source, KEY_MANY_FDS, many);
            if (v < 1 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(source + ": " + KEY_MANY_FDS + " must be a positive int, got '"
                        + many.strip() + "'");
            }
            b.manyFds((int) v);
        }
        String resolution = properties.getProperty(KEY_TIMER_RESOLUTION);
        if (resolution != null) {
            long v = number(source, KEY_TIMER_RESOLUTION, resolution);
            if (v < 0) {
                throw new IllegalArgumentException(source + ": " + KEY_TIMER_RESOLUTION
                        + " must not be negative, got '" + resolution.strip() + "'");
            }
            b.timerResolution(Duration.ofMillis(v));
        }
        String detection = properties.getProperty(KEY_CLOSED_FD_DETECTION);
        if (detection != null) {
            long v = number(source, KEY_CLOSED_FD_DETECTION, detection);
            if (v < 0) {
                throw new IllegalArgumentException(source + ": " + KEY_CLOSED_FD_DETECTION
                        + " must not be negative, got '" + detection.strip() + "'");
            }
            b.closedFdDetection(Duration.ofMillis(v));
        }
        return b.build();
    }

    private static Feature feature(String name, String source) {
        try {
            return Feature.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": unknown feature '" + name + "' in " + KEY_LACKS
                    + "; the features are " + EnumSet.allOf(Feature.class), e);
        }
    }

    private static long number(String source, String key, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": " + key + " must be a whole number, got '"
                    + value.strip() + "'", e);
        }
    }

    /**
     * The exclusive upper bound of the fds the hub accepts ({@link Hub#fdLimit()}).
     *
     * @return the limit; {@link Integer#MAX_VALUE} for no limit of the hub's own
     */
    public int fdLimit() {
        return fdLimit;
    }

    /**
     * Whether the hub has a limit of its own below {@link Integer#MAX_VALUE}.
     *
     * @return true for a finite limit, such as select's 1024
     */
    public boolean hasFiniteFdLimit() {
        return fdLimit < Integer.MAX_VALUE;
    }

    /**
     * How many fds the many-fds rule registers (pipes: half as many pipes).
     *
     * @return the count, positive
     */
    public int manyFds() {
        return manyFds;
    }

    /**
     * The hub's wait resolution; timing rules allow it on top of their generous margins.
     *
     * @return the resolution
     */
    public Duration timerResolution() {
        return timerResolution;
    }

    /**
     * How long after an fd is closed behind its back the hub reports ERROR for it: zero for the
     * next poll, the probe interval for hubs that must probe (epoll: 1 s).
     *
     * @return the delay
     */
    public Duration closedFdDetection() {
        return closedFdDetection;
    }

    /**
     * The optional features the hub lacks.
     *
     * @return an unmodifiable set
     */
    public Set<Feature> lacks() {
        return lacks;
    }

    /**
     * Whether the hub lacks {@code feature}.
     *
     * @param feature a feature
     * @return true if lacked (its rules are skipped)
     */
    public boolean lacks(Feature feature) {
        return lacks.contains(feature);
    }

    /**
     * Where these capabilities came from: the URL of the capabilities file, {@code "code"} for
     * capabilities built with {@link #builder(int)}, or a sentence saying that defaults were used.
     *
     * @return the source
     */
    public String source() {
        return source;
    }

    /**
     * What is wrong with the declaration: no capabilities file for the hub (with the files found
     * instead, if any, since a misnamed file is a common mistake), or no {@code fd.limit} in it.
     * Empty when the declaration is complete.
     *
     * @return the warnings, unmodifiable
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The line the command-line runner prints about the capabilities it used.
     *
     * @return {@code "capabilities: ... (from SOURCE)"}
     */
    public String describe() {
        return "capabilities: " + this + " (from " + source + ")";
    }

    /**
     * A builder initialised from these capabilities.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(fdLimit).manyFds(manyFds).timerResolution(timerResolution)
                .closedFdDetection(closedFdDetection);
        lacks.forEach(b::lacks);
        b.source = source;
        b.warnings.addAll(warnings);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HubCapabilities c && c.fdLimit == fdLimit && c.manyFds == manyFds
                && c.timerResolution.equals(timerResolution) && c.closedFdDetection.equals(closedFdDetection)
                && c.lacks.equals(lacks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fdLimit, manyFds, timerResolution, closedFdDetection, lacks);
    }

    @Override
    public String toString() {
        return "fdLimit=" + (hasFiniteFdLimit() ? String.valueOf(fdLimit) : "unlimited") + ", manyFds=" + manyFds
                + ", timerResolution=" + timerResolution.toNanos() / 1_000 + "us"
                + ", closedFdDetection=" + closedFdDetection.toMillis() + "ms"
                + ", lacks=" + (lacks.isEmpty() ? "nothing" : lacks.toString());
    }

    /** Builds {@link HubCapabilities}; not thread-safe. */
    public static final class Builder {
        private final int fdLimit;
        private Integer manyFds;
        private Duration timerResolution = Duration.ofMillis(1);
        private Duration closedFdDetection = Duration.ZERO;
        private final EnumSet<Feature> lacks = EnumSet.noneOf(Feature.class);
        private String source = "code";
        private final List<String> warnings = new ArrayList<>();

        private Builder(int fdLimit) {
            if (fdLimit <= 0) {
                throw new IllegalArgumentException("fdLimit must be positive, got " + fdLimit);
            }
            this.fdLimit = fdLimit;
        }

        /**
         * Sets how many fds the many-fds rule registers.
         *
         * @param count positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder manyFds(int count) {
            if (count <= 0) {
                throw new IllegalArgumentException("manyFds must be positive, got " + count);
            }
            this.manyFds = count;
            return this;
        }

        /**
         * Sets the hub's wait resolution.
         *
         * @param resolution not negative
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder timerResolution(Duration resolution) {
            if (resolution.isNegative()) {
                throw new IllegalArgumentException("timerResolution must not be negative, got " + resolution);
            }
            this.timerResolution = resolution;
            return this;
        }

        /**
         * Sets the delay before an fd closed behind the hub's back is reported.
         *
         * @param delay not negative; zero for the next poll
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder closedFdDetection(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("closedFdDetection must not be negative, got " + delay);
            }
            this.closedFdDetection = delay;
            return this;
        }

        /**
         * Declares that the hub lacks {@code feature}: its rules are skipped.
         *
         * @param feature the feature
         * @return this builder
         */
        public Builder lacks(Feature feature) {
            lacks.add(Objects.requireNonNull(feature, "feature"));
            return this;
        }

        /**
         * Builds the capabilities.
         *
         * @return the capabilities
         */
        public HubCapabilities build() {
            return new HubCapabilities(this);
        }
    }
}
