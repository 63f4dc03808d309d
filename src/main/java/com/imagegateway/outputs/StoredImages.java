package com.imagegateway.outputs;

import reactor.core.publisher.Mono;

import com.imagegateway.images.Job;
import com.imagegateway.images.OutputCopy;
import com.imagegateway.storage.OutputStorage;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;

/**
 * The bytes of a job's stored images, whole, for an API that answers with them (OpenAI's
 * {@code b64_json}); images are bounded by {@code gateway.storage.max-output-size}.
 */
@Component
public class StoredImages {

	private final OutputStorage storage;

	StoredImages(OutputStorage storage) {
		this.storage = storage;
	}

	/** Output {@code index} of the job, which must be stored. */
	public Mono<byte[]> bytes(Job job, int index) {
		OutputCopy copy = job.copies().get(index);
		return DataBufferUtils.join(this.storage.read(OutputMirroring.key(job.id(), index), 0, copy.bytes()))
			.map((buffer) -> {
				try {
					byte[] bytes = new byte[buffer.readableByteCount()];
					buffer.read(bytes);
					return bytes;
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			});
	}

}
