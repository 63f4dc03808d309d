package com.imagegateway.upstream;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * The upstream's quota as one budget for every replica (with the Redis store). Without
 * one, each replica keeps the quota with its own Resilience4j limiter.
 */
public interface SharedUpstreamQuota {

	/** Counts one call against the upstream key's current window. */
	Mono<QuotaUse> take(String upstreamKey, UpstreamProperties.Limits limits);

	/**
	 * @param permitted whether the call fits in the window
	 * @param resetIn time until the window refills
	 */
	record QuotaUse(boolean permitted, Duration resetIn) {
	}

}
