package dev.greenhub.tck.selftest;

import static dev.greenhub.tck.selftest.BrokenProvider.EPOLL;
import static dev.greenhub.tck.selftest.BrokenProvider.POLL;
import static dev.greenhub.tck.selftest.RuleGroup.CLOSED_FDS;
import static dev.greenhub.tck.selftest.RuleGroup.LIFECYCLE;
import static dev.greenhub.tck.selftest.RuleGroup.LIMITS;
import static dev.greenhub.tck.selftest.RuleGroup.MAINTENANCE;
import static dev.greenhub.tck.selftest.RuleGroup.MANY_FDS;
import static dev.greenhub.tck.selftest.RuleGroup.PEER_CLOSE;
import static dev.greenhub.tck.selftest.RuleGroup.READINESS;
import static dev.greenhub.tck.selftest.RuleGroup.REGISTRATION;
import static dev.greenhub.tck.selftest.RuleGroup.SCHEDULER;
import static dev.greenhub.tck.selftest.RuleGroup.TIMEOUTS;
import static dev.greenhub.tck.selftest.RuleGroup.WAKEUP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.greenhub.tck.Tck;
import dev.greenhub.tck.TckReport;
import dev.greenhub.tck.TckReport.Status;
import dev.greenhub.tck.TckRule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit under mutation: each broken hub (one realistic bug over the real poll or epoll hub) runs
 * the rule groups its bug can touch, and exactly the rules listed for it must fail; every other
 * rule that ran must pass. A rule that no broken hub makes fail is a rule that tests nothing
 * ({@link #everyRuleIsFailedBySomeBrokenHubOrListedAsUntested}).
 *
 * <p>One broken hub per base hub runs the whole kit, so that a bug's reach outside the groups
 * chosen for it is checked at least once per family.
 *
 * <p>The rows run several at a time, each in a JVM of its own ({@link RowJvms}): the broken hubs mostly
 * wait (for timeouts, watchdogs, R74's 7 s), and two rows must never share a JVM at once (a rule's
 * leak check reads the process's open fds, and some rules count on reusing a closed fd's number).
 * Each row is still one test here, failing with the message of the row's own assertion.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutationTest {

    /** One row of the table: a broken hub, the groups it runs, the rules that must fail. */
    record Mutant(BrokenProvider hub, Set<RuleGroup> groups, Set<String> failing, Set<String> notRun) {
        Mutant(BrokenProvider hub, Set<RuleGroup> groups, Set<String> failing) {
            this(hub, groups, failing, Set.of());
        }

        @Override
        public String toString() {
            return hub.name() + (groups.size() == RuleGroup.values().length ? " (whole kit)" : " " + groups)
                    + (notRun.isEmpty() ? "" : " without " + notRun) + " fails " + failing;
        }

        List<String> ruleIds() {
            return TckRule.all().stream().filter(r -> groups.stream().anyMatch(g -> g.contains(r)))
                    .map(TckRule::id).filter(id -> !notRun.contains(id)).toList();
        }

        /**
         * This row without some rules of its groups: only for a rule that catches this bug in some
         * interleavings and not in others (an exact table cannot list it either way); say which.
         */
        Mutant without(String... ids) {
            return new Mutant(hub, groups, failing, new TreeSet<>(List.of(ids)));
        }
    }

    private static Mutant mutant(BrokenProvider hub, Set<RuleGroup> groups, String... failing) {
        return new Mutant(hub, groups, new TreeSet<>(List.of(failing)));
    }

    private static final Set<RuleGroup> WHOLE_KIT = EnumSet.allOf(RuleGroup.class);

    /**
     * The table. Every row but the correct base of a small hub fails at least one rule; a row that
     * fails none is a bug the kit misses, and the rule meant to catch it is too weak.
     */
    static List<Mutant> table() {
        return List.of(
                // registration
                mutant(new RegistrationBugs.AddsInterest(POLL), WHOLE_KIT, "R14", "R16", "R17", "R44", "R69", "R74"),
                mutant(new RegistrationBugs.InterestLies(POLL), EnumSet.of(REGISTRATION, MANY_FDS),
                        "R14", "R16", "R38", "R44"),
                mutant(new RegistrationBugs.CountsReRegistrations(POLL), EnumSet.of(REGISTRATION, CLOSED_FDS),
                        "R16", "R19", "R41"),
                mutant(new RegistrationTableBugs.SwapRemoveLosesIndex(POLL), EnumSet.of(REGISTRATION), "R18", "R19", "R71"),
                mutant(new RegistrationTableBugs.CompactionKeepsStaleInterest(POLL), EnumSet.of(REGISTRATION), "R71"),
                mutant(new RegistrationBugs.LazyNarrowing(POLL), EnumSet.of(REGISTRATION), "R17", "R69"),
                mutant(new RegistrationBugs.UnregisterOfClosedFdThrows(EPOLL), EnumSet.of(CLOSED_FDS, SCHEDULER),
                        "R39", "R40", "R77"),
                mutant(new RegistrationBugs.SkipsUnchangedRegister(EPOLL), WHOLE_KIT, "R41", "R78"),
                mutant(new RegistrationBugs.NoGenerations(POLL), EnumSet.of(REGISTRATION, CLOSED_FDS), "R70"),
                mutant(new RegistrationBugs.UnregisterLeavesKernelWatching(POLL),
                        EnumSet.of(REGISTRATION, CLOSED_FDS), "R18", "R19", "R39", "R40", "R42", "R43", "R70", "R71",
                        "R77"),
                mutant(new RegistrationBugs.HandlerRegistrationsLost(POLL), EnumSet.of(REGISTRATION), "R44", "R45"),
                mutant(new RegistrationTableBugs.ForgetsOldRegistrations(POLL), EnumSet.of(REGISTRATION, MAINTENANCE), "R74"),
                // readiness
                mutant(new BrokenHubs.WriteAsRead(), EnumSet.of(READINESS, REGISTRATION, MANY_FDS, SCHEDULER),
                        "R05", "R06", "R07", "R09", "R11", "R12", "R14", "R15", "R16", "R17", "R20", "R38", "R44",
                        "R60", "R69", "R71"),
                mutant(new BrokenHubs.DropsEvents(), EnumSet.of(READINESS, REGISTRATION, MANY_FDS),
                        "R20", "R38", "R46", "R71", "R72"),
                mutant(new ReadinessBugs.StarvesBeyondFirst(POLL), EnumSet.of(MANY_FDS, SCHEDULER), "R72"),
                mutant(new ReadinessBugs.OneShot(POLL, ReadinessBugs.OneShot.NEVER), EnumSet.of(READINESS), "R07"),
                mutant(new ReadinessBugs.OneShot(EPOLL, ReadinessBugs.OneShot.PERIODIC), EnumSet.of(READINESS), "R07"), // #13
                mutant(new BrokenHubs.DropsHangup(), EnumSet.of(PEER_CLOSE), "R21", "R22", "R26"),
                mutant(new ReadinessBugs.NewFdsReportedReady(POLL), EnumSet.of(READINESS, PEER_CLOSE, MANY_FDS),
                        "R04", "R06", "R09", "R10", "R12", "R13", "R21", "R23", "R25", "R27", "R38"),
                mutant(new ReadinessBugs.ReadyListNotCleared(POLL), EnumSet.of(READINESS, MANY_FDS), "R08", "R38"),
                mutant(new ReadinessBugs.ReportsOnlyInterestBits(EPOLL), EnumSet.of(PEER_CLOSE, CLOSED_FDS),
                        "R21", "R22", "R23", "R24", "R26", "R28", "R39", "R77"),
                mutant(new ReadinessBugs.ReportsEachBitSeparately(POLL), EnumSet.of(REGISTRATION, SCHEDULER),
                        "R15", "R43", "R44", "R60", "R71"),
                // timeouts
                mutant(new BrokenHubs.ReturnsEarly(), EnumSet.of(TIMEOUTS, WAKEUP, LIFECYCLE, SCHEDULER),
                        "R30", "R35", "R36", "R54", "R68", "R75"),
                mutant(new TimeoutBugs.ZeroTimeoutBlocks(POLL), EnumSet.of(TIMEOUTS), "R67"),
                mutant(new TimeoutBugs.RoundsMillisDown(POLL), EnumSet.of(TIMEOUTS, SCHEDULER), "R30"),
                mutant(new TimeoutBugs.ZeroTimeoutNeverLooks(POLL), EnumSet.of(TIMEOUTS, WAKEUP, SCHEDULER),
                        "R36", "R58", "R62", "R67"),
                mutant(new TimeoutBugs.NeverDrainsWakeup(EPOLL), EnumSet.of(TIMEOUTS, WAKEUP, LIFECYCLE),
                        "R35", "R36", "R68"),
                mutant(new TimeoutBugs.ZeroMeansNoLimit(POLL), EnumSet.of(TIMEOUTS), "R29", "R67"),
                mutant(new TimeoutBugs.NegativeMeansZero(POLL), EnumSet.of(TIMEOUTS, WAKEUP), "R32", "R34", "R68", "R75"),
                mutant(new TimeoutBugs.BoundedWaitIsBlind(POLL), EnumSet.of(TIMEOUTS), "R31"),
                // the base of the next row, correct: every group but the scheduler's and the 7 s one
                mutant(new SmallPollHub.Provider("small"), EnumSet.complementOf(EnumSet.of(SCHEDULER, MAINTENANCE))),
                mutant(new TimeoutBugs.EintrEndsTheWait(), EnumSet.of(TIMEOUTS), "R75"),
                mutant(new TimeoutBugs.IdlePollReturnsAtOnce(EPOLL), EnumSet.of(TIMEOUTS, WAKEUP, LIFECYCLE),
                        "R30", "R31", "R35", "R36", "R54", "R68", "R75"),
                // wakeup
                mutant(new BrokenHubs.IgnoresWakeup(), EnumSet.of(WAKEUP, SCHEDULER), "R33", "R34", "R35", "R36",
                        "R63", "R68"),
                // Not with SCHEDULER: R63's rounds hit the race now and then, never surely; R68's do.
                mutant(new WakeupBugs.LostWakeupRace(POLL), EnumSet.of(WAKEUP), "R68"),
                // R68 catches its owed wakeups now and then (once at round 1723 of 3000), not surely.
                mutant(new WakeupBugs.WakeupsDoNotCoalesce(POLL), EnumSet.of(WAKEUP), "R35", "R36").without("R68"),
                mutant(new WakeupBugs.CountsWakeup(POLL), EnumSet.of(WAKEUP, LIFECYCLE), "R33", "R34", "R35", "R36",
                        "R37", "R52", "R54", "R68", "R73"),
                mutant(new WakeupBugs.WakesEveryHub(EPOLL), EnumSet.of(WAKEUP, LIFECYCLE), "R54"),
                mutant(new WakeupBugs.WakeupRacesClose(POLL), EnumSet.of(WAKEUP, LIFECYCLE, SCHEDULER), "R76"),
                // closed fds
                mutant(new ClosedFdBugs.ClosedFdNotReported(POLL), EnumSet.of(CLOSED_FDS), "R39", "R77"),
                mutant(new ClosedFdBugs.ClosedFdHidesOthers(POLL), EnumSet.of(CLOSED_FDS), "R39", "R77"),
                mutant(new ClosedFdBugs.ClosedFdReportedOnce(EPOLL), EnumSet.of(CLOSED_FDS), "R39", "R77"),
                // limits
                mutant(new LimitBugs.FdLimitLies(POLL), EnumSet.of(LIMITS), "R03", "R48"),
                mutant(new LimitBugs.HugeFdOverflowsTable(POLL), EnumSet.of(LIMITS), "R79"),
                mutant(new LimitBugs.VagueErrors(EPOLL), EnumSet.of(LIMITS), "R47", "R48", "R50"),
                mutant(new LimitBugs.MasksBadInterest(POLL), EnumSet.of(LIMITS), "R49"),
                // lifecycle
                mutant(new BrokenHubs.LeaksFds(), EnumSet.of(LIFECYCLE, LIMITS), "R01", "R02", "R03", "R47", "R48",
                        "R49", "R50", "R51", "R52", "R53", "R54", "R73", "R79"),
                mutant(new LifecycleBugs.CloseClosesRegisteredFds(POLL), EnumSet.of(LIFECYCLE, SCHEDULER),
                        "R52", "R53"),
                mutant(new LifecycleBugs.SecondCloseClosesReusedFd(POLL), EnumSet.of(LIFECYCLE), "R73"),
                mutant(new LifecycleBugs.AnswersAfterClose(EPOLL), EnumSet.of(LIFECYCLE, SCHEDULER), "R51"));
    }

    /**
     * The rows to run: all, or with {@code -Dselftest.only=WORD[,WORD...]} those whose hub name
     * contains one of the words (a quick way to rerun a few broken hubs while changing them or the kit).
     */
    static Stream<Mutant> mutants() {
        List<String> only = List.of(System.getProperty("selftest.only", "").split(","));
        return table().stream().filter(m -> only.stream().anyMatch(w -> m.hub().name().contains(w.strip())));
    }

    private RowJvms jvms;

    /**
     * The JVMs that run the rows ({@link RowJvms}), started by the first row: they run every row of
     * {@link #mutants()}, several at a time, the whole-kit rows first.
     */
    private RowJvms jvms() throws IOException {
        if (jvms == null) {
            List<Mutant> table = table();
            List<Integer> order = new ArrayList<>();
            mutants().filter(m -> m.groups().equals(WHOLE_KIT)).forEach(m -> order.add(indexOf(table, m)));
            mutants().filter(m -> !m.groups().equals(WHOLE_KIT)).forEach(m -> order.add(indexOf(table, m)));
            jvms = RowJvms.start(order);
        }
        return jvms;
    }

    private static int indexOf(List<Mutant> table, Mutant row) {
        List<String> names = table.stream().map(Mutant::toString).toList();
        return names.indexOf(row.toString());
    }

    @AfterAll
    void stopTheJvms() {
        if (jvms != null) {
            jvms.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    @Timeout(RowJvms.ROW_SECONDS + 30)
    void aBrokenHubFailsExactlyItsRules(Mutant mutant) throws IOException, InterruptedException {
        jvms().verdict(indexOf(table(), mutant), mutant.toString());
    }

    /**
     * One row, where a {@link RowJvms} JVM runs it: the broken hub runs its rules, and exactly the
     * listed ones fail.
     */
    static void check(Mutant mutant) {
        List<String> ran = mutant.ruleIds();
        assertThat(ran).as("rules of %s", mutant.groups()).containsAll(mutant.failing());
        TckReport report = Tck.run(mutant.hub(), mutant.hub().claimedCapabilities(), ran, o -> { });
        assertFailsExactly(report, ran, mutant.failing());
    }

    @Test
    void rowsHaveDistinctNames() {
        assertThat(table().stream().map(Mutant::toString).toList()).doesNotHaveDuplicates();
    }

    /** The assertion of every row: each rule ran, exactly {@code failing} failed, all others passed. */
    static void assertFailsExactly(TckReport report, List<String> ran, Set<String> failing) {
        assertThat(report.outcomes().stream().map(o -> o.rule().id()).toList()).as("rules run for %s",
                report.hubName()).containsExactlyInAnyOrderElementsOf(ran);
        assertThat(report.ids(Status.FAILED)).as("failed rules of %s:%n%s", report.hubName(), report)
                .containsExactlyInAnyOrderElementsOf(failing);
        List<String> passing = new ArrayList<>(ran);
        passing.removeAll(failing);
        assertThat(report.ids(Status.PASSED)).as("passed rules of %s:%n%s", report.hubName(), report)
                .containsExactlyInAnyOrderElementsOf(passing);
    }

    @Test
    void everyBaseHubHasABrokenHubThatRunsTheWholeKit() {
        Set<String> wholeKitBases = new TreeSet<>();
        for (Mutant m : table()) {
            if (m.groups().equals(WHOLE_KIT)) {
                wholeKitBases.add(m.hub().name().substring(0, m.hub().name().indexOf('-')));
            }
        }
        assertThat(wholeKitBases).containsExactlyInAnyOrder(POLL.name(), EPOLL.name());
        assertThat(TckRule.all()).allMatch(r -> WHOLE_KIT.stream().anyMatch(g -> g.contains(r)),
                "every rule in a group");
    }

    /**
     * Rules no broken hub makes fail, each with the reason. The scheduler rules listed check
     * greenthread-core as much as the hub: the core re-polls after an early return and keeps its own
     * timers, so the hub faults tried here (early, late, rounded, blind or lost wakeups) did not reach
     * them without failing every rule at once.
     */
    static final Map<String, String> UNTESTED = Map.of(
            "R55", "scheduler sleep precision: the core re-polls early returns (poll-returns-early, poll-rounds-millis-down pass it)",
            "R56", "scheduler timer order: kept by the core's timer heap, not the hub",
            "R57", "scheduler cancelled timers: kept by the core's timer heap, not the hub",
            "R59", "scheduler trampoline READ: only a hub blind to readiness during a bounded wait fails it, at 5 s a run",
            "R61", "scheduler trampoline timeout: the core re-polls early returns",
            "R64", "scheduler 200 waiters: the hubs that drop or starve reports still resume every waiter in a few polls",
            "R65", "scheduler close: only a hub that leaks fds fails it, as it fails every rule",
            "R66", "scheduler forgetFd: the core re-registers the reused number itself");

    /**
     * The last rule id whose broken hubs were reviewed: the kit's last rule. A rule added after it
     * fails {@link #everyRuleIsFailedBySomeBrokenHubOrListedAsUntested} until a broken hub fails it
     * (or it is listed in {@link #UNTESTED} with a reason) and this number is raised.
     */
    static final int REVIEWED_THROUGH = 79;

    @Test
    void everyRuleIsFailedBySomeBrokenHubOrListedAsUntested() {
        Set<String> failed = new TreeSet<>();
        table().forEach(m -> failed.addAll(m.failing()));
        Set<String> never = new TreeSet<>();
        int last = 0;
        for (TckRule rule : TckRule.all()) {
            int n = Integer.parseInt(rule.id().substring(1));
            last = Math.max(last, n);
            if (!failed.contains(rule.id())) {
                never.add(rule.id());
            }
        }
        assertThat(last).as("the kit's last rule: rules after R%d need a broken hub that fails them (then raise"
                + " REVIEWED_THROUGH)", REVIEWED_THROUGH).isEqualTo(REVIEWED_THROUGH);
        assertThat(never).as("rules no broken hub makes fail").containsExactlyInAnyOrderElementsOf(UNTESTED.keySet());
        assertThat(table()).as("broken hubs").hasSizeGreaterThanOrEqualTo(25);
    }
}
