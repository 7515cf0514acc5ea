/**
 * What greenhub's native hubs share: libc over jnr-ffi, errno as an exception, the wakeup fd,
 * bounds-checked native buffers, {@code NativeHub}/{@code NativeHubProvider}. Not API: its package
 * is exported only to greenhub's hubs and the TCK (whose rules open fds and count them).
 *
 * <p>The one package exported to everyone, {@code dev.greenhub.nativeio.libc}, holds only the
 * jnr-ffi binding interface: jnr-ffi generates its implementation in a class loader of its own,
 * in an unnamed module, which a qualified export cannot name.
 */
@SuppressWarnings("module") // the modules named by the qualified export are built after this one
module dev.greenhub.nativeio {
    requires transitive dev.greenhub.hub;
    requires transitive org.jnrproject.ffi;
    requires org.jnrproject.jffi;
    requires org.jnrproject.posix;
    requires org.jnrproject.constants;
    // jnr-ffi generates its bindings with ASM; an automatic module cannot say it needs ASM, so
    // without this a launch without --add-modules would leave ASM unresolved.
    requires org.objectweb.asm;

    exports dev.greenhub.nativeio.libc;
    exports dev.greenhub.nativeio to
            dev.greenhub.hub.select,
            dev.greenhub.hub.poll,
            dev.greenhub.hub.epoll,
            dev.greenhub.tck;
}
