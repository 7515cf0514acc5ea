package dev.greenhub.tck.selftest;

import dev.greenhub.tck.TckRule;
import java.util.List;

/**
 * The kit's rule groups, by rule id (they follow the kit's sections), so that a broken hub runs
 * only the groups its bug can touch (every rule of a group that runs is still checked: exactly the
 * expected ones fail).
 */
enum RuleGroup {
    /** Interest, unregister, counts and handler re-entrancy. */
    REGISTRATION(14, 20, 43, 46),
    /** What is reported for pipes, sockets and TCP. */
    READINESS(4, 13),
    /** What is reported when a peer closes or resets. */
    PEER_CLOSE(21, 28),
    /** Many fds registered, a few ready. */
    MANY_FDS(38, 38),
    /** How long polls wait. */
    TIMEOUTS(29, 32),
    /** wakeup(). */
    WAKEUP(33, 37),
    /** fds closed behind the hub's back and reused numbers. */
    CLOSED_FDS(39, 42),
    /** The provider, fdLimit() and bad input. */
    LIMITS(1, 3, 47, 50),
    /** close() and two hubs side by side. */
    LIFECYCLE(51, 54),
    /** greenthread-core's scheduler on the hub. */
    SCHEDULER(55, 66),
    /** Rules added for issue 10 (R67 on) that no group lists yet. */
    NEW(67, 999);

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
