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

    /**
     * Serves until standard input ends.
     *
     * @param args the port
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        if (!Epoll.isAvailable()) {
            System.out.println("ERROR netty epoll is unavailable: " + Epoll.unavailabilityCause());
            System.exit(1);
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
            System.out.println("LISTENING " + ((InetSocketAddress) server.localAddress()).getPort());
            System.out.flush();
            waitForEndOfInput();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
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
