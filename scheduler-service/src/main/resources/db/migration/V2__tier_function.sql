-- The tier an activity time means at an instant, in one place for the sweep and the housekeeping pass (TierPolicy
-- mirrors it in Java). A tenant never seen active is dormant.
CREATE FUNCTION cs_tier(last_activity timestamptz, at timestamptz, active_within_secs float8,
                        normal_within_secs float8) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
SELECT CASE WHEN last_activity > at - make_interval(secs => active_within_secs) THEN 'ACTIVE'
            WHEN last_activity > at - make_interval(secs => normal_within_secs) THEN 'NORMAL'
            ELSE 'DORMANT' END
$$;
