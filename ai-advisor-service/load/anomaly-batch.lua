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

-- wrk-result.lua beside this script (wrk -s gives the path it was started with)
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
done = dofile(here .. "wrk-result.lua")(1)
