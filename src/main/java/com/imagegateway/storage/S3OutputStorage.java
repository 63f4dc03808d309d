package com.imagegateway.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * Outputs as objects in an S3-compatible bucket. A download is staged in a local file and
 * then uploaded with one {@code PutObject} of its known length: S3 makes an object
 * visible only when its upload completed, so a crash midway leaves nothing to serve.
 * Reads are ranged {@code GetObject}s streamed as they arrive, never a whole object in
 * memory.
 */
class S3OutputStorage implements OutputStorage {

	private final S3AsyncClient client;

	private final String bucket;

	private final String prefix;

	private final Path staging;

	S3OutputStorage(S3AsyncClient client, StorageProperties.S3 properties) {
		this.client = client;
		this.bucket = properties.bucket();
		this.prefix = properties.prefix();
		this.staging = properties.stagingDirectory().toAbsolutePath().normalize();
		try {
			Files.createDirectories(this.staging);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the staging directory " + this.staging, ex);
		}
	}

	@Override
	public Path stagingDirectory() {
		return this.staging;
	}

	@Override
	public Mono<Void> put(String key, Path file, String contentType) {
		// the file's body knows its length: the upload is sent with it, never chunked
		return Mono.fromFuture(() -> this.client.putObject(
				PutObjectRequest.builder().bucket(this.bucket).key(objectKey(key)).contentType(contentType).build(),
				AsyncRequestBody.fromFile(file)))
			.then(Mono.<Void>fromCallable(() -> {
				// uploaded: the staged copy is of no further use
				Files.deleteIfExists(file);
				return null;
			}).subscribeOn(Schedulers.boundedElastic()));
	}

	@Override
	public Mono<Void> copy(String from, String to) {
		// within the bucket: the store copies, nothing passes through the gateway
		return Mono.fromFuture(() -> this.client.copyObject(CopyObjectRequest.builder()
			.sourceBucket(this.bucket)
			.sourceKey(objectKey(from))
			.destinationBucket(this.bucket)
			.destinationKey(objectKey(to))
			.build())).then();
	}

	@Override
	public Flux<DataBuffer> read(String key, long offset, long length) {
		if (length == 0) {
			return Flux.empty();
		}
		GetObjectRequest request = GetObjectRequest.builder()
			.bucket(this.bucket)
			.key(objectKey(key))
			.range("bytes=" + offset + "-" + (offset + length - 1))
			.build();
		// the SDK hands each received chunk over as a buffer of its own, so wrapping
		// copies nothing
		return Mono.fromFuture(() -> this.client.getObject(request, AsyncResponseTransformer.toPublisher()))
			.flatMapMany(Flux::from)
			.map(DefaultDataBufferFactory.sharedInstance::wrap);
	}

	@Override
	public Mono<Void> delete(String key) {
		return Mono
			.fromFuture(() -> this.client
				.deleteObject(DeleteObjectRequest.builder().bucket(this.bucket).key(objectKey(key)).build()))
			.then();
	}

	private String objectKey(String key) {
		return this.prefix + key;
	}

}
