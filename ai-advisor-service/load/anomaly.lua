-- wrk script: POST /api/v1/anomaly with a rotating set of realistic orders (normal and anomalous),
-- then print p50/p90/p99 and the error count in a form docs/benchmarks.md can quote.
local orders = {
  '{"order_id":"L-1","avg_processing_ms":1180.5,"item_count":3,"payment_score":0.91}',
  '{"order_id":"L-2","avg_processing_ms":950.0,"item_count":2,"payment_score":0.84}',
  '{"order_id":"L-3","avg_processing_ms":1420.2,"item_count":5,"payment_score":0.77}',
  '{"order_id":"L-4","avg_processing_ms":5200.0,"item_count":19,"payment_score":0.08}',
  '{"order_id":"L-5","avg_processing_ms":1010.7,"item_count":4,"payment_score":0.95}',
  '{"order_id":"L-6","avg_processing_ms":1800.0,"item_count":7,"payment_score":0.32}',
  '{"order_id":"L-7","avg_processing_ms":870.3,"item_count":1,"payment_score":0.99}',
  '{"order_id":"L-8","avg_processing_ms":1290.9,"item_count":3,"payment_score":0.66}',
}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  i = i % #orders + 1
  return wrk.format(nil, nil, nil, orders[i])
end

-- wrk-result.lua beside this script (wrk -s gives the path it was started with)
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
done = dofile(here .. "wrk-result.lua")(0)
