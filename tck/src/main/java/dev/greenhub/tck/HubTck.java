package dev.greenhub.tck;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.HubProvider;

/**
 * The greenhub compatibility kit: the rules every {@link Hub} must follow, as JUnit 5 tests.
 *
 * <h2>Running it against your hub with JUnit</h2>
 * Extend this class in your hub's test sources and return your provider:
 * <pre>{@code
 * class MyHubTckTest extends HubTck {
 *     @Override
 *     protected HubProvider provider() {
 *         return new MyHubProvider();
 *     }
 * }
 * }</pre>
 * The test JVM needs greenhub's flags ({@code --enable-native-access=ALL-UNNAMED
 * --add-opens java.base/sun.nio.ch=ALL-UNNAMED
 * --add-opens java.base/java.lang=ALL-UNNAMED}); the kit reads fd numbers of JDK socket channels,
 * uses jnr for pipes, and runs greenthread-core's green threads (virtual threads with a custom
 * scheduler) for the scheduler rules.
 *
 * <h2>Capabilities</h2>
 * The kit asks {@link #capabilities()} what to expect: by default
 * {@link HubCapabilities#load(HubProvider)}, which reads
 * {@code META-INF/greenhub/tck/<provider name>.properties} from your provider's class loader. A
 * rule marked {@link Optional} checks a {@link Feature} your hub may lack; if your capabilities
 * say it lacks it, the rule is skipped with that reason. Rules marked {@link Required} always run.
 *
 * <h2>Running it from the command line</h2>
 * {@code java -cp <class path> dev.greenhub.tck.Tck --hub NAME} runs the same rules against the
 * provider named NAME found on the class path; see {@link Tck}.
 *
 * <h2>What each rule does</h2>
 * Each rule is one test, named {@code "Rnn meaning [required]"} or
 * {@code "Rnn meaning [optional: FEATURE]"}; a failing rule's message ends with what to check
 * ({@code "if this fails, check ..."}). The rules are grouped in sections of one concern each
 * (lifecycle, readiness, peer close, registration, timeouts, wakeup, closed fds, limits, scheduler),
 * which this class inherits. It opens its own hub(s), pipes, socket pairs and
 * loopback TCP sockets, closes them when it ends, and fails if a pipe, socket or
 * anonymous-inode fd (an eventfd, an epoll instance) is left open afterwards, since that is a hub
 * leaking its native fds. Every poll the kit makes is checked for what all polls must respect:
 * reported fds are registered, readiness is non-zero and made of READ/WRITE/ERROR/HANGUP, READ and
 * WRITE are reported only when asked for, each fd at most once per call, and the return value is
 * the number of reports. A poll that a broken hub would never end is ended by a watchdog pipe
 * that becomes readable after a few seconds, so rules fail instead of hanging; each rule is also
 * bounded by a JUnit {@code @Timeout}. Timing rules check exact lower bounds ("never early") and
 * generous upper bounds; no rule measures speed.
 *
 * <p>The scheduler rules (R55 on, titled {@code "scheduler: ..."}) run greenthread-core's
 * {@link dev.greenhub.Scheduler} on a hub of the provider ({@code Scheduler.open(provider)}, bound
 * to the rule's thread and closed before the rule ends): sleep and timer precision and order,
 * green threads resumed by fd readiness through the core, wakeups from other threads, and the
 * release of the hub when the scheduler closes.
 *
 * <p>Rules run one at a time on one instance (per-class lifecycle), in rule-id order.
 */
public abstract class HubTck extends SchedulerRules {

    /** Subclasses are created by JUnit. */
    protected HubTck() {
    }

    /**
     * The provider whose hubs the rules test. Called once per rule; may return a new instance
     * each time.
     *
     * @return the provider
     */
    @Override
    protected abstract HubProvider provider();

    /**
     * What the rules may expect of the provider's hubs. The default reads the provider's
     * capability resource with {@link HubCapabilities#load(HubProvider)}; override to declare them
     * in code with {@link HubCapabilities#builder(int)}.
     *
     * @return the capabilities
     */
    @Override
    protected HubCapabilities capabilities() {
        return super.capabilities();
    }
}
