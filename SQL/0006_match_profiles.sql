-- Matching reads one narrow row per provider it may propose, instead of the registry's
-- tables. Measured at 100,000 providers (BENCHMARKS.md): valuing each candidate through
-- index probes of provider_skills, provider_languages, ratings and contracts cost ~60 µs a
-- candidate, and broad requests have 1,500 candidates; from its own row it costs ~5 µs.
-- Replaces the search arrays and the reach index of 0005.

DROP FUNCTION match_shortlist(uuid, float8[], integer, integer, float8, float8, float8, float8, float8);
DROP TRIGGER provider_skills_added ON provider_skills;
DROP TRIGGER provider_skills_changed ON provider_skills;
DROP TRIGGER provider_skills_removed ON provider_skills;
DROP TRIGGER provider_languages_added ON provider_languages;
DROP TRIGGER provider_languages_changed ON provider_languages;
DROP TRIGGER provider_languages_removed ON provider_languages;
DROP FUNCTION providers_refresh_search_arrays();
DROP INDEX providers_reach, providers_search_skills, providers_search_languages;
ALTER TABLE providers DROP COLUMN search_skills, DROP COLUMN search_languages;

-- Great-circle distance on earthdistance's sphere, as earth_distance() but written so that
-- PostgreSQL inlines it: earth_distance is a STRICT SQL function around a CASE, which is
-- never inlined and cost ~1.4 µs a call (half the filtering time of a broad request).
CREATE FUNCTION great_circle_km(a earth, b earth) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 2 * 6378.168 * asin(least(1.0, cube_distance(a, b) / (2 * 6378168.0)))
$$;

-- Where a provider can work, as keys of a quarter-degree grid (about 28 × 27 km here): the
-- cell of a point, and every cell a circle around a home touches. A GIN index on these keys
-- finds the providers whose reach may include a work place; the exact distance is checked
-- after. Reaches wider than 250 km (rare; they would need hundreds of cells) get the one
-- key 'cell:wide', which every request also looks up.
CREATE FUNCTION reach_cell(latitude float8, longitude float8) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT 'cell:' || floor(latitude * 4)::int || ':' || floor(longitude * 4)::int
$$;

-- (plpgsql, which keeps its plans between calls: the same query as a SQL function took
-- 6 ms a call against 60 µs, 10 minutes for 100,000 providers.)
CREATE FUNCTION reach_cells(latitude float8, longitude float8, radius_km float8) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    km_per_degree constant float8 := 111.2;
    -- 2 % + 2 km of slack covers the earth's curve, which the flat measure below ignores.
    reach_km float8 := radius_km * 1.02 + 2;
    reach_lat float8 := reach_km / km_per_degree;
BEGIN
    IF radius_km > 250 THEN
        RETURN ARRAY['cell:wide'];
    END IF;
    -- For each row of cells, the columns the circle spans at the row's latitude nearest the
    -- home, measured with the smaller of the two parallels' scales, which can only widen it.
    RETURN ARRAY(
        SELECT reach_cell(i / 4.0::float8, j / 4.0::float8)
        FROM generate_series(floor((latitude - reach_lat) * 4)::int, floor((latitude + reach_lat) * 4)::int) AS i,
             LATERAL (SELECT least(greatest(latitude, i / 4.0::float8), (i + 1) / 4.0::float8) AS lat) AS nearest,
             LATERAL (SELECT sqrt(greatest(0, reach_km ^ 2 - ((nearest.lat - latitude) * km_per_degree) ^ 2))
                             / (km_per_degree * least(cos(radians(latitude)), cos(radians(nearest.lat)))) AS degrees) AS half_width,
             generate_series(floor((longitude - half_width.degrees) * 4)::int, floor((longitude + half_width.degrees) * 4)::int) AS j
        ORDER BY i, j);
END
$$;

-- One row per active, published provider: exactly the providers matching may propose.
CREATE TABLE match_profiles (
    provider_id            uuid PRIMARY KEY REFERENCES providers (id),
    home_point             earth NOT NULL,
    travel_radius_km       integer NOT NULL,
    -- What the GIN index finds it by: reach cells, 'skill:<code>' for each skill and its
    -- group, 'lang:<code>' for each language spoken at level 2 or more
    -- (MatchRules.minimumSpeaking) and its macrolanguage.
    keys                   text[] NOT NULL,
    -- The level behind each skill and language key: {"skill:water": 3, "lang:que": 4};
    -- a group's or a macrolanguage's is the best of its members'.
    levels                 jsonb NOT NULL,
    rating_count           integer NOT NULL,
    rating_sum             float8 NOT NULL,      -- of each rating's mean over its four dimensions
    completed              integer NOT NULL,     -- completed contracts
    booked                 datemultirange NOT NULL, -- days of its signed or running exclusive contracts
    daily_rate_cents       bigint NOT NULL,
    gender                 text NOT NULL,
    will_live_in_community boolean NOT NULL
);
CREATE INDEX match_profiles_keys ON match_profiles USING gin (keys);

-- Recomputes the profiles of these providers from the registry (adding, replacing or
-- removing rows). A bulk load refreshes 10,000 providers at once, hence IN (SELECT
-- unnest(...)) rather than = ANY, which compares each row with every element, and plans made
-- for each call: a plan kept from a call on empty tables nested-looped over 10,000 rows (one
-- batch of the benchmark seed took minutes instead of seconds).
CREATE FUNCTION refresh_match_profiles(changed uuid[]) RETURNS void
LANGUAGE plpgsql SET plan_cache_mode = force_custom_plan AS $$
BEGIN
    DELETE FROM match_profiles m USING providers p
    WHERE m.provider_id IN (SELECT unnest(changed)) AND p.id = m.provider_id AND NOT (p.status = 'active' AND p.consent_to_publish);
    INSERT INTO match_profiles AS m (provider_id, home_point, travel_radius_km, keys, levels, rating_count, rating_sum, completed,
                                     booked, daily_rate_cents, gender, will_live_in_community)
    WITH leveled AS (
        SELECT s.provider_id, 'skill:' || k.code AS key, max(s.level) AS level
        FROM provider_skills s CROSS JOIN LATERAL (VALUES (s.skill_code), (split_part(s.skill_code, '.', 1))) AS k (code)
        WHERE s.provider_id IN (SELECT unnest(changed))
        GROUP BY 1, 2
        UNION ALL
        SELECT l.provider_id, 'lang:' || k.code, max(l.speaking)
        FROM provider_languages l JOIN languages g ON g.code = l.language_code
             CROSS JOIN LATERAL (VALUES (l.language_code), (g.macrolanguage)) AS k (code)
        WHERE l.provider_id IN (SELECT unnest(changed)) AND l.speaking >= 2 AND k.code IS NOT NULL
        GROUP BY 1, 2
    ), levels AS (
        SELECT provider_id, array_agg(key ORDER BY key) AS keys, jsonb_object_agg(key, level) AS levels
        FROM leveled GROUP BY provider_id
    ), rated AS (
        SELECT provider_id, count(*)::int AS n, sum((technical + communication + punctuality + results) / 4.0)::float8 AS total
        FROM ratings WHERE provider_id IN (SELECT unnest(changed)) GROUP BY provider_id
    ), contracted AS (
        SELECT provider_id, count(*) FILTER (WHERE status = 'completed')::int AS completed,
               range_agg(period) FILTER (WHERE exclusive AND status IN ('signed', 'active')) AS booked
        FROM contracts WHERE provider_id IN (SELECT unnest(changed)) GROUP BY provider_id
    )
    SELECT p.id, p.home_point, p.travel_radius_km,
           reach_cells(d.latitude, d.longitude, p.travel_radius_km) || coalesce(l.keys, '{}'), coalesce(l.levels, '{}'),
           coalesce(r.n, 0), coalesce(r.total, 0), coalesce(c.completed, 0), coalesce(c.booked, '{}'),
           p.daily_rate_cents, p.gender, p.will_live_in_community
    FROM providers p
    JOIN districts d ON d.ubigeo = p.home_ubigeo
    LEFT JOIN levels l ON l.provider_id = p.id
    LEFT JOIN rated r ON r.provider_id = p.id
    LEFT JOIN contracted c ON c.provider_id = p.id
    WHERE p.id IN (SELECT unnest(changed)) AND p.status = 'active' AND p.consent_to_publish
    ON CONFLICT (provider_id) DO UPDATE SET
        home_point = excluded.home_point, travel_radius_km = excluded.travel_radius_km, keys = excluded.keys,
        levels = excluded.levels, rating_count = excluded.rating_count, rating_sum = excluded.rating_sum,
        completed = excluded.completed, booked = excluded.booked, daily_rate_cents = excluded.daily_rate_cents,
        gender = excluded.gender, will_live_in_community = excluded.will_live_in_community;
END
$$;

-- Which providers this transaction changed, to refresh once when it commits: a provider
-- update or an import writes the provider, its languages and its skills in several
-- statements, and refreshing after each one tripled the work (an import of 10,000 rows went
-- from 1.7 s to 7.5 s). The primary key also queues concurrent writers of one provider: the
-- second one's mark waits for the first to commit, so it computes from what the first wrote
-- and no change is lost between them.
CREATE TABLE match_profiles_stale (provider_id uuid PRIMARY KEY);

CREATE FUNCTION match_profiles_mark_stale() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'providers' THEN
        INSERT INTO match_profiles_stale SELECT DISTINCT id FROM changed ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO match_profiles_stale SELECT DISTINCT provider_id FROM changed ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

-- At commit, once per marked provider: the first call refreshes them all, the others find
-- their mark gone.
CREATE FUNCTION match_profiles_refresh_stale() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM match_profiles_stale WHERE provider_id = NEW.provider_id) THEN
        PERFORM refresh_match_profiles(ARRAY(SELECT provider_id FROM match_profiles_stale));
        DELETE FROM match_profiles_stale;
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER match_profiles_refresh_at_commit AFTER INSERT ON match_profiles_stale
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION match_profiles_refresh_stale();

DO $$
DECLARE source record;
BEGIN
    FOR source IN SELECT * FROM (VALUES
        ('providers', 'INSERT', 'NEW'), ('providers', 'UPDATE', 'NEW'),
        ('provider_skills', 'INSERT', 'NEW'), ('provider_skills', 'UPDATE', 'NEW'), ('provider_skills', 'DELETE', 'OLD'),
        ('provider_languages', 'INSERT', 'NEW'), ('provider_languages', 'UPDATE', 'NEW'), ('provider_languages', 'DELETE', 'OLD'),
        ('contracts', 'INSERT', 'NEW'), ('contracts', 'UPDATE', 'NEW'),
        ('ratings', 'INSERT', 'NEW'), ('ratings', 'UPDATE', 'NEW')) AS t (source_table, event, transition)
    LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER %s ON %I REFERENCING %s TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION match_profiles_mark_stale()',
                       source.source_table || '_' || lower(source.event) || '_match_profiles', source.event, source.source_table, source.transition);
    END LOOP;
END
$$;

SELECT refresh_match_profiles(array_agg(id)) FROM providers;

-- The explained shortlist of a request, best first, ties by provider id: one function that
-- the service (MatchStore) and the benchmark (pgbench) both call. Weights and constants come
-- from YachaqDomain (MatchWeights, MatchRules, RatingPrior) as arguments; p_weights follows
-- the order of MatchFactor: skills, language, distance, rating, experience, cost, live_in, gender.
--
-- Hard rules: a profile exists (active and published); it has a required skill key, and a
-- key of a required language or of its macrolanguage (spoken at level 2 or more); its reach
-- cells include the work's and the work lies within its own travel radius; its booked days
-- do not overlap the request's. One GIN scan of match_profiles_keys ANDs the three key tests.
-- A language asked for counts whole; another variety of its macrolanguage (through the
-- macrolanguage's key) counts p_other_variety.
-- Only the best p_limit are explained (skills covered and missing, the language that counted).
-- plpgsql with a generic plan, kept for the session: as a SQL function the query was planned
-- again on every call, 3–5 ms of a median 7 ms (its plan does not depend on the request:
-- what varies comes from the request's rows, read while it runs).
CREATE FUNCTION match_shortlist(
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
BEGIN
RETURN QUERY
WITH req AS (
    SELECT r.work_point, r.period, r.budget_cents, r.must_live_in_community, r.preferred_gender,
           upper(r.period) - lower(r.period) AS days, ARRAY[reach_cell(d.latitude, d.longitude), 'cell:wide'] AS cells
    FROM service_requests r JOIN districts d ON d.ubigeo = r.ubigeo
    WHERE r.id = p_request
), wanted_skills AS (
    SELECT array_agg('skill:' || skill_code ORDER BY skill_code) AS keys FROM request_skills WHERE request_id = p_request
), wanted_languages AS (
    SELECT array_agg(v.key) AS keys, array_agg(v.factor) AS factors
    FROM request_languages rl JOIN languages l ON l.code = rl.language_code
         CROSS JOIN LATERAL (VALUES ('lang:' || l.code, 1.0::float8), ('lang:' || l.macrolanguage, p_other_variety)) AS v (key, factor)
    WHERE rl.request_id = p_request AND v.key IS NOT NULL
), candidates AS (
    SELECT m.*, great_circle_km(m.home_point, req.work_point) AS distance_km
    FROM req, wanted_skills ws, wanted_languages wl, match_profiles m
    WHERE m.keys && req.cells AND m.keys && ws.keys AND m.keys && wl.keys
      AND great_circle_km(m.home_point, req.work_point) <= m.travel_radius_km
      AND NOT (m.booked && req.period)
), valued AS (
    SELECT c.provider_id, c.gender, c.will_live_in_community, c.distance_km, c.levels, c.rating_count, c.completed,
           (p_prior_strength * p_prior_mean + c.rating_sum) / (p_prior_strength + c.rating_count) AS rating_average,
           c.daily_rate_cents * req.days AS cost_cents, req.budget_cents, req.must_live_in_community, req.preferred_gender,
           (SELECT avg(coalesce((c.levels ->> k)::int, 0)) FROM unnest(ws.keys) AS k)::float8 / 4 AS skills_value,
           (SELECT max(coalesce((c.levels ->> u.key)::int, 0) * u.factor) FROM unnest(wl.keys, wl.factors) AS u (key, factor)) / 4 AS language_value,
           greatest(0.0, 1.0 - c.distance_km / p_distance_scale_km) AS distance_value,
           c.completed / (c.completed + p_experience_half) AS experience_value
    FROM candidates c, req, wanted_skills ws, wanted_languages wl
), scored AS (
    SELECT v.*,
           (v.rating_average - 1.0) / 4.0 AS rating_value,
           CASE WHEN v.cost_cents <= v.budget_cents THEN 1.0 ELSE v.budget_cents::float8 / v.cost_cents END AS cost_value,
           CASE WHEN NOT v.must_live_in_community OR v.will_live_in_community THEN 1.0 ELSE 0.0 END AS live_in_value,
           CASE WHEN v.preferred_gender IS NULL OR v.preferred_gender = v.gender THEN 1.0 ELSE 0.0 END AS gender_value
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
       b.cost_cents, b.budget_cents, b.must_live_in_community, b.preferred_gender,
       b.skills_value, b.language_value, b.distance_value, b.rating_value::float8, b.experience_value,
       b.cost_value::float8, b.live_in_value::float8, b.gender_value::float8, b.score
FROM best b
CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(substr(k, 7) ORDER BY k) FILTER (WHERE b.levels ? k), '{}') AS covered,
           coalesce(array_agg(substr(k, 7) ORDER BY k) FILTER (WHERE NOT b.levels ? k), '{}') AS missing
    FROM wanted_skills ws, unnest(ws.keys) AS k
) skills
LEFT JOIN LATERAL (
    -- The provider's language that gave language_value: its level times its factor.
    SELECT pl.language_code AS code, pl.speaking::int AS speaking, f.factor = 1.0 AS exact
    FROM provider_languages pl JOIN languages g ON g.code = pl.language_code
         CROSS JOIN LATERAL (SELECT max(u.factor) AS factor FROM wanted_languages wl, unnest(wl.keys, wl.factors) AS u (key, factor)
                             WHERE u.key IN ('lang:' || pl.language_code, 'lang:' || g.macrolanguage)) f
    WHERE pl.provider_id = b.provider_id AND pl.speaking >= 2 AND f.factor IS NOT NULL
    ORDER BY pl.speaking * f.factor DESC, pl.language_code
    LIMIT 1
) lang ON true
ORDER BY b.score DESC, b.provider_id;
END
$$;
