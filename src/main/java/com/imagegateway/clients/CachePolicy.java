package com.imagegateway.clients;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * How a client uses the cache of seeded requests.
 *
 * @param ttl how old an earlier result may be to answer its requests; null: only a
 * request's own {@code Cache-Control: max-age} asks the cache
 * @param readsFrom the clients whose results may answer it: itself first, then those that
 * share theirs with it
 */
public record CachePolicy(@Nullable Duration ttl, List<String> readsFrom) {

	public CachePolicy {
		readsFrom = List.copyOf(readsFrom);
	}

}
