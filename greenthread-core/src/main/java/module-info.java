/**
 * greenhub's core: the scheduler (one hub loop per carrier thread), green threads, eventlet's
 * primitives ({@code dev.greenhub}) and green sockets, pipes and TLS ({@code dev.greenhub.net}).
 * A hub module ({@code dev.greenhub.hub.epoll}, {@code .poll}, {@code .select}, or your own) must
 * be on the module path; it is found as a {@link dev.greenhub.hub.HubProvider} service.
 *
 * <p>On the module path greenhub needs {@code --add-opens java.base/java.lang=dev.greenhub.core}
 * and {@code --add-opens java.base/sun.nio.ch=dev.greenhub.core} (the README's flags table says
 * why); without them the first use throws, naming every missing flag.
 */
@SuppressWarnings("module") // dev.greenhub.tck, named by a qualified export, is built after this module
module dev.greenhub.core {
    requires transitive dev.greenhub.hub;
    // JFR events (hub polls, blocking detected, green-thread statistics)
    requires jdk.jfr;
    // ThreadMXBean: which monitors a carrier holds (a carrier must not run the loop inside one)
    requires java.management;

    exports dev.greenhub;
    exports dev.greenhub.net;
    // internal: the scheduler's raw fd waits and deadline arithmetic (FdWaits, Deadlines), for the
    // TCK's scheduler rules; dev.greenhub.net reaches them inside this module
    exports dev.greenhub.internal to dev.greenhub.tck;
}
