package dev.greenhub.hub;

/**
 * No hub can be had: the provider that was named is missing or unavailable, or there is no
 * provider at all. The message lists what is on the class path and why each unavailable
 * provider is unavailable.
 */
public final class HubUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was asked for and what is on the class path
     */
    public HubUnavailableException(String message) {
        super(message);
    }
}
