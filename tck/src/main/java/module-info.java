/**
 * The hub compatibility kit: the JUnit 5 base class {@link dev.greenhub.tck.HubTck} (extend it in
 * your hub's tests) and the command-line runner {@link dev.greenhub.tck.Tck}. JUnit reaches the
 * rules by reflection, so the package is open to it.
 */
module dev.greenhub.tck {
    requires transitive dev.greenhub.hub;
    requires transitive org.junit.jupiter.api;
    requires dev.greenhub.core;
    requires dev.greenhub.nativeio;
    requires org.jnrproject.ffi;
    requires org.assertj.core;
    requires org.junit.platform.launcher;
    requires org.opentest4j;
    // sun.misc.Signal (ThreadSignals, reached by reflection): resolved only if some module requires it
    requires jdk.unsupported;

    exports dev.greenhub.tck;
    opens dev.greenhub.tck to org.junit.platform.commons;
}
