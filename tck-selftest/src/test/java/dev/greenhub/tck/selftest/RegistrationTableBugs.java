package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Broken hubs whose bug is in the bookkeeping of a registration table kept beside the kernel's
 * set: swap-remove, compaction after many removals, periodic rebuilding. Each shows only after
 * several registrations come and go, or after time passes.
 */
final class RegistrationTableBugs {
    private RegistrationTableBugs() {
    }

    /**
     * The registration table is a dense array with swap-remove, and unregister forgets to update the
     * index of the fd it moves into the hole: a later unregister of the moved fd removes whatever
     * sits at its stale index (or fails with an IndexOutOfBoundsException). The real hub follows
     * the table, so the wrong fd stops being watched.
     */
    static final class SwapRemoveLosesIndex extends BrokenProvider {
        SwapRemoveLosesIndex(HubProvider base) {
            super("swap-remove-loses-index", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private final List<Integer> dense = new ArrayList<>();
                private final Map<Integer, Integer> index = new HashMap<>();

                @Override
                public void register(int fd, int interest) throws IOException {
                    delegate.register(fd, interest);
                    if (!index.containsKey(fd)) {
                        index.put(fd, dense.size());
                        dense.add(fd);
                    }
                }

                @Override
                public void unregister(int fd) throws IOException {
                    checkOpen();
                    Integer at = index.remove(fd);
                    if (at == null) {
                        delegate.unregister(fd); // throws what the real hub throws
                        return;
                    }
                    int victim = dense.get(at); // fd itself, unless its index went stale
                    int last = dense.removeLast();
                    if (at < dense.size()) {
                        dense.set(at, last); // the bug: index.put(last, at) is missing
                    }
                    index.remove(victim);
                    delegate.unregister(victim);
                }
            };
        }
    }

    /**
     * Lazy deletion with compaction: unregister() marks the fd's slot dead, and once dead slots
     * outnumber live ones the table is compacted, each live slot moved down into the first free
     * one. The move copies the fd but not its interest, so a survivor takes the interest of the dead
     * slot it lands on, and the hub passes that interest to the kernel. Only unregistering most of
     * many fds shows it.
     */
    static final class CompactionKeepsStaleInterest extends BrokenProvider {
        CompactionKeepsStaleInterest(HubProvider base) {
            super("compaction-keeps-stale-interest", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new ForwardingHub(real, name()) {
                private final List<int[]> slots = new ArrayList<>(); // {fd, interest, live}
                private final Map<Integer, Integer> slotOf = new HashMap<>();
                private int dead;

                @Override
                public void register(int fd, int interest) throws IOException {
                    delegate.register(fd, interest);
                    Integer at = slotOf.get(fd);
                    if (at != null) {
                        slots.get(at)[1] = interest;
                    } else {
                        slotOf.put(fd, slots.size());
                        slots.add(new int[] {fd, interest, 1});
                    }
                }

                @Override
                public void unregister(int fd) throws IOException {
                    checkOpen();
                    Integer at = slotOf.remove(fd);
                    delegate.unregister(fd); // throws what the real hub throws for an unknown fd
                    slots.get(at)[2] = 0;
                    dead++;
                    if (dead > slots.size() - dead) {
                        compact();
                    }
                }

                private void compact() throws IOException {
                    int to = 0;
                    for (int from = 0; from < slots.size(); from++) {
                        int[] slot = slots.get(from);
                        if (slot[2] == 0) {
                            continue;
                        }
                        if (from != to) {
                            int[] hole = slots.get(to);
                            hole[0] = slot[0];
                            hole[2] = 1; // the bug: hole[1] = slot[1] is missing
                            slotOf.put(hole[0], to);
                            delegate.register(hole[0], hole[1]);
                        }
                        to++;
                    }
                    slots.subList(to, slots.size()).clear();
                    dead = 0;
                }
            };
        }
    }

    /**
     * A periodic compaction (every {@link #PERIOD_NANOS}) rebuilds the kernel's set from the
     * registrations made since the previous compaction only: a registration older than that stops
     * being watched, though interest() and registeredCount() still show it.
     */
    static final class ForgetsOldRegistrations extends BrokenProvider {
        static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(3);

        ForgetsOldRegistrations(HubProvider base) {
            super("forgets-old-registrations", base);
        }

        @Override
        Hub wrap(Hub real) {
            return new MaintainingHub(real, name(), PERIOD_NANOS) {
                /** Registrations made since the last compaction. */
                private final Set<Integer> recent = new HashSet<>();
                /** Registrations the compaction dropped from the kernel's set, with their interest. */
                private final Map<Integer, Integer> dropped = new HashMap<>();

                /** Registrations still in the kernel's set. */
                private final Set<Integer> watched = new HashSet<>();

                @Override
                void maintain() throws IOException {
                    for (int fd : List.copyOf(watched)) {
                        if (!recent.contains(fd)) {
                            dropped.put(fd, delegate.interest(fd));
                            delegate.unregister(fd);
                            watched.remove(fd);
                        }
                    }
                    recent.clear();
                }

                @Override
                public void register(int fd, int interest) throws IOException {
                    delegate.register(fd, interest);
                    dropped.remove(fd);
                    watched.add(fd);
                    recent.add(fd);
                }

                @Override
                public void unregister(int fd) throws IOException {
                    checkOpen();
                    if (dropped.remove(fd) == null) {
                        delegate.unregister(fd);
                    }
                    watched.remove(fd);
                    recent.remove(fd);
                }

                @Override
                public int interest(int fd) {
                    checkOpen();
                    return dropped.getOrDefault(fd, delegate.interest(fd));
                }

                @Override
                public int registeredCount() {
                    return delegate.registeredCount() + dropped.size();
                }
            };
        }
    }
}
