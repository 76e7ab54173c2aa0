package io.skiplinobridge.tickets;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs a ticket webhook may go to: {@code https} only; a loopback address only when
 * {@code allow-loopback} is set (tests, local demos; then plain {@code http} is accepted too); private,
 * link-local, unique-local, wildcard and multicast addresses only when {@code allow-private} is set, so a
 * misconfigured target cannot make the bridge call into its own network. Checked at start-up and again
 * before every delivery (a DNS answer may change).
 */
final class WebhookTargetPolicy {

    private final boolean allowLoopback;
    private final boolean allowPrivate;

    WebhookTargetPolicy(boolean allowLoopback, boolean allowPrivate) {
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
    }

    /** Why {@code url} may not be called, or null when it may. */
    String refusal(URI url) {
        if (url == null || url.getHost() == null || url.getScheme() == null) {
            return "is not an absolute URL with a host";
        }
        if (url.getUserInfo() != null) {
            return "must not carry credentials in the URL";
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "must use https";
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(url.getHost());
        } catch (UnknownHostException e) {
            return "has a host that does not resolve: " + url.getHost();
        }
        boolean loopback = false;
        for (InetAddress address : addresses) {
            if (address.isLoopbackAddress()) {
                loopback = true;
                if (!allowLoopback) {
                    return "resolves to a loopback address (" + address.getHostAddress()
                            + "); allowed only with bridge.tickets.webhook.allow-loopback=true";
                }
            } else if (isPrivate(address) && !allowPrivate) {
                return "resolves to a private or link-local address (" + address.getHostAddress()
                        + "); allowed only with bridge.tickets.webhook.allow-private=true";
            }
        }
        if (scheme.equals("http") && !(loopback && allowLoopback)) {
            return "must use https (plain http only to a loopback address with allow-loopback)";
        }
        return null;
    }

    static boolean isPrivate(InetAddress address) {
        if (address.isSiteLocalAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (bytes.length == 16) {
            return (bytes[0] & 0xfe) == 0xfc;  // fc00::/7 unique local
        }
        // 100.64.0.0/10 carrier-grade NAT
        return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    }
}
