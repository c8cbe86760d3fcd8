-- The shortlist values each candidate with expressions instead of subqueries. Measured on the
-- national registry (BENCHMARKS.md, issue 26): the widest benchmark request has 1,662
-- candidates, and valuing each with two correlated subqueries over the wanted keys
-- (`SELECT avg(...) FROM unnest(...)`) cost ~4 µs a candidate, 40 % of the statement; the
-- same lookups written out as expressions cost ~1 µs. Writing them out needs a bound on how
-- many keys a request has: at most 8 skills and 4 languages (NewServiceRequest.mostSkills and
-- mostLanguages; each language looks up itself and its macrolanguage, so 8 keys), which
-- match_shortlist checks before ranking.

-- A key's level in a profile's `levels`, 0 without it (a NULL key: 0 as well).
CREATE FUNCTION match_level(levels jsonb, key text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce((levels ->> key)::integer, 0)
$$;

-- The sum of the levels of up to 8 keys (positions past the array's end are NULL). Plain
-- SQL expressions, so that PostgreSQL inlines this into the ranking query.
CREATE FUNCTION match_level_sum(levels jsonb, keys text[]) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT match_level(levels, keys[1]) + match_level(levels, keys[2]) + match_level(levels, keys[3])
         + match_level(levels, keys[4]) + match_level(levels, keys[5]) + match_level(levels, keys[6])
         + match_level(levels, keys[7]) + match_level(levels, keys[8])
$$;

-- The best level times its key's factor over up to 8 keys.
CREATE FUNCTION match_level_best(levels jsonb, keys text[], factors float8[]) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT greatest(
        match_level(levels, keys[1]) * factors[1], match_level(levels, keys[2]) * factors[2],
        match_level(levels, keys[3]) * factors[3], match_level(levels, keys[4]) * factors[4],
        match_level(levels, keys[5]) * factors[5], match_level(levels, keys[6]) * factors[6],
        match_level(levels, keys[7]) * factors[7], match_level(levels, keys[8]) * factors[8])
$$;

-- As in 0006, with the request's row and wanted keys read first into variables (the ranking
-- query then takes them as parameters of its kept plan, instead of joining three CTEs to
-- every candidate) and the two values written with the functions above.
CREATE OR REPLACE FUNCTION match_shortlist(
    p_request uuid, p_weights float8[], p_limit integer, p_other_variety float8,
    p_distance_scale_km float8, p_experience_half float8, p_prior_mean float8, p_prior_strength float8
) RETURNS TABLE (
    provider_id uuid, gender text, will_live_in_community boolean, distance_km float8, covered text[], missing text[],
    best_language text, best_speaking integer, exact boolean, rating_count integer, rating_average float8, completed integer,
    cost_cents bigint, budget_cents bigint, must_live_in_community boolean, preferred_gender text,
    skills_value float8, language_value float8, distance_value float8, rating_value float8, experience_value float8,
    cost_value float8, live_in_value float8, gender_value float8, score float8
)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
DECLARE
    req record;
    skill_keys text[];
    language_keys text[];
    language_factors float8[];
BEGIN
    SELECT r.work_point, r.period, r.budget_cents, r.must_live_in_community, r.preferred_gender,
           upper(r.period) - lower(r.period) AS days, ARRAY[reach_cell(d.latitude, d.longitude), 'cell:wide'] AS cells
    INTO req
    FROM service_requests r JOIN districts d ON d.ubigeo = r.ubigeo
    WHERE r.id = p_request;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT array_agg('skill:' || skill_code ORDER BY skill_code) INTO skill_keys FROM request_skills WHERE request_id = p_request;
    SELECT array_agg(v.key ORDER BY v.key), array_agg(v.factor ORDER BY v.key) INTO language_keys, language_factors
    FROM request_languages rl JOIN languages l ON l.code = rl.language_code
         CROSS JOIN LATERAL (VALUES ('lang:' || l.code, 1.0::float8), ('lang:' || l.macrolanguage, p_other_variety)) AS v (key, factor)
    WHERE rl.request_id = p_request AND v.key IS NOT NULL;
    IF cardinality(skill_keys) > 8 OR cardinality(language_keys) > 8 THEN
        RAISE EXCEPTION 'request % wants more keys than match_level_sum reads (8)', p_request USING ERRCODE = 'check_violation';
    END IF;

RETURN QUERY
WITH candidates AS (
    SELECT m.*, great_circle_km(m.home_point, req.work_point) AS distance_km
    FROM match_profiles m
    WHERE m.keys && req.cells AND m.keys && skill_keys AND m.keys && language_keys
      AND great_circle_km(m.home_point, req.work_point) <= m.travel_radius_km
      AND NOT (m.booked && req.period)
), valued AS (
    SELECT c.provider_id, c.gender, c.will_live_in_community, c.distance_km, c.levels, c.rating_count, c.completed,
           (p_prior_strength * p_prior_mean + c.rating_sum) / (p_prior_strength + c.rating_count) AS rating_average,
           c.daily_rate_cents * req.days AS cost_cents,
           match_level_sum(c.levels, skill_keys)::float8 / cardinality(skill_keys) / 4 AS skills_value,
           match_level_best(c.levels, language_keys, language_factors) / 4 AS language_value,
           greatest(0.0, 1.0 - c.distance_km / p_distance_scale_km) AS distance_value,
           c.completed / (c.completed + p_experience_half) AS experience_value
    FROM candidates c
), scored AS (
    SELECT v.*,
           (v.rating_average - 1.0) / 4.0 AS rating_value,
           CASE WHEN v.cost_cents <= req.budget_cents THEN 1.0 ELSE req.budget_cents::float8 / v.cost_cents END AS cost_value,
           CASE WHEN NOT req.must_live_in_community OR v.will_live_in_community THEN 1.0 ELSE 0.0 END AS live_in_value,
           CASE WHEN req.preferred_gender IS NULL OR req.preferred_gender = v.gender THEN 1.0 ELSE 0.0 END AS gender_value
    FROM valued v
), best AS (
    SELECT s.*,
           100 * (p_weights[1] * skills_value + p_weights[2] * language_value + p_weights[3] * distance_value
                  + p_weights[4] * rating_value + p_weights[5] * experience_value + p_weights[6] * cost_value
                  + p_weights[7] * live_in_value + p_weights[8] * gender_value) AS score
    FROM scored s
    ORDER BY score DESC, provider_id
    LIMIT p_limit
)
SELECT b.provider_id, b.gender, b.will_live_in_community, b.distance_km, skills.covered, skills.missing,
       lang.code, lang.speaking, coalesce(lang.exact, false), b.rating_count, b.rating_average, b.completed,
       b.cost_cents, req.budget_cents, req.must_live_in_community, req.preferred_gender,
       b.skills_value, b.language_value, b.distance_value, b.rating_value::float8, b.experience_value,
       b.cost_value::float8, b.live_in_value::float8, b.gender_value::float8, b.score
FROM best b
CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(substr(k, 7) ORDER BY k) FILTER (WHERE b.levels ? k), '{}') AS covered,
           coalesce(array_agg(substr(k, 7) ORDER BY k) FILTER (WHERE NOT b.levels ? k), '{}') AS missing
    FROM unnest(skill_keys) AS k
) skills
LEFT JOIN LATERAL (
    -- The provider's language that gave language_value: its level times its factor.
    SELECT pl.language_code AS code, pl.speaking::int AS speaking, f.factor = 1.0 AS exact
    FROM provider_languages pl JOIN languages g ON g.code = pl.language_code
         CROSS JOIN LATERAL (SELECT max(u.factor) AS factor FROM unnest(language_keys, language_factors) AS u (key, factor)
                             WHERE u.key IN ('lang:' || pl.language_code, 'lang:' || g.macrolanguage)) f
    WHERE pl.provider_id = b.provider_id AND pl.speaking >= 2 AND f.factor IS NOT NULL
    ORDER BY pl.speaking * f.factor DESC, pl.language_code
    LIMIT 1
) lang ON true
ORDER BY b.score DESC, b.provider_id;
END
$$;
