-- wrk script: each connection runs authorize, then settles the hold it got, then authorizes again.
-- Run with as many threads as connections (-t N -c N): wrk does not say which connection a response belongs to,
-- so one connection per thread keeps "the tenant of the last authorization" unambiguous.
-- CS_BENCH_HEADERS names a Lua file returning a list of signed-context header tables, one per tenant;
-- CS_BENCH_HOT=1 sends every pair for the first tenant.
local tenants = dofile(os.getenv("CS_BENCH_HEADERS"))
local hot = os.getenv("CS_BENCH_HOT") == "1"
local counter = 0
local thread_id = tostring(math.random(1, 1e9))
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
