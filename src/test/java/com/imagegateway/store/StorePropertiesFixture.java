package com.imagegateway.store;

import java.time.Duration;

/** Store settings for tests that build a store by hand. */
public final class StorePropertiesFixture {

	private StorePropertiesFixture() {
	}

	public static StoreProperties memory(Duration retention, int maxJobs) {
		return new StoreProperties(StoreProperties.Type.MEMORY, retention, maxJobs, Duration.ofHours(24), 100,
				Duration.ofSeconds(90), redis());
	}

	public static StoreProperties.Redis redis() {
		return new StoreProperties.Redis("igw-test:", Duration.ofSeconds(2), Duration.ofSeconds(5), 100,
				Duration.ofMinutes(10));
	}

}
