package com.imagegateway.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

import org.springframework.stereotype.Component;

/**
 * Where a webhook may be delivered: the one rule against server-side request forgery,
 * applied when a job asks for a webhook and again at every delivery (a name may resolve
 * elsewhere by then). A host resolves to addresses that are all public, or it is refused,
 * unless it is on {@code gateway.webhooks.allowed-hosts}. Resolving blocks: callers run
 * it off the event loops.
 */
@Component
class WebhookAddresses {

	private final WebhookProperties properties;

	WebhookAddresses(WebhookProperties properties) {
		this.properties = properties;
	}

	/**
	 * The address to connect to for {@code host}: the first it resolves to, once all are
	 * checked.
	 */
	InetAddress resolve(String host) throws UnknownHostException, ForbiddenAddressException {
		InetAddress[] addresses = InetAddress.getAllByName(host);
		if (!this.properties.allows(host)) {
			for (InetAddress address : addresses) {
				if (forbidden(address)) {
					throw new ForbiddenAddressException(host, address);
				}
			}
		}
		return addresses[0];
	}

	boolean allowsPlainHttp(String host) {
		return this.properties.allows(host);
	}

	/**
	 * Loopback, unspecified, link-local (cloud metadata at 169.254.169.254 included),
	 * private, unique-local (fd00:ec2::254 too), shared (100.64.0.0/10), multicast,
	 * reserved and broadcast addresses, and IPv6 forms of any of these.
	 */
	static boolean forbidden(InetAddress address) {
		if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			int first = bytes[0] & 0xff;
			int second = bytes[1] & 0xff;
			return first == 0 || (first == 100 && (second & 0xc0) == 64)
					|| (first == 192 && second == 0 && bytes[2] == 0) || (first == 198 && (second & 0xfe) == 18)
					|| first >= 240;
		}
		if (address instanceof Inet6Address) {
			if ((bytes[0] & 0xfe) == 0xfc) {
				return true;
			}
			if (embedsIpv4(bytes)) {
				return forbidden(ipv4(Arrays.copyOfRange(bytes, 12, 16)));
			}
		}
		return false;
	}

	/**
	 * {@code ::ffff:a.b.c.d} (mapped), {@code ::a.b.c.d} (compatible) and
	 * {@code 64:ff9b::a.b.c.d} (NAT64).
	 */
	private static boolean embedsIpv4(byte[] bytes) {
		boolean zeroes = true;
		for (int i = 0; i < 10; i++) {
			zeroes &= bytes[i] == 0;
		}
		boolean mapped = zeroes
				&& ((bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) || (bytes[10] == 0 && bytes[11] == 0));
		boolean nat64 = bytes[0] == 0 && bytes[1] == 0x64 && bytes[2] == (byte) 0xff && bytes[3] == (byte) 0x9b;
		return mapped || nat64;
	}

	private static InetAddress ipv4(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException impossible) {
			throw new IllegalStateException(impossible);
		}
	}

	/** A host that resolves to an address the gateway does not deliver to. */
	static final class ForbiddenAddressException extends Exception {

		ForbiddenAddressException(String host, InetAddress address) {
			super(host + " resolves to " + address.getHostAddress()
					+ ", a loopback, private, link-local or otherwise internal address the gateway does not call");
		}

	}

}
