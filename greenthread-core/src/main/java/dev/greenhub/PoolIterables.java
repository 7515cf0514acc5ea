package dev.greenhub;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The element-wise iterations behind {@link GreenPool}'s {@code imap} over two sources and its
 * {@code zip}: lazy, each source read one element ahead at most, ending with the shortest source.
 */
final class PoolIterables {
    private PoolIterables() {
    }

    /** The pairs of the i-th elements of {@code first} and {@code second}. */
    static <A, B> Iterable<Map.Entry<A, B>> pairs(Iterable<? extends A> first, Iterable<? extends B> second) {
        return () -> new Iterator<>() {
            private final Iterator<? extends A> a = first.iterator();
            private final Iterator<? extends B> b = second.iterator();

            @Override
            public boolean hasNext() {
                return a.hasNext() && b.hasNext();
            }

            @Override
            public Map.Entry<A, B> next() {
                return new AbstractMap.SimpleImmutableEntry<>(a.next(), b.next());
            }
        };
    }

    /** The unmodifiable lists of the i-th elements of all {@code sources}. */
    static Iterable<List<Object>> zip(List<Iterable<?>> sources) {
        return () -> {
            List<Iterator<?>> its = new ArrayList<>(sources.size());
            for (Iterable<?> source : sources) {
                its.add(source.iterator());
            }
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    for (Iterator<?> it : its) {
                        if (!it.hasNext()) {
                            return false;
                        }
                    }
                    return true;
                }

                @Override
                public List<Object> next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException("a source of zip has ended");
                    }
                    List<Object> row = new ArrayList<>(its.size());
                    for (Iterator<?> it : its) {
                        row.add(it.next());
                    }
                    return Collections.unmodifiableList(row);
                }
            };
        };
    }
}
