package com.imagegateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.springframework.util.FileSystemUtils;

/**
 * A directory laid out as the kubelet mounts a ConfigMap or Secret: the file is a link
 * through {@code ..data} to a timestamped directory, and a change writes a new directory
 * and swaps {@code ..data} to it in one rename, then removes the old one.
 */
public final class MountedConfigMap {

	private final Path directory;

	private final String fileName;

	private int version;

	public MountedConfigMap(Path directory, String fileName) {
		this.directory = directory;
		this.fileName = fileName;
	}

	/**
	 * The path a pod reads: {@code
	 *
	<dir>
	 * /<file>}, a link into {@code ..data}.
	 */
	public Path file() {
		return this.directory.resolve(this.fileName);
	}

	/** Publishes new contents the kubelet's way. */
	public MountedConfigMap write(String contents) {
		try {
			Files.createDirectories(this.directory);
			Path previous = (this.version > 0) ? this.directory.resolve("..v" + this.version) : null;
			Path next = this.directory.resolve("..v" + (++this.version));
			Files.createDirectories(next);
			Files.writeString(next.resolve(this.fileName), contents);
			Path staged = this.directory.resolve("..data_tmp");
			Files.createSymbolicLink(staged, next.getFileName());
			// rename(2) replaces the old link at once: a reader sees the old file or the
			// new
			Files.move(staged, this.directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
			if (!Files.exists(file(), LinkOption.NOFOLLOW_LINKS)) {
				Files.createSymbolicLink(file(), Path.of("..data", this.fileName));
			}
			if (previous != null) {
				FileSystemUtils.deleteRecursively(previous);
			}
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
