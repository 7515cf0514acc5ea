package dev.greenhub.http.jdk;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import com.sun.net.httpserver.spi.HttpServerProvider;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Runs applications written against the JDK's {@link HttpServer} on greenhub: with this module on
 * the class path, {@code HttpServer.create(...)} returns a server whose handlers run in green
 * threads, one per connection, on {@value #HUBS_PROPERTY} hubs (default: one per available
 * processor). Registered in {@code META-INF/services}; also selectable with the JDK's system
 * property {@code com.sun.net.httpserver.HttpServerProvider=dev.greenhub.http.jdk.GreenHttpServerProvider}.
 *
 * <p>HTTPS is not provided: {@link #createHttpsServer} throws. An application that needs the JDK's
 * own server beside this module sets that property to
 * {@code sun.net.httpserver.DefaultHttpServerProvider}.
 */
public final class GreenHttpServerProvider extends HttpServerProvider {
    /** The system property giving the number of hubs of the servers this provider makes. */
    public static final String HUBS_PROPERTY = "greenhub.http.hubs";

    /** Creates the provider (called by ServiceLoader). */
    public GreenHttpServerProvider() {
    }

    /**
     * Creates a server, bound to {@code address} if it is not null.
     *
     * @param address where to listen, or null to {@code bind} later
     * @param backlog the listen backlog; 0 or less for the default
     * @return the server (not yet started)
     * @throws IOException if the address cannot be bound
     */
    @Override
    public HttpServer createHttpServer(InetSocketAddress address, int backlog) throws IOException {
        JdkHttpServer server = new JdkHttpServer(hubs());
        if (address != null) {
            server.bind(address, backlog);
        }
        return server;
    }

    /**
     * Not supported.
     *
     * @param address ignored
     * @param backlog ignored
     * @return never
     * @throws UnsupportedOperationException always, naming the property that selects the JDK's provider
     */
    @Override
    public HttpsServer createHttpsServer(InetSocketAddress address, int backlog) {
        throw new UnsupportedOperationException("greenhub's HttpServerProvider does not serve HTTPS; to use the"
                + " JDK's server, run with -Dcom.sun.net.httpserver.HttpServerProvider="
                + "sun.net.httpserver.DefaultHttpServerProvider");
    }

    static int hubs() {
        String value = System.getProperty(HUBS_PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + HUBS_PROPERTY + "=" + value + " is not a positive number of hubs");
        }
    }
}
