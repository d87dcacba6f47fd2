-- The RESULT line both wrk scripts print (docs/benchmarks.md quotes it): p50/p90/p99/max latency and the
-- error count. Returns wrk's done() for a rate printed with the given number of decimals.
return function(rate_decimals)
  local line = "RESULT requests=%d req_per_s=%." .. rate_decimals
      .. "f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d\n"
  return function(summary, latency, requests)
    local secs = summary.duration / 1e6
    io.write(string.format(line,
      summary.requests, summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
      summary.errors.status))
  end
end
