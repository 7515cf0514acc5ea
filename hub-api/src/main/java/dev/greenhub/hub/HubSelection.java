package dev.greenhub.hub;

import java.util.List;

/**
 * The outcome of {@link Hubs#select()}: the chosen provider, why it was chosen, and every
 * provider that was considered.
 *
 * @param provider the chosen provider, available
 * @param reason why it was chosen, such as {@code "named by -Dgreenhub.hub=poll"} or
 *     {@code "highest priority of the available providers"}
 * @param providers the full provider table, highest priority first
 */
public record HubSelection(HubProvider provider, String reason, List<ProviderStatus> providers) {
    /** Copies the table. */
    public HubSelection {
        providers = List.copyOf(providers);
    }
}
