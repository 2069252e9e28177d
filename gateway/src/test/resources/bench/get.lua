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
