package dev.greenhub.tck.selftest;

import dev.greenhub.tck.TckRule;
import java.util.List;

/**
 * The kit's rule groups, by rule id (they follow the kit's sections), so that a broken hub runs
 * only the groups its bug can touch (every rule of a group that runs is still checked: exactly the
 * expected ones fail).
 */
enum RuleGroup {
    /** Interest (widened and narrowed), unregister (also of most of 300 fds), counts and handler re-entrancy. */
    REGISTRATION(14, 20, 43, 46, 69, 69, 71, 71),
    /** What is reported for pipes, sockets and TCP. */
    READINESS(4, 13),
    /** What is reported when a peer closes or resets. */
    PEER_CLOSE(21, 28),
    /** Many fds registered and a few ready; hundreds ready at once (fairness). */
    MANY_FDS(38, 38, 72, 72),
    /** How long polls wait: zero, bounded, unbounded, and under signals (EINTR). */
    TIMEOUTS(29, 32, 67, 67, 75, 75),
    /** wakeup(): before and during polls, from many threads, lost in a race, racing close(). */
    WAKEUP(33, 37, 68, 68, 76, 76),
    /** fds closed behind the hub's back and reused numbers (also inside the handler and through a dup). */
    CLOSED_FDS(39, 42, 70, 70, 77, 78),
    /** The provider, fdLimit(), huge fd numbers and bad input. */
    LIMITS(1, 3, 47, 50, 79, 79),
    /** close() (also twice) and two hubs side by side. */
    LIFECYCLE(51, 54, 73, 73),
    /** greenthread-core's scheduler on the hub. */
    SCHEDULER(55, 66),
    /** Registrations older than the hub's periodic maintenance: 7 s of silent polls, so a group of its own. */
    MAINTENANCE(74, 74);

    private final int[] ranges;

    RuleGroup(int... ranges) {
        this.ranges = ranges;
    }

    /**
     * Whether a rule belongs to this group.
     *
     * @param rule a rule of the kit
     * @return true if its number is in one of the group's ranges
     */
    boolean contains(TckRule rule) {
        int n = Integer.parseInt(rule.id().substring(1));
        for (int i = 0; i < ranges.length; i += 2) {
            if (n >= ranges[i] && n <= ranges[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ids of the kit's rules in this group.
     *
     * @return the ids, in order
     */
    List<String> ids() {
        return TckRule.all().stream().filter(this::contains).map(TckRule::id).toList();
    }
}
