-- one machine-readable line for Bench.java: requests, microseconds, p50 and p99 in microseconds,
-- non-2xx/3xx answers, socket errors
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
