package com.imagegateway.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBufferUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code gateway.storage.type=filesystem}: a copy is whole, and a file of its own. */
class FilesystemOutputStorageTest {

	@TempDir
	Path root;

	@Test
	void aCopiedOutputIsAFileOfItsOwnThatOutlivesItsSourceAndLeavesNothingStaged() throws IOException {
		FilesystemOutputStorage storage = new FilesystemOutputStorage(this.root);
		Path staged = Files.write(storage.stagingDirectory().resolve("download"), new byte[] { 1, 2, 3, 4 });
		StepVerifier.create(storage.put("source/0", staged, "image/png")).verifyComplete();

		StepVerifier.create(storage.copy("source/0", "c-copy/0")).verifyComplete();
		StepVerifier.create(storage.delete("source/0")).verifyComplete();

		byte[] copied = DataBufferUtils.join(storage.read("c-copy/0", 0, 4)).map((buffer) -> {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			DataBufferUtils.release(buffer);
			return bytes;
		}).block();
		assertThat(copied).containsExactly(1, 2, 3, 4);
		try (var left = Files.list(storage.stagingDirectory())) {
			assertThat(left).isEmpty();
		}
	}

}
