/**
 * Green networking (eventlet's {@code green.socket}, {@code green.ssl}, {@code greenio.GreenPipe}
 * and {@code convenience}): blocking-style TCP, TLS, UDP, Unix-domain and pipe code that runs
 * thousands of connections on one hub thread.
 *
 * <ul>
 *   <li>{@link dev.greenhub.net.GreenNet}: {@code listen}, {@code connect}, {@code serve}, over
 *       TCP or a Unix-domain socket file.</li>
 *   <li>{@link dev.greenhub.net.GreenSocket}, {@link dev.greenhub.net.GreenServerSocket}:
 *       non-blocking JDK channels whose waits park only the calling green thread.</li>
 *   <li>{@link dev.greenhub.net.GreenTls}, {@link dev.greenhub.net.GreenTlsSocket},
 *       {@link dev.greenhub.net.GreenTlsServerSocket}: TLS over green sockets.</li>
 *   <li>{@link dev.greenhub.net.GreenDatagramSocket}: UDP, connected or not, and multicast.</li>
 *   <li>{@link dev.greenhub.net.GreenPipe}, {@link dev.greenhub.net.GreenProcess}: pipes, and a
 *       child process's stdin, stdout and stderr.</li>
 *   <li>{@link dev.greenhub.net.StopServe}: stops {@code serve}.</li>
 * </ul>
 * Other raw fds (ttys, devices) are waited on with {@link dev.greenhub.GreenIo#trampoline}; blocking calls
 * that have no green form go to {@link dev.greenhub.Tpool}.
 *
 * <p>Green sockets read each channel's fd once, through a JDK internal; the JVM needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (greenhub's launcher and test flags set it;
 * without it the first socket names the flag).
 *
 * <p>Exceptions: {@link java.net.SocketTimeoutException} ({@link dev.greenhub.IoTimeoutException})
 * when a per-socket timeout passes, {@link dev.greenhub.IoClosedException} (a
 * {@link java.nio.channels.AsynchronousCloseException}) when the socket is closed through greenhub
 * while waited on or used afterwards, {@link IllegalStateException} for a second simultaneous
 * reader or writer, and the JDK's own {@link java.io.IOException}s for connection failures.
 */
package dev.greenhub.net;
