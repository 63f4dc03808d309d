package com.imagegateway.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

/**
 * Outputs as files under one directory, which several replicas share as a volume. A file
 * is downloaded into a staging directory beside them and then renamed into its place,
 * which the file system does atomically: a file is never seen in part. File system calls
 * run on the bounded elastic pool, never on an event loop; reads are asynchronous.
 */
class FilesystemOutputStorage implements OutputStorage {

	private static final int CHUNK = 64 * 1024;

	private final Path root;

	private final Path staging;

	FilesystemOutputStorage(Path root) {
		this.root = root.toAbsolutePath().normalize();
		// beside the outputs, on the same file system: a stored file is renamed into
		// place, never copied
		this.staging = this.root.resolve(".staging");
		try {
			Files.createDirectories(this.staging);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the output directory " + this.root, ex);
		}
	}

	@Override
	public Path stagingDirectory() {
		return this.staging;
	}

	@Override
	public Mono<Void> put(String key, Path file, String contentType) {
		return Mono.<Void>fromCallable(() -> {
			Path target = path(key);
			Files.createDirectories(target.getParent());
			Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			return null;
		}).subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public Mono<Void> copy(String from, String to) {
		return Mono.<Void>fromCallable(() -> {
			Path target = path(to);
			Files.createDirectories(target.getParent());
			// copied beside the outputs, then renamed into place: never seen in part
			Path staged = Files.createTempFile(this.staging, "copy", ".part");
			try {
				Files.copy(path(from), staged, StandardCopyOption.REPLACE_EXISTING);
				Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			finally {
				Files.deleteIfExists(staged);
			}
			return null;
		}).subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public Flux<DataBuffer> read(String key, long offset, long length) {
		Flux<DataBuffer> whole = DataBufferUtils.readAsynchronousFileChannel(
				() -> AsynchronousFileChannel.open(path(key), StandardOpenOption.READ), offset,
				DefaultDataBufferFactory.sharedInstance, CHUNK);
		return DataBufferUtils.takeUntilByteCount(whole, length);
	}

	@Override
	public Mono<Void> delete(String key) {
		return Mono.<Void>fromCallable(() -> {
			Files.deleteIfExists(path(key));
			return null;
		}).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * Keys are the gateway's own ({@code <job id>/<index>}); still, none may leave the
	 * root.
	 */
	private Path path(String key) {
		Path path = this.root.resolve(key).normalize();
		if (!path.startsWith(this.root) || path.equals(this.root)) {
			throw new IllegalArgumentException("Output key outside the storage root");
		}
		return path;
	}

}
