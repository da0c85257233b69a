-- wrk script: adds p95 to wrk's summary.
done = function(summary, latency, requests)
  io.write(string.format("  saturation: %.0f req/s; latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms; errors %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
