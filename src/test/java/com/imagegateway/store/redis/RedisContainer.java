package com.imagegateway.store.redis;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import org.springframework.test.util.TestSocketUtils;

import static org.awaitility.Awaitility.await;

/**
 * Redis 7.0 with AOF on, listening on a fixed port of the host's loopback so that it can
 * be stopped and started again (the same container, its data kept) while gateways stay
 * connected to one address. It runs in the host's network namespace, with no port
 * published: a published port is forwarded (DNAT) to the container's address on podman's
 * bridge, which is a new one each time the container starts again, and once, in a run of
 * the whole suite, a test's new connection after restarts failed with "no route to host",
 * which only forwarding to a bridge address that does not answer gives. On the loopback
 * nothing is forwarded.
 */
public final class RedisContainer implements AutoCloseable {

	private final int port = TestSocketUtils.findAvailableTcpPort();

	private final GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7.0"))
		.withNetworkMode("host")
		.withCommand("--port", Integer.toString(this.port), "--bind", "127.0.0.1", "--protected-mode", "no",
				"--appendonly", "yes", "--appendfsync", "always")
		.waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1));

	public RedisContainer start() {
		this.container.start();
		return this;
	}

	public String url() {
		return "redis://127.0.0.1:" + this.port;
	}

	/** Stops Redis the way a crash or a node loss does, keeping its data directory. */
	public void stop() {
		DockerClientFactory.instance().client().stopContainerCmd(this.container.getContainerId()).withTimeout(0).exec();
	}

	/** Starts the same container again; it reloads its append-only file. */
	public void startAgain() {
		DockerClientFactory.instance().client().startContainerCmd(this.container.getContainerId()).exec();
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> "PONG".equals(command((redis) -> redis.ping())));
	}

	public void flushAll() {
		command((redis) -> redis.flushall());
	}

	public <T> T command(
			java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<String, String>, T> command) {
		RedisClient client = RedisClient.create(url());
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return command.apply(connection.sync());
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
		}
	}

	@Override
	public void close() {
		this.container.stop();
	}

}
