package dev.greenhub;

/** Rethrows any throwable without wrapping, as a kill or a greenlet throw delivers it. */
final class Sneaky {
    private Sneaky() {
    }

    static RuntimeException rethrow(Throwable t) {
        Sneaky.<RuntimeException>throwAs(t);
        throw new AssertionError("unreachable");
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void throwAs(Throwable t) throws E {
        throw (E) t;
    }
}
