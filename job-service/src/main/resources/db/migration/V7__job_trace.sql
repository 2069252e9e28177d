-- The trace of the request that made the job (W3C traceparent, tracestate; NULL: none, as always with tracing off).
-- Every event the job later writes (RUNNING, its ends, cancel, replay) names it on its cs_outbox row, so the relay
-- publishes them all in the request's trace, although claims and ends run in no span and a batch's transaction holds
-- many requests' traces. Nullable without a default: adding them rewrites nothing.
ALTER TABLE jobs ADD COLUMN trace_parent text, ADD COLUMN trace_state text;
