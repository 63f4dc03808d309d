import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark: image-gateway (memory and redis stores) against a plain nginx key-swapping
 * proxy and Spring Cloud Gateway, all in front of one fast nginx stub of the upstream, driven
 * by wrk in interleaved rounds. Prints a table and one {@code BENCH {...}} line per target and
 * workload. Run through {@code bench/run.sh}, which builds and installs what this needs.
 */
public class Bench {

	static final String CALLER_KEY = "bench-caller-key";

	static final String CALLER_KEY_SHA256 = "1d9130421e66e19028af1dd1191d30e01b007a3ec9d733588b183523e5ba8e06";

	static final String UPSTREAM_KEY = "hk-bench-upstream-key";

	static final int STUB = 18070, PROXY = 18071, SCG = 18072, GW_MEMORY = 18073, GW_REDIS = 18074, GW_VARIANT = 18075,
			FLOOR = 18077, REDIS = 18079;

	static final long CLOCK_TICKS = 100;

	/** {@code resources.limits.memory} in helm/image-gateway/values.yaml. */
	static final String CONTAINER_MEMORY = "768m";

	final Options options;

	final Path root;

	final Path work;

	final String java;

	final List<Process> processes = new ArrayList<>();

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	final List<Result> results = new ArrayList<>();

	final List<Target> targets = new ArrayList<>();

	Bench(Options options) throws IOException {
		this.options = options;
		this.root = Path.of("").toAbsolutePath();
		this.work = this.root.resolve("target/bench");
		Files.createDirectories(this.work);
		this.java = ProcessHandle.current().info().command().orElse("java");
	}

	public static void main(String[] args) throws Exception {
		Bench bench = new Bench(Options.parse(args));
		Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll));
		try {
			bench.run();
		}
		finally {
			bench.stopAll();
		}
	}

	void run() throws Exception {
		startStub();
		List<Target> targets = this.targets;
		targets.add(startNginxProxy());
		if (this.options.starts("spring-cloud-gateway")) {
			targets.add(startScg());
		}
		if (this.options.starts("webflux-floor")) {
			targets.add(startFloor());
		}
		if (this.options.starts("gateway-memory")) {
			targets.add(startGateway("gateway-memory", GW_MEMORY, "memory", List.of()));
		}
		if (this.options.variant != null) {
			// the same gateway with other settings, measured in the same interleaved rounds
			targets.add(startGateway("gateway-variant", GW_VARIANT, "memory", List.of(this.options.variant.split(" "))));
		}
		if (this.options.stores.contains("redis") && this.options.starts("gateway-redis")) {
			startRedis();
			targets.add(startGateway("gateway-redis", GW_REDIS, "redis", List.of()));
		}
		for (Target target : targets) {
			target.prepareJobs();
		}
		List<Workload> workloads = Arrays.stream(Workload.values())
			.filter((w) -> w.ordinal() <= Workload.READ_FINISHED.ordinal() && this.options.runs(w))
			.toList();
		log("warm-up and JIT priming: %s per target and workload", this.options.warmup);
		for (Target target : targets) {
			for (Workload workload : workloads) {
				wrk(target, workload, this.options.connections, this.options.warmup, null);
			}
		}
		awaitQuiet(targets);
		for (int round = 1; round <= this.options.rounds; round++) {
			for (Workload workload : workloads) {
				// interleaved, and in another order each round, so that drift hits every target alike
				List<Target> order = new ArrayList<>(targets);
				Collections.rotate(order, round - 1);
				for (Target target : order) {
					this.results.add(measure(target, workload, round));
				}
			}
		}
		for (Target target : targets) {
			// the floor answers reads from what it holds and follows no job: it has nothing to poll
			if (!target.floor && this.options.runs(Workload.POLL)) {
				this.results.add(pollOneJob(target));
			}
		}
		for (Target target : targets) {
			if (target.gateway && this.options.runs(Workload.FIXED_RATE)) {
				this.results.addAll(fixedRate(target));
			}
		}
		// before the held waits, whose jobs never finish: the gateways would go on following
		// thousands of them, a standing load on the CPU this measures
		if (this.options.runs(Workload.JOB_LIFECYCLE)) {
			jobLifecycle(targets);
		}
		for (Target target : targets) {
			if (target.gateway && this.options.runs(Workload.HELD_WAITS)) {
				this.results.add(heldWaits(target));
			}
		}
		for (Target target : targets) {
			if (target.gateway && this.options.runs(Workload.EVENT_STREAMS)) {
				this.results.add(eventStreams(target));
			}
		}
		if (this.options.image != null) {
			containerStart();
		}
		report();
	}

	// ---------------------------------------------------------------- the processes

	void startStub() throws Exception {
		String created = seed("seed-create-response.json", "fin$request_id");
		String createdRunning = seed("seed-create-response.json", "run$request_id");
		String finished = seed("seed-read-response.json", "$id");
		String processing = seed("seed-read-response.json", "$id").replace("\"succeeded\"", "\"processing\"")
			.replaceAll("\"output\": \\[[^]]*]", "\"output\": null");
		String canceled = seed("seed-read-response.json", "$id").replace("\"succeeded\"", "\"canceled\"");
		String http = """
				  log_format reads '$uri';
				  upstream lifecycle { server 127.0.0.1:%8$d; keepalive 64; }
				  server {
				    listen 127.0.0.1:%2$d backlog=65535;
				    keepalive_requests 1000000;
				    default_type application/json;
				    proxy_http_version 1.1;
				    proxy_set_header Connection "";
				    location ~ ^/replicate/v1/models/bench/running/predictions$ { return 201 '%3$s'; }
				    location ~ ^/replicate/v1/models/bench/lifecycle/predictions$ { proxy_pass http://lifecycle; }
				    location ~ ^/replicate/v1/models/[^/]+/[^/]+/predictions$ {
				      if ($http_x_bench_lifecycle = "") { return 201 '%4$s'; }
				      # the peers' job-lifecycle creates: they forward the caller's header
				      proxy_pass http://lifecycle;
				    }
				    location ~ ^/replicate/v1/predictions/lc[0-9]+$ { proxy_pass http://lifecycle; }
				    location ~ ^/replicate/v1/predictions/(?<id>[0-9a-z]+)/cancel$ { return 200 '%5$s'; }
				    location ~ ^/replicate/v1/predictions/(?<id>run[0-9a-z]*)$ {
				      access_log %1$s/stub-reads.log reads;
				      return 200 '%6$s';
				    }
				    location ~ ^/replicate/v1/predictions/(?<id>[0-9a-z]+)$ { return 200 '%7$s'; }
				  }
				""".formatted(this.work, STUB, createdRunning, created, canceled, processing, finished, JobLifecycle.PORT);
		nginx("stub", http);
	}

	Target startNginxProxy() throws Exception {
		String http = """
				  map $http_authorization $caller_ok { "Bearer %3$s" 1; default 0; }
				  upstream stub { server 127.0.0.1:%4$d; keepalive 128; }
				  server {
				    listen 127.0.0.1:%2$d backlog=65535;
				    keepalive_requests 1000000;
				    if ($caller_ok = 0) { return 401; }
				    proxy_http_version 1.1;
				    proxy_set_header Connection "";
				    proxy_set_header Authorization "Bearer %5$s";
				    location = /images {
				      proxy_pass http://stub/replicate/v1/models/black-forest-labs/flux-schnell/predictions;
				    }
				    location ~ ^/images/(?<id>[0-9a-z]+)$ { proxy_pass http://stub/replicate/v1/predictions/$id; }
				  }
				""".formatted(this.work, PROXY, CALLER_KEY, STUB, UPSTREAM_KEY);
		long pid = nginx("proxy", http);
		return new Target("nginx-proxy", PROXY, false, () -> nginxPids(pid));
	}

	Target startScg() throws Exception {
		Process process = start("scg", List.of(this.java, "-Xmx512m", "-jar", "bench/scg/target/bench-scg.jar",
				"--server.port=" + SCG, "--stub=http://127.0.0.1:" + STUB));
		awaitPort(SCG, process);
		return new Target("spring-cloud-gateway", SCG, false, () -> List.of(process.pid()));
	}

	/** The gateway's own stack doing only the upstream work its paths cause: see bench/floor. */
	Target startFloor() throws Exception {
		Process process = start("floor", List.of(this.java, "-Xmx512m", "-jar", "bench/floor/target/bench-floor.jar",
				"--server.port=" + FLOOR, "--stub=http://127.0.0.1:" + STUB, "--upstream-key=" + UPSTREAM_KEY,
				"--caller-key=" + CALLER_KEY));
		awaitPort(FLOOR, process);
		return new Target("webflux-floor", FLOOR, false, true, () -> List.of(process.pid()));
	}

	Target startGateway(String name, int port, String store, List<String> extra) throws Exception {
		List<String> command = new ArrayList<>(List.of(this.java, "-Xmx512m", "-XX:+ExitOnOutOfMemoryError"));
		extra.stream().filter((arg) -> !arg.startsWith("--")).forEach(command::add);
		command.addAll(List.of("-jar", "target/image-gateway.jar", "--server.port=" + port, "--management.server.port=" + (port + 10),
				"--gateway.store.type=" + store, "--spring.data.redis.url=redis://127.0.0.1:" + REDIS,
				"--gateway.upstream.base-url=http://127.0.0.1:" + STUB + "/replicate",
				"--gateway.upstream.keys.default=" + UPSTREAM_KEY,
				// limits out of the way: the benchmark measures the path, not the budget
				"--gateway.upstream.limits.permits=1000000000",
				"--gateway.upstream.resilience.bulkhead.max-concurrent-calls=10000",
				"--gateway.clients.bench.key-sha256=" + CALLER_KEY_SHA256,
				"--gateway.clients.bench.limits.creates.permits=1000000000",
				"--gateway.clients.bench.limits.creates.period=1s",
				"--gateway.clients.bench.limits.reads.permits=1000000000",
				"--gateway.clients.bench.limits.reads.period=1s"));
		extra.stream().filter((arg) -> arg.startsWith("--")).forEach(command::add);
		Process process = start(name, command);
		awaitReady(port + 10, process);
		return new Target(name, port, true, () -> List.of(process.pid()));
	}

	void startRedis() throws Exception {
		Process process = start("redis", List.of("redis-server", "--port", Integer.toString(REDIS), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", this.work.toString()));
		awaitPort(REDIS, process);
	}

	/** Starts nginx with one worker, quiet logs and this {@code http} block's content. */
	long nginx(String name, String http) throws Exception {
		String config = """
				worker_processes 1;
				pid %1$s/%2$s.pid;
				error_log %1$s/%2$s-error.log error;
				events { worker_connections 20000; }
				http {
				  access_log off;
				  client_body_temp_path %1$s/%2$s-body;
				%3$s}
				""".formatted(this.work, name, http);
		Path file = this.work.resolve(name + ".conf");
		Files.writeString(file, config);
		Files.deleteIfExists(this.work.resolve(name + ".pid"));
		Process process = new ProcessBuilder("nginx", "-c", file.toString(), "-p", this.work.toString(), "-e",
				this.work.resolve(name + "-error.log").toString())
			.redirectErrorStream(true)
			.redirectOutput(this.work.resolve(name + ".out").toFile())
			.start();
		if (process.waitFor() != 0) {
			throw new IllegalStateException("nginx " + name + " did not start: " + Files.readString(this.work.resolve(name + ".out")));
		}
		long pid = Long.parseLong(Files.readString(this.work.resolve(name + ".pid")).trim());
		this.nginxMasters.add(pid);
		return pid;
	}

	final List<Long> nginxMasters = new ArrayList<>();

	static List<Long> nginxPids(long master) {
		List<Long> pids = new ArrayList<>(List.of(master));
		ProcessHandle.of(master).ifPresent((handle) -> handle.children().forEach((child) -> pids.add(child.pid())));
		return pids;
	}

	Process start(String name, List<String> command) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.work.resolve(name + ".out").toFile())
			.start();
		this.processes.add(process);
		return process;
	}

	void stopAll() {
		for (long master : this.nginxMasters) {
			ProcessHandle.of(master).ifPresent(ProcessHandle::destroy);
		}
		this.nginxMasters.clear();
		for (Process process : this.processes) {
			if (process != null && process.isAlive()) {
				process.destroy();
				try {
					process.waitFor(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				process.destroyForcibly();
			}
		}
		this.processes.clear();
	}

	// ---------------------------------------------------------------- the workloads

	enum Workload {

		CREATE("create"), READ_RUNNING("read-running"), READ_FINISHED("read-finished"), POLL("poll-one-job"),
		HELD_WAITS("held-waits"), FIXED_RATE("fixed-rate"), EVENT_STREAMS("event-streams"),
		JOB_LIFECYCLE("job-lifecycle");

		final String label;

		Workload(String label) {
			this.label = label;
		}

	}

	Result measure(Target target, Workload workload, int round) throws Exception {
		List<Long> pids = target.pids.get();
		long cpuBefore = cpuTicks(pids);
		Wrk wrk = wrk(target, workload, this.options.connections, this.options.duration, null);
		// what a round leaves behind (a gateway following the jobs its creates started) is its own
		// cost, and must not be paid by the next measurement on the same cores
		Duration tail = awaitQuiet(List.of(target));
		long cpuAfter = cpuTicks(pids);
		double cpuMicrosPerRequest = (wrk.requests == 0) ? 0
				: (cpuAfter - cpuBefore) * 1_000_000.0 / CLOCK_TICKS / wrk.requests;
		Result result = new Result(workload.label, target.name, round, wrk.requests * 1_000_000.0 / wrk.micros,
				wrk.p50 / 1000.0, wrk.p99 / 1000.0, cpuMicrosPerRequest, peakRssMb(pids), wrk.badStatus, wrk.socketErrors,
				Map.of());
		log("round %d %-14s %-22s %9.0f req/s  p50 %6.2f ms  p99 %7.2f ms  cpu %6.0f us/req  rss %5.0f MB  tail %4.1f s%s",
				round, workload.label, target.name, result.rps, result.p50, result.p99, result.cpuMicros, result.rssMb,
				tail.toMillis() / 1000.0,
				(wrk.badStatus + wrk.socketErrors > 0) ? "  ERRORS " + wrk.badStatus + "/" + wrk.socketErrors : "");
		return result;
	}

	/** (d) 100 callers polling one running job: how many upstream reads did each target cause? */
	Result pollOneJob(Target target) throws Exception {
		awaitQuiet(this.targets);
		long before = lines(this.work.resolve("stub-reads.log"));
		Wrk wrk = wrk(target, Workload.READ_RUNNING, 100, this.options.pollDuration, null);
		long reads = lines(this.work.resolve("stub-reads.log")) - before;
		log("poll-one-job   %-22s %d caller reads in %s caused %d upstream reads", target.name, wrk.requests,
				this.options.pollDuration, reads);
		return new Result(Workload.POLL.label, target.name, 1, wrk.requests * 1_000_000.0 / wrk.micros, wrk.p50 / 1000.0,
				wrk.p99 / 1000.0, 0, peakRssMb(target.pids.get()), wrk.badStatus, wrk.socketErrors,
				Map.of("callerReads", wrk.requests, "upstreamReads", reads));
	}

	/** (e) many concurrent {@code Prefer: wait} creates of a job that never finishes. */
	Result heldWaits(Target target) throws Exception {
		// a gateway goes on following the held waits' jobs, which never finish: a standing load, not a tail
		awaitQuiet(this.targets, Duration.ofSeconds(10));
		long pid = target.pids.get().getFirst();
		int waits = this.options.heldWaits;
		int seconds = this.options.waitSeconds;
		AtomicLong peakHeap = new AtomicLong();
		AtomicLong peakThreads = new AtomicLong();
		AtomicLong peakRss = new AtomicLong();
		AtomicLong liveHeap = new AtomicLong();
		// a flag, not an interrupt: an HTTP call in flight would swallow the interrupt and sample for ever
		AtomicBoolean sampling = new AtomicBoolean(true);
		long liveAt = System.nanoTime() + Duration.ofSeconds(seconds / 2 + 8).toNanos();
		AtomicBoolean liveMeasured = new AtomicBoolean();
		Thread sampler = Thread.ofVirtual().start(() -> {
			while (sampling.get()) {
				// once, even if jcmd fails (then 0): a full collection every 250 ms would be the workload
				if (System.nanoTime() > liveAt && liveMeasured.compareAndSet(false, true)) {
					// every create held by now: after a full collection, the heap in use is what holding them takes
					liveHeap.set(heapAfterFullGc(pid, target.port + 10));
				}
				peakHeap.accumulateAndGet(heapUsedBytes(target.port + 10), Math::max);
				peakThreads.accumulateAndGet(status(pid, "Threads:"), Math::max);
				peakRss.accumulateAndGet(status(pid, "VmRSS:"), Math::max);
				try {
					Thread.sleep(250);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		});
		// each connection sends one create that is held for the whole wait, then the run ends; wrk
		// opens its thousands of connections over several seconds (sharing the 2 cores), and a
		// create sent late is answered late: the window leaves room for that
		Wrk wrk = wrk(target, Workload.HELD_WAITS, waits, Duration.ofSeconds(seconds + 15), "wait=" + seconds);
		sampling.set(false);
		sampler.join(Duration.ofSeconds(10));
		boolean allAnswered = wrk.requests >= waits && wrk.badStatus == 0 && wrk.socketErrors == 0;
		log("held-waits     %-22s %d answers to %d concurrent held creates (%s), p50 %.1f s; peak heap %d MB "
				+ "(garbage included), %d MB live after a full GC; RSS %d MB, %d threads", target.name, wrk.requests, waits,
				allAnswered ? "all, correctly" : "NOT ALL: " + wrk.badStatus + " bad, " + wrk.socketErrors + " socket errors",
				wrk.p50 / 1e6, peakHeap.get() >> 20, liveHeap.get() >> 20, peakRss.get() >> 10, peakThreads.get());
		return new Result(Workload.HELD_WAITS.label, target.name, 1, 0, wrk.p50 / 1000.0, wrk.p99 / 1000.0, 0,
				peakRss.get() / 1024.0, wrk.badStatus, wrk.socketErrors, Map.of("held", waits, "answered", wrk.requests,
						"peakHeapMb", peakHeap.get() >> 20, "liveHeapMb", liveHeap.get() >> 20, "peakThreads",
						peakThreads.get()));
	}

	/**
	 * (f) many callers watching one running job through {@code GET /images/{id}/events}: each
	 * stream must get the job's first event; then, with every stream open, the heap live after
	 * a full collection, the threads and the RSS.
	 */
	Result eventStreams(Target target) throws Exception {
		// a gateway goes on following the held waits' jobs, which never finish: a standing load, not a tail
		awaitQuiet(this.targets, Duration.ofSeconds(10));
		long pid = target.pids.get().getFirst();
		int streams = this.options.eventStreams;
		// one connection per stream (the client opens one for each request in flight), one selector thread
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port + "/images/"
				+ target.runningId + "/events"))
			.header("Authorization", "Bearer " + CALLER_KEY)
			.header("Accept", "text/event-stream")
			.build();
		long threadsBefore = status(pid, "Threads:");
		long liveHeapBefore = heapAfterFullGc(pid, target.port + 10);
		CountDownLatch firstEvents = new CountDownLatch(streams);
		AtomicLong statusEvents = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		long[] firstEventMicros = new long[streams];
		List<java.util.concurrent.CompletableFuture<?>> open = new ArrayList<>();
		long start = System.nanoTime();
		for (int i = 0; i < streams; i++) {
			int index = i;
			open.add(client.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new java.util.concurrent.Flow.Subscriber<String>() {

				boolean first = true;

				@Override
				public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
					subscription.request(Long.MAX_VALUE);
				}

				@Override
				public void onNext(String line) {
					if (line.equals("event:status")) {
						statusEvents.incrementAndGet();
						if (this.first) {
							this.first = false;
							firstEventMicros[index] = (System.nanoTime() - start) / 1000;
							firstEvents.countDown();
						}
					}
				}

				@Override
				public void onError(Throwable failure) {
				}

				@Override
				public void onComplete() {
				}

			})).whenComplete((response, failure) -> {
				if (failure != null || response.statusCode() != 200) {
					failed.incrementAndGet();
				}
			}));
		}
		boolean allOpen = firstEvents.await(60, TimeUnit.SECONDS);
		long peakThreads = 0;
		long peakRss = 0;
		long peakHeap = 0;
		long hold = System.nanoTime() + this.options.streamSeconds.toNanos();
		while (System.nanoTime() < hold) {
			peakThreads = Math.max(peakThreads, status(pid, "Threads:"));
			peakRss = Math.max(peakRss, status(pid, "VmRSS:"));
			peakHeap = Math.max(peakHeap, heapUsedBytes(target.port + 10));
			Thread.sleep(250);
		}
		long liveHeap = heapAfterFullGc(pid, target.port + 10);
		long opened = streams - firstEvents.getCount();
		// one event each: the job is processing and stays so
		boolean correct = allOpen && statusEvents.get() == streams && failed.get() == 0;
		open.forEach((stream) -> stream.cancel(true));
		client.shutdownNow();
		long[] sorted = Arrays.copyOf(firstEventMicros, streams);
		Arrays.sort(sorted);
		log("event-streams  %-22s %d of %d streams open with their first event (%s), p50 to it %.1f ms; "
				+ "live heap %d MB after a full GC (%d MB before: %d KB a stream; peak %d MB), RSS %d MB, threads %d (%d before)",
				target.name, opened, streams,
				correct ? "all, correctly" : "NOT ALL: " + failed.get() + " failed, " + statusEvents.get() + " events",
				sorted[streams / 2] / 1000.0, liveHeap >> 20, liveHeapBefore >> 20,
				Math.max(0, liveHeap - liveHeapBefore) / 1024 / streams, peakHeap >> 20, peakRss >> 10, peakThreads,
				threadsBefore);
		return new Result(Workload.EVENT_STREAMS.label, target.name, 1, 0, sorted[streams / 2] / 1000.0,
				sorted[(int) (streams * 0.99)] / 1000.0, 0, peakRss / 1024.0, correct ? 0 : streams - opened + failed.get(), 0,
				Map.of("streams", streams, "opened", opened, "liveHeapMb", liveHeap >> 20, "liveHeapBeforeMb",
						liveHeapBefore >> 20, "peakHeapMb", peakHeap >> 20,
						"peakThreads", peakThreads, "threadsBefore", threadsBefore));
	}

	/**
	 * (a') creates at a fixed rate, straight to the stub and then through the gateway, back to
	 * back: the p50 the gateway adds to a call. wrk cannot hold a rate (wrk2 is not in Debian),
	 * so a paced Java client drives both; its own cost is the same on both sides.
	 */
	List<Result> fixedRate(Target target) throws Exception {
		awaitQuiet(this.targets);
		HttpRequest direct = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + STUB
				+ "/replicate/v1/models/black-forest-labs/flux-schnell/predictions"))
			.header("Authorization", "Bearer " + UPSTREAM_KEY)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"input\": {\"prompt\": \"a lighthouse at dawn\"}}"))
			.build();
		HttpRequest gateway = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port + "/images"))
			.header("Authorization", "Bearer " + CALLER_KEY)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"black-forest-labs/flux-schnell\", \"prompt\": \"a lighthouse at dawn\"}"))
			.build();
		Duration warmup = Duration.ofSeconds(Math.min(3, this.options.duration.toSeconds()));
		paced(direct, warmup);
		paced(gateway, warmup);
		Paced stub = paced(direct, this.options.duration);
		Paced through = paced(gateway, this.options.duration);
		double added = (through.p50 - stub.p50) / 1000.0;
		log("fixed-rate     %-22s %d req/s: p50 %.2f ms (stub directly %.2f ms), added %.2f ms; p99 %.2f ms (%.2f ms)",
				target.name, FIXED_RATE, through.p50 / 1000.0, stub.p50 / 1000.0, added, through.p99 / 1000.0,
				stub.p99 / 1000.0);
		return List.of(
				new Result(Workload.FIXED_RATE.label, "stub-direct-vs-" + target.name, 1, stub.rps, stub.p50 / 1000.0,
						stub.p99 / 1000.0, 0, 0, stub.bad, 0, Map.of("rate", FIXED_RATE)),
				new Result(Workload.FIXED_RATE.label, target.name, 1, through.rps, through.p50 / 1000.0,
						through.p99 / 1000.0, 0, 0, through.bad, 0, Map.of("rate", FIXED_RATE, "addedP50Ms",
								String.format(Locale.ROOT, "%.3f", added))));
	}

	static final int FIXED_RATE = 1000;

	/** Latencies in microseconds. */
	record Paced(double rps, double p50, double p99, long bad) {
	}

	Paced paced(HttpRequest request, Duration duration) throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		int count = (int) (FIXED_RATE * duration.toMillis() / 1000);
		long[] latencies = new long[count];
		AtomicLong bad = new AtomicLong();
		CountDownLatch done = new CountDownLatch(count);
		long start = System.nanoTime();
		long interval = 1_000_000_000L / FIXED_RATE;
		for (int i = 0; i < count; i++) {
			long due = start + i * interval;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			int index = i;
			// measured from when the request was due, so a late send counts against the target
			client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
				latencies[index] = (System.nanoTime() - due) / 1000;
				if (failure != null || response.statusCode() / 100 != 2) {
					bad.incrementAndGet();
				}
				done.countDown();
			});
		}
		done.await(30, TimeUnit.SECONDS);
		double seconds = (System.nanoTime() - start) / 1e9;
		client.close();
		long[] sorted = latencies.clone();
		Arrays.sort(sorted);
		return new Paced(count / seconds, sorted[count / 2], sorted[(int) (count * 0.99)], bad.get());
	}

	Wrk wrk(Target target, Workload workload, int connections, Duration duration, String prefer) throws Exception {
		String path = switch (workload) {
			case CREATE, HELD_WAITS, FIXED_RATE, JOB_LIFECYCLE -> "/images";
			case READ_RUNNING, POLL, EVENT_STREAMS -> "/images/" + target.runningId;
			case READ_FINISHED -> "/images/" + target.finishedId;
		};
		String script = (workload == Workload.CREATE || workload == Workload.HELD_WAITS) ? "create.lua" : "read.lua";
		int threads = Math.min(2, connections);
		List<String> command = List.of("wrk", "-t" + threads, "-c" + connections, "-d" + Math.max(1, duration.toSeconds()) + "s",
				"--timeout", (duration.toSeconds() + 10) + "s", "-s", this.root.resolve("bench/wrk/" + script).toString(),
				"http://127.0.0.1:" + target.port + path);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("BENCH_WRK_DIR", this.root.resolve("bench/wrk").toString());
		if (workload == Workload.HELD_WAITS) {
			builder.environment().put("BENCH_MODEL", "bench/running");
			builder.environment().put("BENCH_PREFER", prefer);
		}
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor();
		Matcher line = Pattern.compile("WRK (\\d+) (\\d+) (\\d+) (\\d+) (\\d+) (\\d+)").matcher(output);
		if (!line.find()) {
			throw new IllegalStateException("wrk gave no result for " + target.name + " " + workload.label + ":\n" + output);
		}
		return new Wrk(Long.parseLong(line.group(1)), Long.parseLong(line.group(2)), Long.parseLong(line.group(3)),
				Long.parseLong(line.group(4)), Long.parseLong(line.group(5)), Long.parseLong(line.group(6)));
	}

	record Wrk(long requests, long micros, long p50, long p99, long badStatus, long socketErrors) {
	}

	// ---------------------------------------------------------------- job lifecycle

	static final int GW_MEMORY_CALLBACKS = 18100, GW_REDIS_CALLBACKS = 18101;

	/**
	 * (g) see {@link JobLifecycle}: the peers with callers polling once a second, the gateway as
	 * configured by default (its tracker polls on its schedule) and, started for this, the gateway
	 * with the upstream's completion callbacks, on each store. Every caller of the gateway holds its
	 * create with {@code Prefer: wait}.
	 */
	void jobLifecycle(List<Target> targets) throws Exception {
		boolean smoke = this.options.duration.toSeconds() < 5;
		int jobs = smoke ? 12 : 200;
		double rate = smoke ? 4 : 8;
		List<Target> measured = new ArrayList<>(targets.stream().filter((target) -> !target.floor
				&& !target.name.equals("gateway-redis") && !target.name.equals("gateway-variant")).toList());
		List<String> callbacks = List.of("--gateway.upstream.webhook-secret=" + JobLifecycle.SECRET);
		if (this.options.starts("gateway-memory")) {
			measured.add(startGateway("gateway-memory-callbacks", GW_MEMORY_CALLBACKS, "memory", withCallbackUrl(callbacks,
					GW_MEMORY_CALLBACKS)));
		}
		if (this.options.stores.contains("redis") && this.options.starts("gateway-redis")) {
			// its own keys: on gateway-redis's it would be a replica of it, and gateway-redis's tracker
			// (polling on its schedule) would follow some of its jobs
			List<String> redis = withCallbackUrl(callbacks, GW_REDIS_CALLBACKS);
			redis.add("--gateway.store.redis.key-prefix=igw-callbacks:");
			measured.add(startGateway("gateway-redis-callbacks", GW_REDIS_CALLBACKS, "redis", redis));
		}
		// warmed up with 3,000 short jobs at 150/s (20 s): the gateways with callbacks start fresh here
		try (JobLifecycle lifecycle = new JobLifecycle(jobs, smoke ? 0.25 : 1, smoke ? 40 : 3000, smoke ? 20 : 150)) {
			for (Target target : measured) {
				awaitQuiet(this.targets, Duration.ofSeconds(20));
				JobLifecycle.Run run = lifecycle.run(target.port, target.gateway, rate, () -> cpuTicks(target.pids.get()),
						CLOCK_TICKS);
				log("job-lifecycle  %-24s %d jobs, %d learned of (%s, %d failures): completion lag p50 %.0f ms, p99 %.0f ms; "
						+ "%.2f upstream reads a job; CPU %.2f ms a job (%.2f of it idle: %.2f net)", target.name, run.jobs(),
						run.learned(), target.gateway ? "held creates" : "callers polling once a second", run.failures(),
						run.lagP50Ms(), run.lagP99Ms(), run.readsPerJob(), run.cpuMsPerJob(), run.idleCpuMsPerJob(),
						run.cpuMsPerJob() - run.idleCpuMsPerJob());
				this.results.add(new Result(Workload.JOB_LIFECYCLE.label, target.name, 1, 0, run.lagP50Ms(), run.lagP99Ms(),
						run.cpuMsPerJob() * 1000, 0, run.failures() + (run.jobs() - run.learned()), 0,
						Map.of("netCpuMsPerJob", String.format(Locale.ROOT, "%.2f", run.cpuMsPerJob() - run.idleCpuMsPerJob()),
								"jobs", run.jobs(), "learned", run.learned(), "readsPerJob",
								String.format(Locale.ROOT, "%.2f", run.readsPerJob()), "lagP50Ms",
								String.format(Locale.ROOT, "%.0f", run.lagP50Ms()), "lagP99Ms",
								String.format(Locale.ROOT, "%.0f", run.lagP99Ms()))));
			}
		}
	}

	static List<String> withCallbackUrl(List<String> settings, int port) {
		List<String> all = new ArrayList<>(settings);
		all.add("--gateway.upstream.callback-url=http://127.0.0.1:" + port + "/upstream/callback");
		return all;
	}

	// ---------------------------------------------------------------- container start

	void containerStart() throws Exception {
		String name = "image-gateway-bench";
		run(List.of("podman", "rm", "-f", name));
		long started = System.nanoTime();
		// the memory limit the Helm chart gives a pod: the image's JVM sizes itself from it
		run(List.of("podman", "run", "-d", "--name", name, "--memory=" + CONTAINER_MEMORY, "-p", "127.0.0.1:18090:8080",
				"-p", "127.0.0.1:18091:8081",
				"-e", "GATEWAY_CLIENTS_BENCH_KEYSHA256=" + CALLER_KEY_SHA256, "-e", "GATEWAY_CLIENTS_BENCH_SANDBOX=true",
				"-e", "GATEWAY_DEFAULTS_LIMITS_CREATES_PERMITS=1000000",
				this.options.image));
		try {
			awaitReady(18091, null);
			double ready = (System.nanoTime() - started) / 1e9;
			String logs = run(List.of("podman", "logs", name));
			Matcher context = Pattern.compile("Started \\w+ in ([0-9.]+) seconds").matcher(logs);
			String contextSeconds = context.find() ? context.group(1) : "?";
			// warm up the sandbox path, then read the container JVM's resident memory
			for (int i = 0; i < 300; i++) {
				send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18090/images"))
					.header("Authorization", "Bearer " + CALLER_KEY)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"a/b\", \"prompt\": \"warm-up " + i + "\"}"))
					.build());
			}
			long pid = Long.parseLong(run(List.of("podman", "inspect", "--format", "{{.State.Pid}}", name)).trim());
			long rssKb = status(pid, "VmRSS:");
			log("container      start to ready %.1f s (Spring context %s s), RSS after warm-up %d MB", ready, contextSeconds,
					rssKb >> 10);
			this.results.add(new Result("container-start", "gateway-container", 1, 0, 0, 0, 0, rssKb / 1024.0, 0, 0,
					Map.of("readySeconds", String.format(Locale.ROOT, "%.2f", ready), "contextSeconds", contextSeconds)));
		}
		finally {
			run(List.of("podman", "rm", "-f", name));
		}
	}

	// ---------------------------------------------------------------- reporting

	record Result(String workload, String target, int round, double rps, double p50, double p99, double cpuMicros,
			double rssMb, long badStatus, long socketErrors, Map<String, Object> extra) {
	}

	void report() {
		System.out.println();
		System.out.printf("%-14s %-22s %22s %16s %16s %12s %8s %8s%n", "workload", "target", "req/s median (min-max)",
				"p50 ms", "p99 ms", "cpu us/req", "rss MB", "x nginx");
		Map<String, List<Result>> groups = new LinkedHashMap<>();
		for (Result result : this.results) {
			groups.computeIfAbsent(result.workload + "\n" + result.target, (key) -> new ArrayList<>()).add(result);
		}
		Map<String, Double> nginx = new LinkedHashMap<>();
		groups.forEach((key, runs) -> {
			if (runs.getFirst().target.equals("nginx-proxy")) {
				nginx.put(runs.getFirst().workload, median(runs, Result::rps));
			}
		});
		boolean ok = true;
		boolean ran = true;
		for (Map.Entry<String, List<Result>> group : groups.entrySet()) {
			List<Result> runs = group.getValue();
			Result first = runs.getFirst();
			double rps = median(runs, Result::rps);
			double ratio = (nginx.getOrDefault(first.workload, 0.0) > 0) ? rps / nginx.get(first.workload) : Double.NaN;
			long errors = runs.stream().mapToLong((r) -> r.badStatus + r.socketErrors).sum();
			// the peers' errors are theirs to report; the gateway must answer every request correctly
			ok &= errors == 0 || !first.target.startsWith("gateway");
			ran &= runs.stream().allMatch((r) -> r.rps > 0 || !r.extra.isEmpty() || r.workload.equals("container-start"));
			if (first.rps > 0) {
				System.out.printf(Locale.ROOT, "%-14s %-22s %9.0f (%5.0f-%5.0f) %16.2f %16.2f %12.0f %8.0f %8.2f%s%n",
						first.workload, first.target, rps, min(runs, Result::rps), max(runs, Result::rps),
						median(runs, Result::p50), median(runs, Result::p99), median(runs, Result::cpuMicros),
						max(runs, Result::rssMb), ratio, (errors > 0) ? "  errors: " + errors : "");
			}
			StringBuilder json = new StringBuilder("BENCH {\"workload\":\"" + first.workload + "\",\"target\":\""
					+ first.target + "\",\"rounds\":" + runs.size());
			json.append(String.format(Locale.ROOT,
					",\"rps\":%.1f,\"rpsMin\":%.1f,\"rpsMax\":%.1f,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"cpuMicrosPerRequest\":%.1f,\"peakRssMb\":%.1f,\"ratioToNginx\":%s,\"errors\":%d",
					rps, min(runs, Result::rps), max(runs, Result::rps), median(runs, Result::p50),
					median(runs, Result::p99), median(runs, Result::cpuMicros), max(runs, Result::rssMb),
					Double.isNaN(ratio) ? "null" : String.format(Locale.ROOT, "%.3f", ratio), errors));
			first.extra.forEach((name, value) -> json.append(",\"").append(name).append("\":")
				.append((value instanceof String text) ? "\"" + text + "\"" : value));
			System.out.println(json.append('}'));
		}
		System.out.println(!ran ? "BENCH-RESULT failed: a workload made no requests"
				: ok ? "BENCH-RESULT ok: " + groups.size() + " results" : "BENCH-RESULT failed: the gateway answered errors, see the table");
		if (!ok || !ran) {
			System.exit(1);
		}
	}

	static double median(List<Result> runs, ToDoubleFunction<Result> value) {
		double[] values = runs.stream().mapToDouble(value).sorted().toArray();
		return (values.length % 2 == 1) ? values[values.length / 2]
				: (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
	}

	static double min(List<Result> runs, ToDoubleFunction<Result> value) {
		return runs.stream().mapToDouble(value).min().orElse(0);
	}

	static double max(List<Result> runs, ToDoubleFunction<Result> value) {
		return runs.stream().mapToDouble(value).max().orElse(0);
	}

	// ---------------------------------------------------------------- targets and helpers

	final class Target {

		final String name;

		final int port;

		final boolean gateway;

		final Supplier<List<Long>> pids;

		final boolean floor;

		String runningId;

		String finishedId;

		Target(String name, int port, boolean gateway, Supplier<List<Long>> pids) {
			this(name, port, gateway, false, pids);
		}

		Target(String name, int port, boolean gateway, boolean floor, Supplier<List<Long>> pids) {
			this.name = name;
			this.port = port;
			this.gateway = gateway;
			this.floor = floor;
			this.pids = pids;
		}

		/** A running and a finished job to read: created through the gateway, or known to the stub for the peers. */
		void prepareJobs() throws Exception {
			if (!this.gateway) {
				this.runningId = "runbenchjob";
				this.finishedId = "finbenchjob";
				return;
			}
			this.runningId = create("bench/running", null);
			// the gateway's tracker records the job's end in the background: the create holds until it has
			this.finishedId = create("black-forest-labs/flux-schnell", "wait=10");
			String finished = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/images/" + this.finishedId))
				.header("Authorization", "Bearer " + CALLER_KEY)
				.build());
			if (!finished.contains("\"succeeded\"")) {
				throw new IllegalStateException(this.name + ": the finished job is not finished: " + finished);
			}
		}

		String create(String model, String prefer) throws Exception {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/images"))
				.header("Authorization", "Bearer " + CALLER_KEY)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + model + "\", \"prompt\": \"bench\"}"));
			if (prefer != null) {
				request.header("Prefer", prefer);
			}
			String body = send(request.build());
			Matcher id = Pattern.compile("\"id\":\"([0-9a-z]+)\"").matcher(body);
			if (!id.find()) {
				throw new IllegalStateException(this.name + ": no job in " + body);
			}
			return id.group(1);
		}

	}

	String send(HttpRequest request) throws Exception {
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() >= 300) {
			throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	String seed(String name, String id) throws IOException {
		String json = Files.readString(this.root.resolve("src/test/resources/upstream/" + name));
		// nginx unescapes its quoted strings: the JSON's own escapes (\n in logs) need their backslash doubled
		String compact = json.lines().map(String::strip).reduce("", String::concat).replace("\\", "\\\\");
		// created now, as a real upstream's are (a year-old job is past the retention, and the sweep
		// would be clearing every job the benchmark creates); completed long ago, so that the
		// outputs' links have expired and the tracker does not try to fetch them
		return compact.replaceFirst("\"id\": \"[^\"]+\"", "\"id\": \"" + Matcher.quoteReplacement(id) + "\"")
			.replaceFirst("\"created_at\": \"[^\"]+\"", "\"created_at\": \"\\$time_iso8601\"")
			.replaceAll("\"urls\": \\{[^}]*}", "\"urls\": {}");
	}

	/** The heap in use right after a full collection ({@code jcmd GC.run}), which only live objects survive. */
	long heapAfterFullGc(long pid, int managementPort) {
		try {
			run(List.of(Path.of(this.java).resolveSibling("jcmd").toString(), Long.toString(pid), "GC.run"));
			return heapUsedBytes(managementPort);
		}
		catch (Exception ex) {
			return 0;
		}
	}

	/** The JVM's used heap, from the gateway's own Prometheus endpoint. */
	long heapUsedBytes(int managementPort) {
		try {
			String body = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
				.timeout(Duration.ofSeconds(2))
				.build());
			double used = 0;
			Matcher heap = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.E+-]+)$").matcher(body);
			while (heap.find()) {
				used += Double.parseDouble(heap.group(1));
			}
			return (long) used;
		}
		catch (Exception ex) {
			return 0;
		}
	}

	/**
	 * Waits, at most a minute, until these targets' processes use under a tenth of a core: after a
	 * round of creates a gateway goes on following the jobs they started (an upstream read each,
	 * here), for seconds. Answers how long that took, from the first check.
	 */
	Duration awaitQuiet(List<Target> targets) throws InterruptedException {
		return awaitQuiet(targets, Duration.ofMinutes(1));
	}

	Duration awaitQuiet(List<Target> targets, Duration atMost) throws InterruptedException {
		List<Long> pids = targets.stream().flatMap((target) -> target.pids.get().stream()).toList();
		long started = System.nanoTime();
		long deadline = started + atMost.toNanos();
		long before = cpuTicks(pids);
		while (System.nanoTime() < deadline) {
			Thread.sleep(1000);
			long now = cpuTicks(pids);
			if (now - before <= CLOCK_TICKS / 10) {
				return Duration.ofNanos(System.nanoTime() - started).minusSeconds(1);
			}
			before = now;
		}
		log("still busy after %s: %s", atMost, targets.stream().map((target) -> target.name).toList());
		return atMost;
	}

	static long cpuTicks(List<Long> pids) {
		long ticks = 0;
		for (long pid : pids) {
			try {
				String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			}
			catch (IOException gone) {
				// a process that ended has no more CPU to count
			}
		}
		return ticks;
	}

	static double peakRssMb(List<Long> pids) {
		return pids.stream().mapToLong((pid) -> status(pid, "VmHWM:")).sum() / 1024.0;
	}

	/** A kB (or count) field of /proc/PID/status. */
	static long status(long pid, String field) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith(field)) {
					return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
				}
			}
		}
		catch (IOException | NumberFormatException gone) {
			// not there (any more)
		}
		return 0;
	}

	static long lines(Path file) throws IOException {
		if (!Files.exists(file)) {
			return 0;
		}
		try (var lines = Files.lines(file)) {
			return lines.count();
		}
	}

	static void awaitPort(int port, Process process) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline && process.isAlive()) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
				return;
			}
			catch (IOException notYet) {
				Thread.sleep(100);
			}
		}
		throw new IllegalStateException("nothing listens on port " + port + " (see target/bench/*.out)");
	}

	void awaitReady(int managementPort, Process process) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
		while (System.nanoTime() < deadline && (process == null || process.isAlive())) {
			try {
				send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(1))
					.build());
				return;
			}
			catch (Exception notYet) {
				Thread.sleep(50);
			}
		}
		throw new IllegalStateException("not ready on port " + managementPort + " (see target/bench/*.out)");
	}

	static String run(List<String> command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor();
		return output;
	}

	static void log(String format, Object... arguments) {
		System.out.println(String.format(Locale.ROOT, format, arguments));
	}

	record Options(int rounds, Duration duration, Duration warmup, int connections, Duration pollDuration,
			int heldWaits, int waitSeconds, List<String> stores, List<String> workloads, String image,
			List<String> targets, String variant, int eventStreams, Duration streamSeconds) {

		boolean starts(String target) {
			return this.targets.contains("all") || this.targets.contains(target);
		}

		boolean runs(Workload workload) {
			return this.workloads.contains("all") || this.workloads.contains(workload.label);
		}

		static Options parse(String[] args) {
			Map<String, String> given = new LinkedHashMap<>();
			for (String arg : args) {
				if (!arg.startsWith("--")) {
					throw new IllegalArgumentException("unknown argument " + arg);
				}
				String[] pair = arg.substring(2).split("=", 2);
				given.put(pair[0], (pair.length == 2) ? pair[1] : "true");
			}
			boolean smoke = given.containsKey("smoke");
			return new Options(Integer.parseInt(given.getOrDefault("rounds", smoke ? "1" : "3")),
					seconds(given.getOrDefault("duration", smoke ? "2" : "10")),
					seconds(given.getOrDefault("warmup", smoke ? "1" : "20")),
					Integer.parseInt(given.getOrDefault("connections", smoke ? "16" : "64")),
					seconds(given.getOrDefault("poll-duration", smoke ? "2" : "10")),
					Integer.parseInt(given.getOrDefault("held-waits", smoke ? "200" : "5000")),
					Integer.parseInt(given.getOrDefault("wait-seconds", smoke ? "2" : "30")),
					Arrays.asList(given.getOrDefault("stores", "memory,redis").split(",")),
					Arrays.asList(given.getOrDefault("workloads", "all").split(",")), given.get("image"),
					Arrays.asList(given.getOrDefault("targets", "all").split(",")), given.get("variant"),
					Integer.parseInt(given.getOrDefault("event-streams", smoke ? "50" : "1000")),
					seconds(given.getOrDefault("stream-seconds", smoke ? "1" : "10")));
		}

		static Duration seconds(String value) {
			return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
		}

	}

}
