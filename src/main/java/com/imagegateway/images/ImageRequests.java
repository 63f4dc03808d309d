package com.imagegateway.images;

import java.net.URI;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/** What the API's handlers and {@link FinishedReads} both read of a request. */
public final class ImageRequests {

	private static final String HANDED_OVER = ImageRequests.class.getName() + ".job";

	private ImageRequests() {
	}

	/**
	 * The gateway's address as the caller sees it, which the links of a job are made
	 * from.
	 */
	public static URI gateway(ServerHttpRequest http) {
		// an absolute path resolved against the request keeps its scheme and authority
		// only
		return http.getURI().resolve("/");
	}

	/**
	 * Hands a running job already read from the store on to the controller, so that it is
	 * read once.
	 */
	static void handOver(ServerWebExchange exchange, Job job) {
		exchange.getAttributes().put(HANDED_OVER, job);
	}

	/** The job {@link #handOver} handed on, if any. */
	static @Nullable Job handedOver(ServerWebExchange exchange) {
		return exchange.getAttribute(HANDED_OVER);
	}

}
