package dev.greenhub.tck;

/**
 * An optional behaviour a hub may lack. A hub declares the features it lacks in its
 * {@link HubCapabilities}; the rules marked {@link Optional} with such a feature are then skipped
 * with the reason, never silently passed.
 */
public enum Feature {
    /**
     * Reports {@link dev.greenhub.hub.Readiness#HANGUP} when the peer hangs up: a socket's peer
     * closes or shuts down its writing side, a pipe's writer closes. select(2) cannot tell a hangup
     * from plain readability, so the select hub lacks it.
     */
    HANGUP("reports HANGUP when a socket peer or a pipe writer closes"),
    /**
     * Reports {@link dev.greenhub.hub.Readiness#ERROR} for an error pending on the fd: a TCP
     * connection reset by its peer (SO_LINGER 0), a pipe whose reader has closed. select(2) shows
     * these only as readable or writable, so the select hub lacks it.
     */
    SOCKET_ERROR("reports ERROR for a pending socket or pipe error (reset connection, reader gone)"),
    /**
     * Reports {@link dev.greenhub.hub.Readiness#ERROR} for a registered fd that was closed behind
     * the hub's back, within {@link HubCapabilities#closedFdDetection()}, while the other fds keep
     * working. The three in-repo hubs have it; a hub built on a layer that hides closed fds may not.
     */
    CLOSED_FD_DETECTION("reports ERROR for an fd closed behind its back");

    private final String description;

    Feature(String description) {
        this.description = description;
    }

    /**
     * What a hub that has this feature does, in a phrase.
     *
     * @return the description
     */
    public String description() {
        return description;
    }
}
