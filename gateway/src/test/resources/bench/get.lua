-- wrk script: GET one path with the headers of a tenant picked round-robin.
-- CS_BENCH_HEADERS names a Lua file returning a list of header tables (a bearer token, or a signed context).
-- CS_BENCH_DELAY_MS, when set, paces each connection (wrk's delay hook): connections x 1000 / delay = requests/s.
local tenants = dofile(os.getenv("CS_BENCH_HEADERS"))
local path = os.getenv("CS_BENCH_PATH")
local pause = tonumber(os.getenv("CS_BENCH_DELAY_MS") or "0")
local counter = math.random(1, #tenants)

function request()
  counter = counter % #tenants + 1
  return wrk.format("GET", path, tenants[counter])
end

if pause > 0 then
  function delay()
    return pause
  end
end

-- non-2xx answers by status, printed at the end (wrk itself only counts them)
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

statuses = {}
function response(status, headers, body)
  if status >= 300 then
    local key = tostring(status)
    statuses[key] = (statuses[key] or 0) + 1
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local counted = thread:get("statuses")
    for status, count in pairs(counted) do
      io.write(string.format("status %s: %d\n", status, count))
    end
  end
end
