package dev.greenhub.bench.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
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
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.Date;
import java.util.concurrent.TimeUnit;

/**
 * W8's second reference: a Netty 4.2 hello-world server ({@code HttpServerCodec} and a handler
 * answering {@link HelloServers#BODY} to every request, flushing once per read batch) on the
 * native epoll transport with one event-loop thread that accepts and serves.
 * {@code NettyHelloServer PORT} prints {@code LISTENING <port>} and serves on 127.0.0.1 until its
 * standard input ends.
 */
public final class NettyHelloServer {
    private static final ByteBuf BODY = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(HelloServers.BODY.length).writeBytes(HelloServers.BODY));

    private NettyHelloServer() {
    }

    /** Answers every request; one instance per channel (it caches the Date text per second). */
    private static final class Hello extends ChannelInboundHandlerAdapter {
        private long second = -1;
        private String date;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            BODY.duplicate(), false);
                    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HelloServers.CONTENT_TYPE)
                            .setInt(HttpHeaderNames.CONTENT_LENGTH, HelloServers.BODY.length)
                            .set(HttpHeaderNames.DATE, date());
                    if (HttpUtil.isKeepAlive(request)) {
                        if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                        }
                        ctx.write(response, ctx.voidPromise());
                    } else {
                        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private String date() {
            long now = System.currentTimeMillis() / 1000;
            if (now != second) {
                second = now;
                date = DateFormatter.format(new Date(now * 1000));
            }
            return date;
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
     * @param args the port (0: a free one)
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (!Epoll.isAvailable()) {
            System.out.println("ERROR netty epoll is unavailable: " + Epoll.unavailabilityCause());
            System.exit(1);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new Hello());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]))).sync().channel();
            System.out.println("LISTENING " + ((InetSocketAddress) server.localAddress()).getPort());
            System.out.flush();
            HelloServers.waitForEndOfInput();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
        System.exit(0);
    }
}
