package dev.greenhub.hub;

/**
 * Receives the fds that {@link Hub#poll(long, ReadyHandler)} found ready.
 *
 * <p>Called on the thread that called {@code poll}, once per ready fd per call. The handler may
 * call {@link Hub#register(int, int)} and {@link Hub#unregister(int)} on the same hub; an fd it
 * unregisters (or re-registers) is not reported again in the same {@code poll} call with readiness
 * from before that change. An exception thrown by the handler propagates out of {@code poll};
 * fds not yet reported in that call are reported by the next one, since readiness is
 * level-triggered.
 */
@FunctionalInterface
public interface ReadyHandler {
    /**
     * One ready fd.
     *
     * @param fd the fd, as registered
     * @param readyOps the {@link Readiness} bits: READ and WRITE as far as they were asked for,
     *     ERROR and HANGUP always; never zero
     */
    void ready(int fd, int readyOps);
}
