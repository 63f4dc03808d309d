package com.imagegateway.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.assertj.core.groups.Tuple;
import org.testcontainers.junit.jupiter.Testcontainers;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code gateway.storage.type=s3} against a real S3-compatible server (s3proxy in a
 * container), with the client the application builds from its properties.
 */
@Testcontainers(disabledWithoutDocker = true)
class S3OutputStorageTest {

	private static final byte[] BYTES = randomBytes(300_000);

	@TempDir
	static Path staging;

	private static S3AsyncClient client;

	private static S3OutputStorage storage;

	private static String bucket;

	@BeforeAll
	static void connect() {
		URI endpoint = S3ProxyContainer.endpoint();
		bucket = S3ProxyContainer.bucket("storage-test");
		StorageProperties.S3 s3 = new StorageProperties.S3(bucket, "outputs/", "", endpoint, true, staging);
		client = new StorageConfiguration.S3StorageConfiguration().outputsS3Client(properties(s3));
		storage = new S3OutputStorage(client, s3);
	}

	@AfterAll
	static void close() {
		client.close();
	}

	@Test
	void anUploadedFileIsServedWholeAndInRangesAndItsStagedCopyIsGone() throws IOException {
		Path file = staged(BYTES);
		StepVerifier.create(storage.put("job-1/0", file, "image/png")).verifyComplete();

		assertThat(file).doesNotExist();
		assertThat(read("job-1/0", 0, BYTES.length)).isEqualTo(BYTES);
		assertThat(read("job-1/0", 1000, 70_000)).isEqualTo(Arrays.copyOfRange(BYTES, 1000, 71_000));
		assertThat(read("job-1/0", BYTES.length - 1, 1)).containsExactly(BYTES[BYTES.length - 1]);
		assertThat(read("job-1/0", 5, 0)).isEmpty();
	}

	@Test
	void anObjectCopiedWithinTheBucketIsServedWholeAndOutlivesItsSource() throws IOException {
		StepVerifier.create(storage.put("job-copy-src/0", staged(BYTES), "image/png")).verifyComplete();

		StepVerifier.create(storage.copy("job-copy-src/0", "c-job-copy/0")).verifyComplete();
		StepVerifier.create(storage.delete("job-copy-src/0")).verifyComplete();

		assertThat(read("c-job-copy/0", 0, BYTES.length)).isEqualTo(BYTES);
	}

	@Test
	void objectsLiveUnderThePrefixWithTheirContentType() throws IOException {
		StepVerifier.create(storage.put("job-2/1", staged(BYTES), "image/webp")).verifyComplete();

		try (S3Client raw = S3ProxyContainer.client()) {
			assertThat(raw.listObjectsV2((list) -> list.bucket(bucket).prefix("outputs/job-2/")).contents())
				.extracting(S3Object::key, S3Object::size)
				.containsExactly(Tuple.tuple("outputs/job-2/1", (long) BYTES.length));
			assertThat(raw.headObject((head) -> head.bucket(bucket).key("outputs/job-2/1")).contentType())
				.isEqualTo("image/webp");
		}
	}

	@Test
	void aDeletedObjectIsGoneAndDeletingAMissingOneIsNoError() throws IOException {
		StepVerifier.create(storage.put("job-3/0", staged(BYTES), "image/png")).verifyComplete();

		StepVerifier.create(storage.delete("job-3/0")).verifyComplete();
		StepVerifier.create(storage.delete("job-3/0")).verifyComplete();
		StepVerifier.create(storage.read("job-3/0", 0, 10)).verifyError(NoSuchKeyException.class);
	}

	@Test
	void anUploadCutOffMidwayLeavesNoObjectToServe() {
		// what a crash mid-upload looks like to S3: the body ends before its declared
		// length
		Flux<ByteBuffer> halfThenFailure = Flux.just(ByteBuffer.wrap(BYTES, 0, BYTES.length / 2))
			.concatWith(Flux.error(new IOException("connection lost")));
		assertThatExceptionOfType(Exception.class).isThrownBy(
				() -> client
					.putObject((put) -> put.bucket(bucket).key("outputs/job-4/0").contentLength((long) BYTES.length),
							AsyncRequestBody.fromPublisher(halfThenFailure))
					.join());

		try (S3Client raw = S3ProxyContainer.client()) {
			assertThatExceptionOfType(NoSuchKeyException.class)
				.isThrownBy(() -> raw.headObject((head) -> head.bucket(bucket).key("outputs/job-4/0")));
		}
	}

	private static byte[] read(String key, long offset, long length) {
		return DataBufferUtils.join(storage.read(key, offset, length), Integer.MAX_VALUE).map((buffer) -> {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			DataBufferUtils.release(buffer);
			return bytes;
		}).defaultIfEmpty(new byte[0]).block();
	}

	private static Path staged(byte[] bytes) throws IOException {
		return Files.write(Files.createTempFile(storage.stagingDirectory(), "download-", ".part"), bytes);
	}

	private static StorageProperties properties(StorageProperties.S3 s3) {
		return new StorageProperties(StorageProperties.Type.S3, DataSize.ofMegabytes(25), List.of("image/png"), "",
				Duration.ofHours(1), Duration.ofDays(7), Duration.ofMinutes(1), new StorageProperties.Filesystem(null),
				s3);
	}

	private static byte[] randomBytes(int size) {
		byte[] bytes = new byte[size];
		new Random(42).nextBytes(bytes);
		return bytes;
	}

}
