-- One owner each for the tier and for the jobs.requested event, instead of a Java and a SQL copy kept in step.

-- The tier is cs_tier() of last_activity_at at the moment it is asked for (sweep, API, activity, stats). A stored
-- copy was stale between housekeeping passes and a third place that could disagree.
ALTER TABLE tenants DROP COLUMN tier;

-- The jobs.requested event, for the sweep (a slot: slot_start set) and for run-now (idempotency_key set) alike.
-- {schemaVersion: 1, jobId, tenantId, jobType, dedupKey, slotStart (slots only), source, payload: {}}; dedupKey is
-- "{tenant}:{jobType}:{slot start ISO-8601}" or "{tenant}:{jobType}:manual:{idempotency key}".
CREATE FUNCTION cs_job_requested(job_id uuid, tenant uuid, job_type text, slot_start timestamptz,
                                 idempotency_key text) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
SELECT json_strip_nulls(json_build_object(
           'schemaVersion', 1,
           'jobId', job_id,
           'tenantId', tenant,
           'jobType', job_type,
           'dedupKey', CASE WHEN slot_start IS NOT NULL
                            THEN tenant || ':' || job_type || ':' || cs_iso_instant(slot_start)
                            ELSE tenant || ':' || job_type || ':manual:' || idempotency_key END,
           'slotStart', cs_iso_instant(slot_start),
           'source', CASE WHEN slot_start IS NOT NULL THEN 'scheduler' ELSE 'run-now' END,
           'payload', json_build_object()))
$$;
