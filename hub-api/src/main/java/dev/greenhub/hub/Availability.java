package dev.greenhub.hub;

import java.util.Objects;

/**
 * Whether a {@link HubProvider} can open hubs on this machine, and the reason when it cannot.
 *
 * @param available true if {@link HubProvider#open()} is expected to work
 * @param reason why it is unavailable (wrong OS, native library missing, a probe's error);
 *     {@code "available"} when it is
 */
public record Availability(boolean available, String reason) {

    /** The available state. */
    public static final Availability AVAILABLE = new Availability(true, "available");

    /** Checks the reason. */
    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * An unavailable state.
     *
     * @param reason why, in a sentence a user can act on
     * @return the state
     */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }

    /**
     * An unavailable state caused by a probe's failure.
     *
     * @param what what was being probed, such as {@code "epoll_create1"}
     * @param cause what the probe threw
     * @return the state, with the cause's type and message in the reason
     */
    public static Availability unavailable(String what, Throwable cause) {
        return new Availability(false, what + " failed: " + cause);
    }
}
