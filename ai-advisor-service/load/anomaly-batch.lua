-- wrk script: POST /api/v1/anomaly/batch with 1,000 orders per request (the default batch limit).
local rows = {}
local seed = 42
local function rnd()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
end
for n = 1, 1000 do
  rows[n] = string.format('{"order_id":"B-%d","avg_processing_ms":%.1f,"item_count":%d,"payment_score":%.3f}',
    n, 600 + rnd() * 1400, 1 + math.floor(rnd() * 8), 0.3 + rnd() * 0.7)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"items":[' .. table.concat(rows, ",") .. ']}'

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d req_per_s=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
