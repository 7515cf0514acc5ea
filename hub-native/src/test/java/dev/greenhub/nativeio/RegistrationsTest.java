package dev.greenhub.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistrationsTest {

    @Test
    void fdsAtAndAboveTheDenseLimitAreKeptSparselyWithoutAHugeArray() {
        Registrations table = new Registrations(64);
        int[] fds = {3, 63, 64, 1 << 28, 2_000_000_000, Integer.MAX_VALUE - 1};
        for (int i = 0; i < fds.length; i++) {
            assertThat(table.add(fds[i], 1 + i % 3, table.newGeneration())).isEqualTo(i);
        }
        for (int i = 0; i < fds.length; i++) {
            assertThat(table.interest(fds[i])).as("interest of fd %d", fds[i]).isEqualTo(1 + i % 3);
            assertThat(table.index(fds[i])).isEqualTo(i);
            assertThat(table.fdAt(i)).isEqualTo(fds[i]);
        }
        assertThat(table.interest(65)).isZero();
        assertThat(table.interest(2_000_000_001)).isZero();
        assertThat(table.interest(-1)).isZero();
        assertThat(table.generation(-5)).isZero();
        // Removing the first moves the last (a sparse one) into index 0.
        assertThat(table.remove(3)).isEqualTo(Integer.MAX_VALUE - 1);
        assertThat(table.index(Integer.MAX_VALUE - 1)).isZero();
        assertThat(table.interest(3)).isZero();
        assertThat(table.remove(63)).isEqualTo(2_000_000_000);
        assertThat(table.index(2_000_000_000)).isEqualTo(1);
        assertThat(table.interest(63)).isZero();
        assertThat(table.interest(2_000_000_000)).isEqualTo(1 + 4 % 3);
        assertThat(table.count()).isEqualTo(4);
    }

    @Test
    void generationsAreNeverZeroAndNeverRepeatWithinARun() {
        Registrations table = new Registrations(64);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            int g = table.newGeneration();
            assertThat(g).isNotZero();
            assertThat(seen.add(g)).as("generation %d repeated", g).isTrue();
        }
    }

    @Test
    void closedMarksFollowRemovalAndReRegistration() {
        Registrations table = new Registrations(64);
        table.add(5, 1, table.newGeneration());
        table.add(6, 1, table.newGeneration());
        table.add(1_000_000, 2, table.newGeneration());
        table.markClosed(5);
        table.markClosed(1_000_000);
        table.markClosed(5);
        assertThat(table.closedCount()).isEqualTo(2);
        assertThat(table.isClosed(5)).isTrue();
        assertThat(table.isClosed(6)).isFalse();
        assertThat(table.isClosed(1_000_000)).isTrue();
        table.remove(5);
        assertThat(table.closedCount()).isEqualTo(1);
        assertThat(table.closedFdAt(0)).isEqualTo(1_000_000);
        assertThat(table.isClosed(5)).isFalse();
        table.clearClosed(1_000_000);
        assertThat(table.closedCount()).isZero();
        assertThat(table.isClosed(1_000_000)).isFalse();
        // A number registered again after removal starts without a mark.
        table.add(5, 1, table.newGeneration());
        assertThat(table.isClosed(5)).isFalse();
    }

    @Test
    void theDenseArrayNeverGrowsPastTheLimit() {
        Registrations table = new Registrations(100);
        table.add(99, 1, table.newGeneration());
        table.add(100, 1, table.newGeneration());
        assertThat(table.interest(99)).isEqualTo(1);
        assertThat(table.interest(100)).isEqualTo(1);
        assertThat(table.denseLimit()).isEqualTo(100);
    }

    @Test
    void aLimitTooSmallOrTooLargeIsRefused() {
        assertThatThrownBy(() -> new Registrations(10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dense limit 10");
        assertThatThrownBy(() -> new Registrations(Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theProcessTableKeepsEveryFdThisProcessMayOpenInTheArray() {
        int limit = Registrations.forThisProcess().denseLimit();
        assertThat(limit).isBetween(1 << 16, 1 << 22);
        long hard = Fds.fdHardLimit();
        if (hard > 0) {
            assertThat((long) limit).isGreaterThanOrEqualTo(Math.min(hard, 1 << 22));
        }
    }
}
