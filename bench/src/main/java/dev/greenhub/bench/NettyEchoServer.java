package dev.greenhub.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The reference server of W6: a Netty 4.2 echo server on the native epoll transport with one
 * event-loop thread (which both accepts and serves). {@code NettyEchoServer PORT} (0 picks a free
 * port) prints {@code LISTENING <port>} and serves on 127.0.0.1 until its standard input ends, so
 * it stops with the process that started it.
 */
public final class NettyEchoServer {
    private NettyEchoServer() {
    }

    @ChannelHandler.Sharable
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** A started server: its port, and close() to stop it. */
    record Running(int port, Channel channel, EventLoopGroup group) implements AutoCloseable {
        @Override
        public void close() {
            try {
                channel.close().sync();
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            } catch (InterruptedException e) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts the server on 127.0.0.1.
     *
     * @param port the port, 0 for a free one
     * @return the running server
     * @throws IllegalStateException if Netty's epoll transport is unavailable here
     * @throws InterruptedException if interrupted while binding
     */
    static Running start(int port) throws InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("netty epoll is unavailable: " + Epoll.unavailabilityCause());
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Echo echo = new Echo();
            Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(echo);
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            return new Running(((InetSocketAddress) server.localAddress()).getPort(), server, group);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Serves until standard input ends.
     *
     * @param args the port
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Running server;
        try {
            server = start(port);
        } catch (IllegalStateException e) {
            System.out.println("ERROR " + e.getMessage());
            System.exit(1);
            return;
        }
        try (server) {
            System.out.println("LISTENING " + server.port());
            System.out.flush();
            waitForEndOfInput();
        }
    }

    static void waitForEndOfInput() {
        try {
            while (System.in.read() >= 0) {
                // the parent never writes; the loop ends when it closes the pipe or dies
            }
        } catch (IOException e) {
            // the pipe broke: the parent is gone
        }
    }
}
