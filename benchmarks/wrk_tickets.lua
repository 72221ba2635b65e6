-- wrk script for the service benchmarks (run by service_harness.run_load).
-- Every connection waits about BENCH_PACE_MS, sends one request and waits for the answer: N connections make
-- N * 1000 / BENCH_PACE_MS requests a second. POSTs carry a new ticket id and a text from BENCH_TEXTS (one JSON
-- object per line: {"subject": …, "description": …}). With BENCH_OK_IDS set, the id of every ticket that got a
-- 2xx is appended to that file (one file per wrk thread). The summary is one JSON line starting with "RESULT ".

local key = os.getenv("BENCH_API_KEY")
local target = os.getenv("BENCH_PATH") or "/v1/tickets"
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "1000")
local texts, ok_file, counter = {}, nil, 0  -- thread_id is a global, set by setup()

local threads = {}
function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_TEXTS")) do
    if #line > 0 then table.insert(texts, line) end
  end
  if os.getenv("BENCH_OK_IDS") then ok_file = io.open(os.getenv("BENCH_OK_IDS") .. "." .. thread_id, "a") end
  math.randomseed(os.time() + thread_id)
end

-- wrk opens every connection at once. Their first requests are spread evenly over one pace, and every later wait
-- is between 0.5 and 1.5 paces (the same mean), so the connections never fall back into step.
local per_thread = tonumber(os.getenv("BENCH_CONNECTIONS_PER_THREAD") or "0")
local delays = 0
function delay()
  delays = delays + 1
  if delays <= per_thread then return pace * math.random() end
  return pace * (0.5 + math.random())
end

function request()
  local headers = {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}
  if target ~= "/v1/tickets" then return wrk.format("GET", target, headers) end
  counter = counter + 1
  local id = string.format("W-%d-%d-%d-%d", thread_id, os.time(), math.random(1, 1000000000), counter)
  local text = texts[math.random(#texts)]
  return wrk.format("POST", target, headers, '{"ticket_id":"' .. id .. '",' .. string.sub(text, 2))
end

function response(status, headers, body)
  if ok_file and status >= 200 and status < 300 then
    local id = string.match(body, '"ticket_id":"([^"]+)"')
    if id then ok_file:write(id, "\n"); ok_file:flush() end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.3f,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f}\n',
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, latency.mean / 1e3))
end
