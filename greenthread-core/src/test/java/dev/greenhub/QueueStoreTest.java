package dev.greenhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GreenQueue's stores on their own: the order of each kind, and where a put-back item goes. */
class QueueStoreTest {

    private static <E> List<E> drain(QueueStore<E> store) {
        List<E> out = new ArrayList<>();
        E e;
        while ((e = store.poll()) != null) {
            out.add(e);
        }
        return out;
    }

    private static <E> QueueStore<E> filled(QueueStore<E> store, List<E> items) {
        items.forEach(store::add);
        return store;
    }

    @Test
    void fifoComesOutInInsertionOrderAndAPutBackItemFirst() {
        QueueStore<String> store = filled(QueueStore.fifo(), List.of("a", "b", "c"));
        assertThat(store.poll()).isEqualTo("a");
        store.addFront("a");
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.name()).isEqualTo("fifo");
        assertThat(drain(store)).containsExactly("a", "b", "c");
        assertThat(store.poll()).isNull();
    }

    @Test
    void lifoComesOutMostRecentFirstAndAPutBackItemFirst() {
        QueueStore<String> store = filled(QueueStore.lifo(), List.of("a", "b", "c"));
        assertThat(store.poll()).isEqualTo("c");
        store.addFront("c");
        assertThat(store.name()).isEqualTo("lifo");
        assertThat(drain(store)).containsExactly("c", "b", "a");
    }

    @Test
    void priorityComesOutLowestFirstFifoAmongEqualsAndPutBackItemsBeforeTheirEquals() {
        record Job(int priority, String name) { }
        QueueStore<Job> store = QueueStore.priority(Comparator.comparingInt(Job::priority));
        Job a1 = new Job(1, "a1");
        Job b2 = new Job(2, "b2");
        Job c1 = new Job(1, "c1");
        Job d0 = new Job(0, "d0");
        filled(store, List.of(a1, b2, c1, d0));
        assertThat(store.poll()).isEqualTo(d0);
        assertThat(store.poll()).isEqualTo(a1);
        store.addFront(a1); // a killed getter's item: before c1, its equal put later
        store.addFront(d0); // and a second one: before everything at its priority
        assertThat(store.name()).isEqualTo("priority");
        assertThat(drain(store)).containsExactly(d0, a1, c1, b2);
    }
}
