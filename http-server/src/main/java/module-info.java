/**
 * HTTP/1.1 on green sockets ({@link dev.greenhub.http.GreenHttpServer}) and a
 * {@code com.sun.net.httpserver} provider, so that an application written against the JDK's
 * {@code HttpServer} runs on greenhub unchanged.
 */
module dev.greenhub.http {
    requires transitive dev.greenhub.core;
    requires transitive jdk.httpserver;

    exports dev.greenhub.http;

    provides com.sun.net.httpserver.spi.HttpServerProvider with dev.greenhub.http.jdk.GreenHttpServerProvider;
}
