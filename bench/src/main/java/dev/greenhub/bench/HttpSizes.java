package dev.greenhub.bench;

import java.util.List;

/**
 * The sizes of W8 (HTTP hello-world with wrk).
 *
 * @param connections the keep-alive connection counts, one wrk run each
 * @param idleConnections how many idle keep-alive connections the memory measurement opens
 * @param hubs the hub count of the multi-hub greenhub server (the other has one hub)
 */
public record HttpSizes(List<Integer> connections, int idleConnections, int hubs) {
    /** Checks and copies. */
    public HttpSizes {
        connections = List.copyOf(connections);
        if (connections.isEmpty() || connections.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("W8 connections must be a non-empty list of counts >= 1: " + connections);
        }
        if (idleConnections < 1) {
            throw new IllegalArgumentException("W8 idle connections must be at least 1: " + idleConnections);
        }
        if (hubs < 2) {
            throw new IllegalArgumentException("W8's multi-hub server needs at least 2 hubs: " + hubs);
        }
    }

    /** @return the sizes: 50 and 256 connections, 2,000 idle connections, 2 hubs */
    public static HttpSizes defaults() {
        return new HttpSizes(List.of(50, 256), 2000, 2);
    }
}
