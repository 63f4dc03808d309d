package com.imagegateway.storage;

import java.net.URI;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * s3proxy, a real S3-compatible server (filesystem backend, AWS v4 signatures), from the
 * local image {@code .ci/image-s3proxy.sh} builds. The gateway finds its credentials the
 * way it finds AWS's, through the SDK's default chain: here its {@code aws.*} system
 * properties.
 */
public final class S3ProxyContainer {

	public static final String ACCESS_KEY = "test-access-key";

	public static final String SECRET_KEY = "test-secret-key";

	private static final GenericContainer<?> CONTAINER = new GenericContainer<>(
			DockerImageName.parse("localhost/s3proxy:2.6.0"))
		.withExposedPorts(80)
		.waitingFor(Wait.forLogMessage(".*Started Server.*", 1));

	private S3ProxyContainer() {
	}

	/**
	 * Starts the one s3proxy of this test run, if not yet started, and gives its address.
	 */
	public static synchronized URI endpoint() {
		if (!CONTAINER.isRunning()) {
			CONTAINER.start();
			System.setProperty("aws.accessKeyId", ACCESS_KEY);
			System.setProperty("aws.secretAccessKey", SECRET_KEY);
		}
		return URI.create("http://" + CONTAINER.getHost() + ":" + CONTAINER.getMappedPort(80));
	}

	/** A bucket of this name, created if missing. */
	public static String bucket(String name) {
		try (S3Client client = client()) {
			if (client.listBuckets().buckets().stream().noneMatch((bucket) -> bucket.name().equals(name))) {
				client.createBucket((create) -> create.bucket(name));
			}
		}
		return name;
	}

	/** A client of its own, to look into the bucket past the gateway. */
	public static S3Client client() {
		return S3Client.builder()
			.endpointOverride(endpoint())
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
			.build();
	}

}
