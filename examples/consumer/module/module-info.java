/**
 * The consumer as a module of its own, for the module-path run in CI (.ci/run compiles it with
 * ../src/main/java against target/lib). It needs the core only: the hub modules come in by
 * service binding (dev.greenhub.hub uses HubProvider, each hub provides it). Kept out of
 * src/main/java so that the Maven build (and its executable jar) stays on the class path, as the
 * README's "Use it in your project" shows.
 */
module greenhub.consumer {
    requires dev.greenhub.core;
}
