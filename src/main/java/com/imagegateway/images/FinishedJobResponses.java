package com.imagegateway.images;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Base64;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import org.jspecify.annotations.Nullable;
import com.github.benmanes.caffeine.cache.Caffeine;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * The answer to a read of a finished job, serialized once: a finished job never changes,
 * so its JSON and strong {@code ETag} are kept and a repeated read only copies bytes (or
 * answers {@code 304}).
 */
@Component
class FinishedJobResponses {

	private static final int CACHED = 10_000;

	private final JsonMapper json;

	private final SignedOutputLinks links;

	private final Cache<String, Rendered> rendered = Caffeine.newBuilder()
		.maximumSize(CACHED)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	FinishedJobResponses(JsonMapper json, SignedOutputLinks links) {
		this.json = json;
		this.links = links;
	}

	/**
	 * @param gateway the address the caller used, which relative (sandbox) output links
	 * are resolved against; built only when a link needs it
	 * @param deliveries the webhook's deliveries, for a job with one: the rendering
	 * changes with them until each is settled
	 */
	Rendered render(Job job, Supplier<URI> gateway, @Nullable List<JobWebhooks.Delivery> deliveries) {
		boolean stored = job.copies() != null && job.copies().stream().anyMatch(OutputCopy::stored);
		boolean relative = stored || job.outputUrls().stream().anyMatch((url) -> url.startsWith("/"));
		URI base = relative ? gateway.get() : null;
		// signed links change every five minutes, and so does the rendering with them
		String key = !relative ? job.id() : job.id() + '\n' + base + (stored ? "\n" + this.links.expires() : "");
		if (deliveries != null) {
			key = key + '\n' + deliveries;
		}
		return this.rendered.get(key, (ignored) -> {
			byte[] body = this.json
				.writeValueAsBytes(ImageJob.of(job, (base != null) ? base : gateway.get(), this.links, deliveries));
			return new Rendered(body, etag(body));
		});
	}

	private static String etag(byte[] body) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
			return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 18)) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @param body the job as JSON
	 * @param etag a strong validator: a hash of exactly these bytes
	 */
	record Rendered(byte[] body, String etag) {

		/** Whether an {@code If-None-Match} header names this representation. */
		boolean matches(String ifNoneMatch) {
			if (ifNoneMatch.strip().equals("*")) {
				return true;
			}
			for (String tag : ifNoneMatch.split(",")) {
				String candidate = tag.strip();
				if (candidate.startsWith("W/")) {
					candidate = candidate.substring(2);
				}
				if (candidate.equals(this.etag)) {
					return true;
				}
			}
			return false;
		}

	}

}
