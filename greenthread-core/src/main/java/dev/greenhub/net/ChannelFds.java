package dev.greenhub.net;

import dev.greenhub.internal.JvmFlags;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.Channel;

/**
 * Reads the fd number behind a JDK socket channel, once per channel, through the JDK's
 * {@code sun.nio.ch.SelChImpl.getFDVal()} (which every selectable JDK channel implements).
 */
final class ChannelFds {
    static final String FLAG = JvmFlags.addOpens("sun.nio.ch");
    private static final String INTERFACE = "sun.nio.ch.SelChImpl";

    private static final Class<?> SEL_CH_IMPL;
    private static final Method GET_FD_VAL;
    private static final RuntimeException FAILURE;

    static {
        Class<?> type = null;
        Method method = null;
        RuntimeException failure = null;
        try {
            type = Class.forName(INTERFACE, false, null);
            method = type.getMethod("getFDVal");
            method.setAccessible(true);
        } catch (InaccessibleObjectException e) {
            failure = new IllegalStateException(JvmFlags.message("green sockets cannot read the fd of a"
                    + " socket channel: " + INTERFACE + ".getFDVal() is not open to greenhub", FLAG), e);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            failure = new UnsupportedOperationException("this JDK (" + Runtime.version() + ") has no "
                    + INTERFACE + ".getFDVal(), which green sockets use to find a channel's fd", e);
        }
        SEL_CH_IMPL = failure == null ? type : null;
        GET_FD_VAL = failure == null ? method : null;
        FAILURE = failure;
    }

    private ChannelFds() {
    }

    /**
     * The fd of {@code channel}.
     *
     * @param channel an open JDK socket or server-socket channel
     * @return its fd number
     * @throws IllegalStateException naming the missing JVM flag
     * @throws IllegalArgumentException if the channel is not one of the JDK's selectable channels
     */
    static int fdOf(Channel channel) {
        if (FAILURE != null) {
            throw FAILURE;
        }
        if (!SEL_CH_IMPL.isInstance(channel)) {
            throw new IllegalArgumentException(channel.getClass().getName() + " is not a JDK selectable channel ("
                    + INTERFACE + "); green sockets need the JDK's own socket channels");
        }
        try {
            return (int) GET_FD_VAL.invoke(channel);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(JvmFlags.message("green sockets cannot read the fd of "
                    + channel, FLAG), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("reading the fd of " + channel + " failed", e.getCause());
        }
    }
}
