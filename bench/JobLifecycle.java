import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * (g) job-lifecycle: what callers feel of a job's end. An upstream stub whose jobs finish after
 * durations drawn from a fixed, seeded mix (1-20 s, most under 5 s, like image models), which
 * calls back the URL a create names (Standard Webhooks, as the upstream signs) the moment a job
 * finishes. The gateway's callers hold their create with {@code Prefer: wait}; a peer's callers
 * poll {@code GET /images/{id}} once a second, as callers of a plain proxy do. Per target:
 * completion lag (when the caller learns of the end minus when the upstream finished) p50/p99,
 * upstream reads per job, and CPU per completed job (create, tracking, the callers' reads).
 * <p>
 * The nginx stub routes creates of the model {@code bench/lifecycle}, creates carrying
 * {@code X-Bench-Lifecycle} (the peers forward it) and reads of {@code lc...} ids here.
 */
final class JobLifecycle implements AutoCloseable {

	static final int PORT = 18076;

	static final String MODEL = "bench/lifecycle";

	/** The upstream's webhook signing secret, which the gateway is given to verify callbacks. */
	static final String SECRET = "whsec_" + Base64.getEncoder()
		.encodeToString("the bench upstream signs with it!".getBytes(StandardCharsets.UTF_8));

	private static final Pattern WEBHOOK = Pattern.compile("\"webhook\"\\s*:\\s*\"([^\"]+)\"");

	private static final byte[] PNG = Base64.getDecoder()
		.decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

	private final HttpServer server;

	private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);

	private final HttpClient callbacks = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final Map<String, StubJob> jobs = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	/** The mix, drawn once: every target gets the same durations in the same order. */
	private final long[] durationsMillis;

	/**
	 * A mix of short jobs that warms each target up before it is measured, long enough for the JIT
	 * to compile a freshly started gateway's paths: the same path, thousands of times.
	 */
	private final long[] warmUpMillis;

	private final double warmUpRate;

	private volatile long[] current;

	private long lastRunNanos;

	private final AtomicLong nextDuration = new AtomicLong();

	private final byte[] key;

	JobLifecycle(int jobs, double scale, int warmUpJobs, double warmUpRate) throws IOException {
		this.durationsMillis = mix(jobs, scale);
		this.warmUpMillis = mix(warmUpJobs, 0.05);
		this.warmUpRate = warmUpRate;
		this.key = Base64.getDecoder().decode(SECRET.substring("whsec_".length()));
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 4096);
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** 60 % uniform in 1-5 s, 30 % in 5-10 s, 10 % in 10-20 s; seeded, so every run draws the same. */
	static long[] mix(int jobs, double scale) {
		Random random = new Random(27);
		long[] durations = new long[jobs];
		for (int i = 0; i < jobs; i++) {
			double p = random.nextDouble();
			double seconds = (p < 0.6) ? 1 + 4 * random.nextDouble()
					: (p < 0.9) ? 5 + 5 * random.nextDouble() : 10 + 10 * random.nextDouble();
			durations[i] = Math.round(seconds * scale * 1000);
		}
		return durations;
	}

	/** What one target's run measured. */
	record Run(int jobs, int learned, double lagP50Ms, double lagP99Ms, double readsPerJob, double cpuMsPerJob,
			double idleCpuMsPerJob, long failures) {
	}

	/**
	 * After a short warm-up of the same kind, starts one job every {@code 1/rate} s, one for each
	 * duration of the mix, and waits until every caller has learned of its job's end (or a minute
	 * past the longest job).
	 * @param holds true: the callers hold their creates with {@code Prefer: wait}; false: they poll once a
	 * second
	 */
	Run run(int port, boolean holds, double rate, java.util.function.LongSupplier cpuTicks, long ticksPerSecond)
			throws Exception {
		run(this.warmUpMillis, port, holds, this.warmUpRate, cpuTicks, ticksPerSecond);
		// what the target burns doing nothing (JIT, GC, timers) over as long as the run will take:
		// over a run of a few hundred jobs it is a large part of the CPU per job, and not the jobs'
		long idleFrom = cpuTicks.getAsLong();
		long idleStart = System.nanoTime();
		TimeUnit.SECONDS.sleep(5);
		double idleTicksPerSecond = (cpuTicks.getAsLong() - idleFrom) / ((System.nanoTime() - idleStart) / 1e9);
		Run run = run(this.durationsMillis, port, holds, rate, cpuTicks, ticksPerSecond);
		double seconds = this.lastRunNanos / 1e9;
		return new Run(run.jobs(), run.learned(), run.lagP50Ms(), run.lagP99Ms(), run.readsPerJob(), run.cpuMsPerJob(),
				idleTicksPerSecond * seconds * 1000.0 / ticksPerSecond / Math.max(1, run.learned()), run.failures());
	}

	private Run run(long[] durations, int port, boolean holds, double rate, java.util.function.LongSupplier cpuTicks,
			long ticksPerSecond) throws Exception {
		this.jobs.clear();
		this.nextDuration.set(0);
		this.current = durations;
		int count = durations.length;
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		ScheduledExecutorService pollers = Executors.newScheduledThreadPool(2);
		long[] learnedAt = new long[count];
		String[] jobIds = new String[count];
		AtomicLong failures = new AtomicLong();
		List<CompletableFuture<?>> callers = new ArrayList<>();
		long cpuBefore = cpuTicks.getAsLong();
		long start = System.nanoTime();
		long interval = (long) (1e9 / rate);
		for (int i = 0; i < count; i++) {
			long wait = start + i * interval - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			int index = i;
			HttpRequest.Builder create = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/images"))
				.timeout(Duration.ofSeconds(90))
				.header("Authorization", "Bearer " + Bench.CALLER_KEY)
				.header("Content-Type", "application/json")
				.header("X-Bench-Lifecycle", "1")
				.POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + MODEL + "\", \"prompt\": \"bench " + i + "\"}"));
			if (holds) {
				create.header("Prefer", "wait=60");
			}
			CompletableFuture<Void> caller = new CompletableFuture<>();
			callers.add(caller);
			client.sendAsync(create.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
				long now = System.nanoTime();
				String id = (failure == null) ? id(response.body()) : null;
				if (id == null || response.statusCode() / 100 != 2) {
					failures.incrementAndGet();
					caller.complete(null);
					return;
				}
				jobIds[index] = id;
				if (response.body().contains("\"succeeded\"")) {
					learnedAt[index] = now;
					caller.complete(null);
				}
				else if (holds) {
					// a held create answered before the end: the wait was cut short
					failures.incrementAndGet();
					caller.complete(null);
				}
				else {
					poll(client, pollers, port, id, index, learnedAt, failures, caller);
				}
			});
		}
		long longest = Arrays.stream(durations).max().orElse(0);
		CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new))
			.get(longest + 60_000, TimeUnit.MILLISECONDS);
		long cpu = cpuTicks.getAsLong() - cpuBefore;
		this.lastRunNanos = System.nanoTime() - start;
		pollers.shutdownNow();
		client.close();
		List<Long> lags = new ArrayList<>();
		long reads = 0;
		for (int i = 0; i < count; i++) {
			StubJob job = (jobIds[i] != null) ? this.jobs.get(jobIds[i]) : null;
			if (job == null) {
				continue;
			}
			reads += job.reads.get();
			if (learnedAt[i] != 0 && job.finishedNanos != 0) {
				lags.add(learnedAt[i] - job.finishedNanos);
			}
		}
		long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
		double p50 = (sorted.length > 0) ? sorted[sorted.length / 2] / 1e6 : Double.NaN;
		double p99 = (sorted.length > 0) ? sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6
				: Double.NaN;
		return new Run(count, sorted.length, p50, p99, (double) reads / count,
				cpu * 1000.0 / ticksPerSecond / Math.max(1, sorted.length), 0, failures.get());
	}

	private void poll(HttpClient client, ScheduledExecutorService pollers, int port, String id, int index,
			long[] learnedAt, AtomicLong failures, CompletableFuture<Void> caller) {
		pollers.schedule(() -> {
			HttpRequest read = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/images/" + id))
				.timeout(Duration.ofSeconds(30))
				.header("Authorization", "Bearer " + Bench.CALLER_KEY)
				.build();
			client.sendAsync(read, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
				long now = System.nanoTime();
				if (failure != null || response.statusCode() != 200) {
					failures.incrementAndGet();
					caller.complete(null);
				}
				else if (response.body().contains("\"succeeded\"")) {
					learnedAt[index] = now;
					caller.complete(null);
				}
				else {
					poll(client, pollers, port, id, index, learnedAt, failures, caller);
				}
			});
		}, 1, TimeUnit.SECONDS);
	}

	private static String id(String body) {
		Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"(lc[0-9]+)\"").matcher(body);
		return id.find() ? id.group(1) : null;
	}

	// ---------------------------------------------------------------- the upstream stub

	private static final class StubJob {

		final String id;

		final Instant createdAt = Instant.now();

		final long durationMillis;

		final String webhook;

		final AtomicLong reads = new AtomicLong();

		volatile long finishedNanos;

		volatile Instant completedAt;

		StubJob(String id, long durationMillis, String webhook) {
			this.id = id;
			this.durationMillis = durationMillis;
			this.webhook = webhook;
		}

	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			String method = exchange.getRequestMethod();
			if (method.equals("POST") && path.endsWith("/predictions")) {
				byte[] body;
				try (InputStream in = exchange.getRequestBody()) {
					body = in.readAllBytes();
				}
				Matcher webhook = WEBHOOK.matcher(new String(body, StandardCharsets.UTF_8));
				int index = (int) this.nextDuration.getAndIncrement();
				long[] durations = this.current;
				long duration = durations[index % durations.length];
				StubJob job = new StubJob("lc" + this.ids.incrementAndGet(), duration,
						webhook.find() ? webhook.group(1) : null);
				this.jobs.put(job.id, job);
				this.timers.schedule(() -> finish(job), duration, TimeUnit.MILLISECONDS);
				answer(exchange, 201, "application/json", prediction(job).getBytes(StandardCharsets.UTF_8));
			}
			else if (method.equals("GET") && path.startsWith("/replicate/v1/predictions/")) {
				StubJob job = this.jobs.get(path.substring(path.lastIndexOf('/') + 1));
				if (job == null) {
					answer(exchange, 404, "application/json", "{\"detail\":\"Not found\"}".getBytes(StandardCharsets.UTF_8));
					return;
				}
				job.reads.incrementAndGet();
				answer(exchange, 200, "application/json", prediction(job).getBytes(StandardCharsets.UTF_8));
			}
			else if (method.equals("GET") && path.startsWith("/files/")) {
				answer(exchange, 200, "image/png", PNG);
			}
			else {
				answer(exchange, 404, "text/plain", new byte[0]);
			}
		}
	}

	private void finish(StubJob job) {
		job.completedAt = Instant.now();
		job.finishedNanos = System.nanoTime();
		if (job.webhook == null) {
			return;
		}
		String body = prediction(job);
		String id = "msg_" + job.id;
		long timestamp = Instant.now().getEpochSecond();
		HttpRequest callback = HttpRequest.newBuilder(URI.create(job.webhook))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("webhook-id", id)
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature", "v1," + sign(id + "." + timestamp + "." + body))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		this.callbacks.sendAsync(callback, HttpResponse.BodyHandlers.discarding());
	}

	private String sign(String content) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.key, "HmacSHA256"));
			return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String prediction(StubJob job) {
		Instant completed = job.completedAt;
		boolean done = completed != null;
		return String.format(Locale.ROOT, """
				{"id":"%s","model":"%s","version":"v1","input":{"prompt":"bench"},"logs":"","output":%s,\
				"data_removed":false,"error":null,"status":"%s","created_at":"%s","started_at":"%s",\
				"completed_at":%s,"urls":{},"metrics":%s}""", job.id, MODEL,
				done ? "[\"http://127.0.0.1:" + PORT + "/files/" + job.id + ".png\"]" : "null",
				done ? "succeeded" : "processing", job.createdAt, job.createdAt,
				done ? "\"" + completed + "\"" : "null",
				done ? String.format(Locale.ROOT, "{\"image_count\":1,\"predict_time\":%.3f}", job.durationMillis / 1000.0)
						: "{}");
	}

	private static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", type);
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		if (body.length > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.timers.shutdownNow();
		this.callbacks.close();
	}

}
