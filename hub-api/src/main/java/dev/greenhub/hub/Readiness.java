package dev.greenhub.hub;

import java.util.StringJoiner;

/**
 * The bits a {@link Hub} uses for interest ({@link #READ}, {@link #WRITE}) and for reported
 * readiness (those two plus {@link #ERROR} and {@link #HANGUP}).
 *
 * <p>Interest is what {@link Hub#register(int, int)} takes: a non-empty combination of READ and
 * WRITE. Readiness is what a hub passes to {@link ReadyHandler#ready(int, int)}: READ and WRITE
 * are reported only when they were asked for; ERROR and HANGUP are always reported, whatever
 * the interest, and a waiter for either direction must treat them as "ready: the next call
 * will not block and will tell you what happened".
 */
public final class Readiness {
    /** The fd is readable (or at end of stream, or has a connection to accept). */
    public static final int READ = 1;
    /** The fd is writable (or a non-blocking connect has finished). */
    public static final int WRITE = 1 << 1;
    /** An error is pending on the fd, or the fd is no longer open (closed behind the hub's back). */
    public static final int ERROR = 1 << 2;
    /** The peer hung up (a socket's peer closed or shut down its writing side, a pipe's writer closed). */
    public static final int HANGUP = 1 << 3;

    /** Every valid interest bit. */
    public static final int INTEREST_MASK = READ | WRITE;
    /** Every bit a hub may report. */
    public static final int READY_MASK = READ | WRITE | ERROR | HANGUP;

    private Readiness() {
    }

    /**
     * Checks an interest set.
     *
     * @param interest the interest to check
     * @return {@code interest}
     * @throws IllegalArgumentException if it is zero or has bits other than READ and WRITE
     */
    public static int checkInterest(int interest) {
        if (interest == 0 || (interest & ~INTEREST_MASK) != 0) {
            throw new IllegalArgumentException("interest must be READ, WRITE or READ|WRITE, got "
                    + interest + " (" + describe(interest) + ")");
        }
        return interest;
    }

    /**
     * A readable form of a set of bits, such as {@code "READ|HANGUP"}; {@code "NONE"} for zero.
     *
     * @param ops interest or readiness bits
     * @return the names of the bits that are set, with unknown bits in hexadecimal
     */
    public static String describe(int ops) {
        if (ops == 0) {
            return "NONE";
        }
        StringJoiner names = new StringJoiner("|");
        if ((ops & READ) != 0) {
            names.add("READ");
        }
        if ((ops & WRITE) != 0) {
            names.add("WRITE");
        }
        if ((ops & ERROR) != 0) {
            names.add("ERROR");
        }
        if ((ops & HANGUP) != 0) {
            names.add("HANGUP");
        }
        int unknown = ops & ~READY_MASK;
        if (unknown != 0) {
            names.add("0x" + Integer.toHexString(unknown));
        }
        return names.toString();
    }
}
