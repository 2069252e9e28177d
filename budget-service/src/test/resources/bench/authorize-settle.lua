-- wrk script: each connection runs authorize, then settles the hold it got, then authorizes again.
-- Run with as many threads as connections (-t N -c N): wrk does not say which connection a response belongs to,
-- so one connection per thread keeps "the tenant of the last authorization" unambiguous.
-- CS_BENCH_HEADERS names a Lua file returning a list of signed-context header tables, one per tenant;
-- CS_BENCH_HOT=1 sends every pair for the first tenant.
local tenants = dofile(os.getenv("CS_BENCH_HEADERS"))
local hot = os.getenv("CS_BENCH_HOT") == "1"
local counter = 0
local next_thread = 1

-- Runs in the main Lua state once per thread. Unseeded, math.random gives every thread the same sequence: all
-- threads would pick the same tenants in lockstep (one hot tenant in disguise) and every run the same keys
-- (replays). Each thread gets its own number, its key prefix and its seed from it.
function setup(thread)
  thread:set("thread_number", next_thread)
  thread:set("thread_id", string.format("%d-%d", os.time(), next_thread))
  next_thread = next_thread + 1
end

function init(args)
  math.randomseed(os.time() * 1000 + thread_number)
end

local pending = nil
local tenant = nil

function request()
  if pending then
    local hold = pending
    pending = nil
    return wrk.format("POST", "/api/v1/llm/authorizations/" .. hold .. "/settle", tenants[tenant],
      '{"inputTokens":200,"outputTokens":50}')
  end
  counter = counter + 1
  tenant = hot and 1 or math.random(1, #tenants)
  return wrk.format("POST", "/api/v1/llm/authorizations", tenants[tenant],
    '{"model":"gpt-4o-mini","inputTokens":200,"maxOutputTokens":100,"idempotencyKey":"' .. thread_id .. "-" ..
    counter .. '"}')
end

function response(status, headers, body)
  if status == 201 then
    pending = body:match('"holdId":"([0-9a-f%-]+)"')
  end
end
