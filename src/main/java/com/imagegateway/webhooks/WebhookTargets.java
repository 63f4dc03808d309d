package com.imagegateway.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import com.imagegateway.system.Problems;

import org.springframework.stereotype.Component;

/**
 * Checks the URL a caller gives for its webhook before anything is created: an absolute
 * {@code https} URL ({@code http} only for an allowed host) without credentials, whose
 * host resolves to public addresses only ({@link WebhookAddresses}). A refusal is a
 * {@code 400} on the field {@code webhook}, saying why.
 */
@Component
public class WebhookTargets {

	static final String FIELD = "webhook";

	private static final int LONGEST_URL = 2000;

	private final WebhookAddresses addresses;

	WebhookTargets(WebhookAddresses addresses) {
		this.addresses = addresses;
	}

	/** The URL, once it is one the gateway delivers to. */
	public Mono<URI> check(String url) {
		URI uri;
		try {
			uri = syntax(url);
		}
		catch (RuntimeException refused) {
			return Mono.error(refused);
		}
		return Mono.fromCallable(() -> {
			try {
				this.addresses.resolve(uri.getHost());
				return uri;
			}
			catch (UnknownHostException unknown) {
				throw Problems.invalidField(FIELD, "names a host that does not resolve: " + uri.getHost());
			}
			catch (WebhookAddresses.ForbiddenAddressException forbidden) {
				throw Problems.invalidField(FIELD, forbidden.getMessage());
			}
		}).subscribeOn(Schedulers.boundedElastic());
	}

	private URI syntax(String url) {
		if (url.length() > LONGEST_URL) {
			throw Problems.invalidField(FIELD, "must be at most " + LONGEST_URL + " characters");
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw Problems.invalidField(FIELD, "must be an absolute https URL");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
			throw Problems.invalidField(FIELD, "must be an absolute https URL");
		}
		if (uri.getRawUserInfo() != null) {
			// they would be sent, and shown, with every delivery
			throw Problems.invalidField(FIELD, "must not carry credentials");
		}
		if (scheme.equals("http") && !this.addresses.allowsPlainHttp(uri.getHost())) {
			throw Problems.invalidField(FIELD,
					"must use https (http only for hosts on gateway.webhooks.allowed-hosts)");
		}
		return uri;
	}

}
