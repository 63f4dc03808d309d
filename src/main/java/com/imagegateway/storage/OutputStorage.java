package com.imagegateway.storage;

import java.nio.file.Path;

import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where stored outputs live: a directory ({@code gateway.storage.type=filesystem}) or an
 * S3-compatible bucket ({@code s3}). A write is atomic: an object is either there whole
 * or not at all, so a crash never leaves a part of one to be served.
 */
public interface OutputStorage {

	/**
	 * Where downloads are written before they are stored: a directory this storage can
	 * take files from.
	 */
	Path stagingDirectory();

	/**
	 * Stores the file's bytes under {@code key}, replacing any object there. The file is
	 * the storage's afterwards (it may be moved away); the caller deletes it if it is
	 * still there.
	 */
	Mono<Void> put(String key, Path file, String contentType);

	/** {@code length} bytes of the object from {@code offset}, streamed. */
	Flux<DataBuffer> read(String key, long offset, long length);

	/**
	 * Copies the object at {@code from} to {@code to}, replacing any object there, as
	 * atomically as {@link #put} stores one.
	 */
	Mono<Void> copy(String from, String to);

	/** Removes the object; nothing when there is none. */
	Mono<Void> delete(String key);

}
