package com.imagegateway.outputs;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import com.imagegateway.images.Job;
import com.imagegateway.images.JobOutputs;
import com.imagegateway.images.OutputCopy;
import com.imagegateway.storage.OutputStorage;
import com.imagegateway.storage.StorageProperties;
import com.imagegateway.upstream.UpstreamException;
import com.imagegateway.upstream.Upstreams;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.stereotype.Component;

/**
 * Stores the outputs of a finished job before the upstream's links expire: each is
 * downloaded once, streamed into a staging file (never whole in memory) while its size is
 * bounded, its type read from its first bytes and its SHA-256 computed, then handed to
 * the {@link OutputStorage}. A failed download is tried again after 1, 2, 4 s … up to 5
 * min until the link expires; a link the upstream answers 404 or 410 for is lost at once.
 */
@Component
class OutputMirroring implements JobOutputs {

	private static final Log logger = LogFactory.getLog(OutputMirroring.class);

	private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

	private static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

	private static final Duration UNKNOWN_EXPIRY = Duration.ofHours(1);

	private final Upstreams upstreams;

	private final OutputStorage storage;

	private final Clock clock;

	private final long maxBytes;

	private final Set<String> allowedTypes;

	private final MeterRegistry registry;

	private final Counter storedBytes;

	OutputMirroring(Upstreams upstreams, OutputStorage storage, StorageProperties properties, Clock clock,
			MeterRegistry registry) {
		this.upstreams = upstreams;
		this.storage = storage;
		this.clock = clock;
		this.maxBytes = properties.maxOutputSize().toBytes();
		this.allowedTypes = Set.copyOf(properties.allowedContentTypes());
		this.registry = registry;
		this.storedBytes = Counter.builder("gateway.storage.stored")
			.baseUnit("bytes")
			.description("Bytes of outputs stored")
			.register(registry);
		// at zero from the start: an alert on any increase then sees the first one too
		outputs(NotStored.LOST);
	}

	@Override
	public Mono<List<OutputCopy>> keep(Job finished) {
		return Flux.range(0, finished.outputUrls().size()).concatMap((index) -> copy(finished, index)).collectList();
	}

	@Override
	public Mono<Void> remove(Job job) {
		List<OutputCopy> copies = (job.copies() != null) ? job.copies() : List.of();
		return Flux.range(0, copies.size())
			.filter((index) -> copies.get(index).stored())
			.concatMap((index) -> this.storage.delete(key(job.id(), index)))
			.then();
	}

	@Override
	public Mono<Void> copyKept(Job source, String targetId) {
		List<OutputCopy> copies = (source.copies() != null) ? source.copies() : List.of();
		return Flux.range(0, copies.size())
			.filter((index) -> copies.get(index).stored())
			.concatMap((index) -> this.storage.copy(key(source.id(), index), key(targetId, index)))
			.then();
	}

	/** Where output {@code index} of job {@code id} is stored. */
	static String key(String id, int index) {
		return id + "/" + index;
	}

	private Mono<OutputCopy> copy(Job job, int index) {
		Instant expires = job.outputsExpireAt();
		Duration left = (expires != null) ? Duration.between(this.clock.instant(), expires) : UNKNOWN_EXPIRY;
		if (left.isNegative() || left.isZero()) {
			return Mono.just(counted(OutputCopy.notStored(NotStored.LOST)));
		}
		return Mono.defer(() -> download(job, index))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_RETRY)
				.maxBackoff(LONGEST_RETRY)
				.filter((failure) -> !(failure instanceof Refused) && !gone(failure))
				.doBeforeRetry((signal) -> failed(job, index, signal.failure())))
			.timeout(left)
			.onErrorResume(Refused.class, (refused) -> {
				logger.info("Output " + index + " of job " + job.id() + " not stored: " + refused.reason);
				return Mono.just(OutputCopy.notStored(refused.reason));
			})
			.onErrorResume((failure) -> {
				if (!(failure instanceof TimeoutException)) {
					failed(job, index, failure);
				}
				logger.warn("Output " + index + " of job " + job.id() + " lost: its link expired or is gone");
				return Mono.just(OutputCopy.notStored(NotStored.LOST));
			})
			.map(this::counted);
	}

	private Mono<OutputCopy> download(Job job, int index) {
		String url = job.outputUrls().get(index);
		return Mono.usingWhen(
				Mono.fromCallable(() -> Files.createTempFile(this.storage.stagingDirectory(), "download-", ".part"))
					.subscribeOn(Schedulers.boundedElastic()),
				(staging) -> {
					Inspection inspection = new Inspection(this.maxBytes);
					Flux<DataBuffer> body = this.upstreams.named(job.upstream()).output(url).map(inspection::inspect);
					return DataBufferUtils
						.write(body, staging, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
						.then(Mono.fromCallable(() -> inspection.contentType(this.allowedTypes)))
						.flatMap((type) -> this.storage.put(key(job.id(), index), staging, type)
							.thenReturn(OutputCopy.stored(type, inspection.bytes, inspection.sha256())));
				}, (staging) -> Mono.fromCallable(() -> Files.deleteIfExists(staging))
					.subscribeOn(Schedulers.boundedElastic()));
	}

	private OutputCopy counted(OutputCopy copy) {
		outputs(copy.stored() ? "stored" : copy.notStoredReason()).increment();
		if (copy.stored()) {
			this.storedBytes.increment(copy.bytes());
		}
		return copy;
	}

	private Counter outputs(String outcome) {
		return Counter.builder("gateway.storage.outputs")
			.description("Outputs of finished jobs, by what became of them")
			.tag("outcome", outcome)
			.register(this.registry);
	}

	private void failed(Job job, int index, Throwable failure) {
		String reason = switch (failure) {
			case UpstreamException upstream when upstream.upstreamStatus() > 0 -> "http_" + upstream.upstreamStatus();
			case TimeoutException timeout -> "timeout";
			default -> "connection";
		};
		logger.debug("Download of output " + index + " of job " + job.id() + " failed (" + reason + ")", failure);
		Counter.builder("gateway.storage.downloads.failed")
			.description("Output downloads that failed, by reason")
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

	private static boolean gone(Throwable failure) {
		return failure instanceof UpstreamException upstream
				&& (upstream.upstreamStatus() == 404 || upstream.upstreamStatus() == 410);
	}

	/** Why an output was not stored, as jobs report it. */
	static final class NotStored {

		static final String TOO_LARGE = "too_large";

		static final String NOT_AN_IMAGE = "not_an_image";

		static final String TYPE_NOT_ALLOWED = "type_not_allowed";

		static final String LOST = "lost";

		private NotStored() {
		}

	}

	/** An output the gateway will not store, whatever another try would bring. */
	static final class Refused extends RuntimeException {

		private final String reason;

		Refused(String reason) {
			super(reason, null, false, false);
			this.reason = reason;
		}

	}

	/**
	 * Counts, hashes and sniffs the bytes as they pass on their way to the staging file.
	 */
	private static final class Inspection {

		private static final int HEAD = 12;

		private final long maxBytes;

		private final MessageDigest digest;

		private final byte[] head = new byte[HEAD];

		private long bytes;

		Inspection(long maxBytes) {
			this.maxBytes = maxBytes;
			try {
				this.digest = MessageDigest.getInstance("SHA-256");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		DataBuffer inspect(DataBuffer buffer) {
			int length = buffer.readableByteCount();
			if (this.bytes + length > this.maxBytes) {
				DataBufferUtils.release(buffer);
				throw new Refused(NotStored.TOO_LARGE);
			}
			try (DataBuffer.ByteBufferIterator chunks = buffer.readableByteBuffers()) {
				while (chunks.hasNext()) {
					ByteBuffer chunk = chunks.next();
					int headRoom = (int) Math.max(0, HEAD - this.bytes);
					if (headRoom > 0) {
						chunk.duplicate().get(this.head, (int) this.bytes, Math.min(headRoom, chunk.remaining()));
					}
					this.bytes += chunk.remaining();
					this.digest.update(chunk);
				}
			}
			return buffer;
		}

		String sha256() {
			return HexFormat.of().formatHex(this.digest.digest());
		}

		/** The type the bytes show; refused when they show none the gateway keeps. */
		String contentType(Set<String> allowed) {
			String type = sniff();
			if (type == null) {
				throw new Refused(NotStored.NOT_AN_IMAGE);
			}
			if (!allowed.contains(type)) {
				throw new Refused(NotStored.TYPE_NOT_ALLOWED);
			}
			return type;
		}

		private @Nullable String sniff() {
			if (this.bytes >= 8 && startsWith(0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
				return "image/png";
			}
			if (this.bytes >= 3 && startsWith(0, 0xFF, 0xD8, 0xFF)) {
				return "image/jpeg";
			}
			if (this.bytes >= 12 && startsWith(0, 'R', 'I', 'F', 'F') && startsWith(8, 'W', 'E', 'B', 'P')) {
				return "image/webp";
			}
			if (this.bytes >= 6
					&& (startsWith(0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(0, 'G', 'I', 'F', '8', '9', 'a'))) {
				return "image/gif";
			}
			return null;
		}

		private boolean startsWith(int offset, int... expected) {
			for (int i = 0; i < expected.length; i++) {
				if ((this.head[offset + i] & 0xFF) != expected[i]) {
					return false;
				}
			}
			return true;
		}

	}

}
