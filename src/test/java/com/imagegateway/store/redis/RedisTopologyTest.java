package com.imagegateway.store.redis;

import org.junit.jupiter.api.Test;

import com.imagegateway.ImageGatewayApplication;
import com.imagegateway.UpstreamStub;

import org.springframework.boot.builder.SpringApplicationBuilder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Redis topologies the gateway supports are one primary, alone or with replicas and
 * Sentinel. Cluster would fail at the first create (the scripts that record a job touch
 * keys of several slots): it is refused at start-up instead, saying why.
 */
class RedisTopologyTest {

	@Test
	void aRedisClusterIsRefusedAtStartUpWithAReasonAnOperatorUnderstands() {
		assertThatThrownBy(() -> new SpringApplicationBuilder(ImageGatewayApplication.class).profiles("test")
			.run("--server.port=0", "--gateway.store.type=redis", "--spring.data.redis.cluster.nodes=127.0.0.1:7000",
					"--gateway.upstream.base-url=" + UpstreamStub.baseUrl()))
			.rootCause()
			.hasMessageContaining("does not support Redis Cluster")
			.hasMessageContaining("Sentinel");
	}

}
