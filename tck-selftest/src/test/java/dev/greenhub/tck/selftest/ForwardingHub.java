package dev.greenhub.tck.selftest;

import dev.greenhub.hub.Hub;
import dev.greenhub.hub.ReadyHandler;
import java.io.IOException;

/** A hub that passes every call to a real hub; the broken hubs override what they break. */
class ForwardingHub implements Hub {
    final Hub delegate;
    private final String name;

    ForwardingHub(Hub delegate, String name) {
        this.delegate = delegate;
        this.name = name;
    }

    /** Throws as a closed hub must, for the methods a broken hub implements itself. */
    final void checkOpen() {
        if (delegate.isClosed()) {
            throw new IllegalStateException("the " + name + " hub is closed");
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int fdLimit() {
        return delegate.fdLimit();
    }

    @Override
    public void register(int fd, int interest) throws IOException {
        delegate.register(fd, interest);
    }

    @Override
    public void unregister(int fd) throws IOException {
        delegate.unregister(fd);
    }

    @Override
    public int interest(int fd) {
        return delegate.interest(fd);
    }

    @Override
    public int registeredCount() {
        return delegate.registeredCount();
    }

    @Override
    public int poll(long timeoutNanos, ReadyHandler handler) throws IOException {
        return delegate.poll(timeoutNanos, handler);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
