-- The whole schema after every migration, printed by `yachaq schema --output SQL/schema.sql`.
-- Read it, never edit it: a change is a new numbered migration, then this file again.
--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: btree_gist; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;


--
-- Name: EXTENSION btree_gist; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';


--
-- Name: cube; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA public;


--
-- Name: EXTENSION cube; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION cube IS 'data type for multidimensional cubes';


--
-- Name: earthdistance; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS earthdistance WITH SCHEMA public;


--
-- Name: EXTENSION earthdistance; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION earthdistance IS 'calculate great-circle distances on the surface of the Earth';


--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;


--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';


--
-- Name: unaccent; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;


--
-- Name: EXTENSION unaccent; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION unaccent IS 'text search dictionary that removes accents';


--
-- Name: audit_log_is_append_only(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.audit_log_is_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;


--
-- Name: check_funding_adds_up(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.check_funding_adds_up() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    contract uuid;
    agreed bigint;
    funded bigint;
BEGIN
    IF TG_TABLE_NAME = 'contracts' THEN
        contract := NEW.id;
    ELSE
        contract := NEW.contract_id;
    END IF;
    SELECT c.amount_cents, (SELECT coalesce(sum(f.amount_cents), 0) FROM contract_funding f WHERE f.contract_id = c.id)
    INTO agreed, funded FROM contracts c WHERE c.id = contract;
    IF agreed IS DISTINCT FROM funded THEN
        RAISE EXCEPTION 'the funding of contract % adds up to %, not to its amount %', contract, funded, agreed
            USING ERRCODE = 'check_violation', CONSTRAINT = 'contract_funding_adds_up';
    END IF;
    RETURN NULL;
END
$$;


--
-- Name: count_payment(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.count_payment() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    corrected payments%ROWTYPE;
    undone bigint;
BEGIN
    UPDATE contracts SET paid_cents = paid_cents + NEW.amount_cents WHERE id = NEW.contract_id;
    UPDATE contract_funding SET paid_cents = paid_cents + NEW.amount_cents WHERE id = NEW.funding_id;
    IF NEW.corrects_payment_id IS NOT NULL THEN
        SELECT * INTO corrected FROM payments WHERE id = NEW.corrects_payment_id;
        SELECT coalesce(sum(amount_cents), 0) INTO undone FROM payments WHERE corrects_payment_id = NEW.corrects_payment_id;
        IF corrected.amount_cents < 0 OR corrected.funding_id <> NEW.funding_id OR corrected.amount_cents + undone < 0 THEN
            RAISE EXCEPTION 'payment % cannot be corrected by %', NEW.corrects_payment_id, NEW.amount_cents
                USING ERRCODE = 'check_violation', CONSTRAINT = 'payments_correction_within';
        END IF;
    END IF;
    RETURN NULL;
END
$$;


--
-- Name: great_circle_km(public.earth, public.earth); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.great_circle_km(a public.earth, b public.earth) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT 2 * 6378.168 * asin(least(1.0, cube_distance(a, b) / (2 * 6378168.0)))
$$;


--
-- Name: match_level(jsonb, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.match_level(levels jsonb, key text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT coalesce((levels ->> key)::integer, 0)
$$;


--
-- Name: match_level_best(jsonb, text[], double precision[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.match_level_best(levels jsonb, keys text[], factors double precision[]) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT greatest(
        match_level(levels, keys[1]) * factors[1], match_level(levels, keys[2]) * factors[2],
        match_level(levels, keys[3]) * factors[3], match_level(levels, keys[4]) * factors[4],
        match_level(levels, keys[5]) * factors[5], match_level(levels, keys[6]) * factors[6],
        match_level(levels, keys[7]) * factors[7], match_level(levels, keys[8]) * factors[8])
$$;


--
-- Name: match_level_sum(jsonb, text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.match_level_sum(levels jsonb, keys text[]) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT match_level(levels, keys[1]) + match_level(levels, keys[2]) + match_level(levels, keys[3])
         + match_level(levels, keys[4]) + match_level(levels, keys[5]) + match_level(levels, keys[6])
         + match_level(levels, keys[7]) + match_level(levels, keys[8])
$$;


--
-- Name: match_profiles_mark_contract_stale(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.match_profiles_mark_contract_stale() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO match_profiles_stale VALUES (NEW.provider_id), (OLD.provider_id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;


--
-- Name: match_profiles_mark_stale(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.match_profiles_mark_stale() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_TABLE_NAME = 'providers' THEN
        INSERT INTO match_profiles_stale SELECT DISTINCT id FROM changed ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO match_profiles_stale SELECT DISTINCT provider_id FROM changed ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;


--
-- Name: match_profiles_refresh_stale(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.match_profiles_refresh_stale() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM match_profiles_stale WHERE provider_id = NEW.provider_id) THEN
        PERFORM refresh_match_profiles(ARRAY(SELECT provider_id FROM match_profiles_stale));
        PERFORM refresh_provider_search(ARRAY(SELECT provider_id FROM match_profiles_stale));
        DELETE FROM match_profiles_stale;
    END IF;
    RETURN NULL;
END
$$;


--
-- Name: match_shortlist(uuid, double precision[], integer, double precision, double precision, double precision, double precision, double precision); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.match_shortlist(p_request uuid, p_weights double precision[], p_limit integer, p_other_variety double precision, p_distance_scale_km double precision, p_experience_half double precision, p_prior_mean double precision, p_prior_strength double precision) RETURNS TABLE(provider_id uuid, gender text, will_live_in_community boolean, distance_km double precision, covered text[], missing text[], best_language text, best_speaking integer, exact boolean, rating_count integer, rating_average double precision, completed integer, cost_cents bigint, budget_cents bigint, must_live_in_community boolean, preferred_gender text, skills_value double precision, language_value double precision, distance_value double precision, rating_value double precision, experience_value double precision, cost_value double precision, live_in_value double precision, gender_value double precision, score double precision)
    LANGUAGE plpgsql STABLE
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
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


--
-- Name: notify_sign_ins_changed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.notify_sign_ins_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('yachaq_sign_ins', '');
    RETURN NULL;
END
$$;


--
-- Name: provider_reviews_only_answered(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.provider_reviews_only_answered() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF (NEW.id, NEW.provider_id, NEW.period, NEW.summary, NEW.decision, NEW.reason, NEW.training, NEW.scorecard, NEW.reviewer_id,
        NEW.created_at)
       IS DISTINCT FROM
       (OLD.id, OLD.provider_id, OLD.period, OLD.summary, OLD.decision, OLD.reason, OLD.training, OLD.scorecard, OLD.reviewer_id,
        OLD.created_at)
       OR OLD.answered_at IS NOT NULL THEN
        RAISE EXCEPTION 'a review is not edited; the provider answers it once'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'provider_reviews_only_answered';
    END IF;
    RETURN NEW;
END
$$;


--
-- Name: providers_set_home_point(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.providers_set_home_point() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    SELECT ll_to_earth(latitude, longitude) INTO NEW.home_point FROM districts WHERE ubigeo = NEW.home_ubigeo;
    IF NEW.home_point IS NULL THEN
        RAISE foreign_key_violation USING MESSAGE = 'no district has ubigeo ' || NEW.home_ubigeo,
            CONSTRAINT = 'providers_home_ubigeo_fkey';
    END IF;
    RETURN NEW;
END
$$;


--
-- Name: ratings_keep_their_judgement(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.ratings_keep_their_judgement() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF (NEW.contract_id, NEW.provider_id, NEW.organization_id, NEW.technical, NEW.communication, NEW.punctuality, NEW.results,
        NEW.comment, NEW.would_hire_again, NEW.targets, NEW.rated_by, NEW.created_at)
       IS DISTINCT FROM
       (OLD.contract_id, OLD.provider_id, OLD.organization_id, OLD.technical, OLD.communication, OLD.punctuality, OLD.results,
        OLD.comment, OLD.would_hire_again, OLD.targets, OLD.rated_by, OLD.created_at)
       OR OLD.comment_hidden_at IS NOT NULL THEN
        RAISE EXCEPTION 'a rating is not edited; only its comment may be hidden, once'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ratings_keep_their_judgement';
    END IF;
    RETURN NEW;
END
$$;


--
-- Name: reach_cell(double precision, double precision); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.reach_cell(latitude double precision, longitude double precision) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT 'cell:' || floor(latitude * 4)::int || ':' || floor(longitude * 4)::int
$$;


--
-- Name: reach_cells(double precision, double precision, double precision); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.reach_cells(latitude double precision, longitude double precision, radius_km double precision) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
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


--
-- Name: record_sign_in_failure(text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.record_sign_in_failure(key text, from_client text) RETURNS timestamp with time zone
    LANGUAGE plpgsql
    AS $$
DECLARE
    count integer;
    until timestamptz;
BEGIN
    INSERT INTO sign_in_failures AS t (login_key, client, failures, last_failure_at)
    VALUES (key, from_client, 1, now())
    ON CONFLICT (login_key, client) DO UPDATE
        SET failures = least(1000, greatest(0, t.failures - (extract(epoch FROM now() - t.last_failure_at) / 900)::bigint) + 1),
            last_failure_at = now()
    RETURNING failures INTO count;
    IF count >= 5 THEN
        until := now() + make_interval(secs => least(900, 30 * 2 ^ least(count - 5, 10)));
        UPDATE sign_in_failures SET blocked_until = until WHERE login_key = key AND client = from_client;
    END IF;
    DELETE FROM sign_in_failures
    WHERE ctid = ANY (ARRAY(SELECT ctid FROM sign_in_failures WHERE last_failure_at < now() - interval '1 day' LIMIT 100));
    RETURN until;
END
$$;


--
-- Name: refresh_match_profiles(uuid[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.refresh_match_profiles(changed uuid[]) RETURNS void
    LANGUAGE plpgsql
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
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


--
-- Name: refresh_provider_search(uuid[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.refresh_provider_search(changed uuid[]) RETURNS void
    LANGUAGE plpgsql
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
BEGIN
    INSERT INTO provider_search AS s (provider_id, home_point, keys)
    SELECT p.id, p.home_point,
           ARRAY(SELECT DISTINCT 'skill:' || group_code
                 FROM provider_skills ps
                 CROSS JOIN LATERAL (
                     SELECT array_to_string((string_to_array(ps.skill_code, '.'))[1:depth], '.') AS group_code
                     FROM generate_series(1, cardinality(string_to_array(ps.skill_code, '.'))) depth) g
                 WHERE ps.provider_id = p.id
                 UNION
                 SELECT 'lang:' || spoken.code || ':' || level
                 FROM provider_languages pl
                 JOIN languages l ON l.code = pl.language_code
                 CROSS JOIN LATERAL unnest(ARRAY[l.code, l.macrolanguage]) AS spoken (code)
                 CROSS JOIN LATERAL generate_series(0, pl.speaking) level
                 WHERE pl.provider_id = p.id AND spoken.code IS NOT NULL
                 ORDER BY 1)
    FROM providers p WHERE p.id = ANY (changed)
    ON CONFLICT (provider_id) DO UPDATE SET home_point = excluded.home_point, keys = excluded.keys
    WHERE s.home_point IS DISTINCT FROM excluded.home_point OR s.keys IS DISTINCT FROM excluded.keys;
END
$$;


--
-- Name: refuse_change_of_history(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.refuse_change_of_history() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;


--
-- Name: search_key(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.search_key(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, value));


--
-- Name: service_requests_set_work_point(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.service_requests_set_work_point() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    SELECT ll_to_earth(latitude, longitude) INTO NEW.work_point FROM districts WHERE ubigeo = NEW.ubigeo;
    IF NEW.work_point IS NULL THEN
        RAISE foreign_key_violation USING MESSAGE = 'no district has ubigeo ' || NEW.ubigeo,
            CONSTRAINT = 'service_requests_ubigeo_fkey';
    END IF;
    RETURN NEW;
END
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: applications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.applications (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    request_id uuid NOT NULL,
    provider_id uuid NOT NULL,
    status text DEFAULT 'applied'::text NOT NULL,
    invited boolean DEFAULT false NOT NULL,
    note text,
    interview_held_on date,
    interview_panel text,
    interview_notes text,
    reason text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    invitation_answer text,
    CONSTRAINT applications_interview_notes_check CHECK ((length(interview_notes) <= 5000)),
    CONSTRAINT applications_interview_panel_check CHECK ((length(interview_panel) <= 2000)),
    CONSTRAINT applications_invitation_answer_check CHECK ((invitation_answer = ANY (ARRAY['accepted'::text, 'declined'::text]))),
    CONSTRAINT applications_note_check CHECK ((length(note) <= 2000)),
    CONSTRAINT applications_only_invitations_are_answered CHECK (((invitation_answer IS NULL) OR invited)),
    CONSTRAINT applications_reason_check CHECK ((length(reason) <= 2000)),
    CONSTRAINT applications_status_check CHECK ((status = ANY (ARRAY['applied'::text, 'shortlisted'::text, 'interviewed'::text, 'selected'::text, 'rejected'::text, 'withdrawn'::text])))
);


--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    actor_id uuid,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id text NOT NULL,
    before jsonb,
    after jsonb,
    CONSTRAINT audit_log_action_check CHECK ((action <> ''::text)),
    CONSTRAINT audit_log_entity_check CHECK ((entity <> ''::text))
);


--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: certifications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.certifications (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    provider_id uuid NOT NULL,
    skill_code text NOT NULL,
    certifier_organization_id uuid NOT NULL,
    issued_on date NOT NULL,
    valid_until date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT certifications_check CHECK ((valid_until >= issued_on))
);


--
-- Name: contract_amendments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contract_amendments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    contract_id uuid NOT NULL,
    reason text NOT NULL,
    ends_on_before date NOT NULL,
    ends_on_after date NOT NULL,
    amount_before bigint NOT NULL,
    amount_after bigint NOT NULL,
    funding_before jsonb NOT NULL,
    funding_after jsonb NOT NULL,
    actor_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT contract_amendments_reason_check CHECK (((length(btrim(reason)) >= 3) AND (length(btrim(reason)) <= 2000)))
);


--
-- Name: contract_funding; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contract_funding (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    contract_id uuid NOT NULL,
    source_organization_id uuid NOT NULL,
    kind text NOT NULL,
    amount_cents bigint NOT NULL,
    paid_cents bigint DEFAULT 0 NOT NULL,
    "position" smallint NOT NULL,
    CONSTRAINT contract_funding_amount_cents_check CHECK (((amount_cents >= 0) AND (amount_cents <= '10000000000'::bigint))),
    CONSTRAINT contract_funding_kind_check CHECK ((kind = ANY (ARRAY['public_transfer'::text, 'municipal'::text, 'counterpart_cash'::text, 'counterpart_in_kind'::text]))),
    CONSTRAINT contract_funding_paid_within CHECK (((paid_cents >= 0) AND (paid_cents <= amount_cents)))
);


--
-- Name: contract_milestones; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contract_milestones (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    contract_id uuid NOT NULL,
    "position" smallint NOT NULL,
    title text NOT NULL,
    due_on date NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    decided_on date,
    note text,
    CONSTRAINT contract_milestones_check CHECK (((status = 'pending'::text) = (decided_on IS NULL))),
    CONSTRAINT contract_milestones_decided_on_check CHECK (((decided_on >= '1900-01-01'::date) AND (decided_on <= '2200-12-31'::date))),
    CONSTRAINT contract_milestones_due_on_check CHECK (((due_on >= '1900-01-01'::date) AND (due_on <= '2200-12-31'::date))),
    CONSTRAINT contract_milestones_note_check CHECK ((length(note) <= 2000)),
    CONSTRAINT contract_milestones_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'met'::text, 'not_met'::text]))),
    CONSTRAINT contract_milestones_title_check CHECK (((length(btrim(title)) >= 2) AND (length(btrim(title)) <= 300)))
);


--
-- Name: contract_transitions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contract_transitions (
    id bigint NOT NULL,
    contract_id uuid NOT NULL,
    from_status text,
    to_status text NOT NULL,
    reason text,
    actor_id uuid,
    at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT contract_transitions_reason_check CHECK ((length(reason) <= 2000)),
    CONSTRAINT contract_transitions_termination_reason CHECK (((to_status <> 'terminated'::text) OR (length(btrim(reason)) > 0)))
);


--
-- Name: contract_transitions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.contract_transitions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.contract_transitions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: contracts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contracts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    request_id uuid,
    organization_id uuid NOT NULL,
    provider_id uuid NOT NULL,
    title text NOT NULL,
    period daterange NOT NULL,
    amount_cents bigint NOT NULL,
    exclusive boolean DEFAULT false NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    application_id uuid,
    scope text DEFAULT ''::text NOT NULL,
    ubigeo text NOT NULL,
    paid_cents bigint DEFAULT 0 NOT NULL,
    created_by uuid,
    families integer,
    number bigint NOT NULL,
    CONSTRAINT contracts_amount_bound CHECK ((amount_cents <= '10000000000'::bigint)),
    CONSTRAINT contracts_amount_cents_check CHECK ((amount_cents > 0)),
    CONSTRAINT contracts_families_check CHECK (((families >= 1) AND (families <= 100000))),
    CONSTRAINT contracts_paid_within CHECK (((paid_cents >= 0) AND (paid_cents <= amount_cents))),
    CONSTRAINT contracts_period_bound CHECK (((lower(period) >= '1900-01-01'::date) AND (upper(period) <= '2201-01-01'::date))),
    CONSTRAINT contracts_period_check CHECK (((NOT isempty(period)) AND (NOT lower_inf(period)) AND (NOT upper_inf(period)))),
    CONSTRAINT contracts_scope_check CHECK ((length(scope) <= 5000)),
    CONSTRAINT contracts_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'signed'::text, 'active'::text, 'completed'::text, 'terminated'::text, 'cancelled'::text]))),
    CONSTRAINT contracts_title_check CHECK (((length(btrim(title)) >= 3) AND (length(btrim(title)) <= 200)))
);


--
-- Name: contracts_number_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.contracts ALTER COLUMN number ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.contracts_number_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: districts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.districts (
    ubigeo text NOT NULL,
    department text NOT NULL,
    province text NOT NULL,
    district text NOT NULL,
    capital text NOT NULL,
    latitude double precision NOT NULL,
    longitude double precision NOT NULL,
    altitude_m double precision NOT NULL,
    search_text text GENERATED ALWAYS AS (public.search_key(((((district || ' '::text) || province) || ' '::text) || department))) STORED,
    CONSTRAINT districts_capital_check CHECK ((capital <> ''::text)),
    CONSTRAINT districts_department_check CHECK ((department <> ''::text)),
    CONSTRAINT districts_district_check CHECK ((district <> ''::text)),
    CONSTRAINT districts_latitude_check CHECK (((latitude >= ('-90'::integer)::double precision) AND (latitude <= (90)::double precision))),
    CONSTRAINT districts_longitude_check CHECK (((longitude >= ('-180'::integer)::double precision) AND (longitude <= (180)::double precision))),
    CONSTRAINT districts_province_check CHECK ((province <> ''::text)),
    CONSTRAINT districts_ubigeo_check CHECK ((ubigeo ~ '^[0-9]{6}$'::text))
);


--
-- Name: TABLE districts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.districts IS 'INEI UBIGEO districts of Peru; coordinates are those of the district capital';


--
-- Name: idempotency_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.idempotency_keys (
    scope uuid NOT NULL,
    key text NOT NULL,
    request jsonb NOT NULL,
    payment_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT idempotency_keys_key_check CHECK (((length(key) >= 1) AND (length(key) <= 255)))
);


--
-- Name: kept_indicators; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kept_indicators (
    scope_key text NOT NULL,
    indicators jsonb NOT NULL,
    computed_at timestamp with time zone NOT NULL,
    took_ms integer NOT NULL,
    CONSTRAINT kept_indicators_took_ms_check CHECK ((took_ms >= 0))
);


--
-- Name: languages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.languages (
    code text NOT NULL,
    name_en text NOT NULL,
    name_es text NOT NULL,
    macrolanguage text,
    scope text NOT NULL,
    area text NOT NULL,
    regions text,
    sources text,
    name_qu text,
    CONSTRAINT languages_area_check CHECK ((area = ANY (ARRAY['andina'::text, 'amazónica'::text, 'nacional'::text]))),
    CONSTRAINT languages_check CHECK (((macrolanguage IS NULL) OR (macrolanguage <> code))),
    CONSTRAINT languages_code_check CHECK ((code ~ '^[a-z]{3}$'::text)),
    CONSTRAINT languages_scope_check CHECK ((scope = ANY (ARRAY['M'::text, 'I'::text])))
);


--
-- Name: TABLE languages; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.languages IS 'ISO 639-3 languages a technician may speak in Peru; Quechua varieties hang under the macrolanguage que';


--
-- Name: match_profiles; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.match_profiles (
    provider_id uuid NOT NULL,
    home_point public.earth NOT NULL,
    travel_radius_km integer NOT NULL,
    keys text[] NOT NULL,
    levels jsonb NOT NULL,
    rating_count integer NOT NULL,
    rating_sum double precision NOT NULL,
    completed integer NOT NULL,
    booked datemultirange NOT NULL,
    daily_rate_cents bigint NOT NULL,
    gender text NOT NULL,
    will_live_in_community boolean NOT NULL
);


--
-- Name: match_profiles_stale; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.match_profiles_stale (
    provider_id uuid NOT NULL
);


--
-- Name: notifications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notifications (
    id bigint NOT NULL,
    user_id uuid NOT NULL,
    kind text NOT NULL,
    params jsonb NOT NULL,
    subject uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    code text,
    code_valid tstzrange,
    CONSTRAINT notifications_code_check CHECK ((code ~ '^[0-9]{4}$'::text)),
    CONSTRAINT notifications_code_has_its_time CHECK (((code IS NULL) = (code_valid IS NULL))),
    CONSTRAINT notifications_kind_check CHECK ((kind = ANY (ARRAY['invited'::text, 'applied'::text, 'answered'::text]))),
    CONSTRAINT notifications_params_check CHECK ((jsonb_typeof(params) = 'object'::text))
);


--
-- Name: notifications_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.notifications ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.notifications_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: organizations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organizations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    ubigeo text NOT NULL,
    tax_id text,
    contact text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    name_key text GENERATED ALWAYS AS (public.search_key(name)) STORED,
    disabled_at timestamp with time zone,
    CONSTRAINT organizations_contact_check CHECK ((length(contact) <= 500)),
    CONSTRAINT organizations_kind_check CHECK ((kind = ANY (ARRAY['community'::text, 'association'::text, 'municipality'::text, 'agency'::text]))),
    CONSTRAINT organizations_name_check CHECK (((length(btrim(name)) >= 2) AND (length(btrim(name)) <= 200))),
    CONSTRAINT organizations_tax_id_check CHECK ((tax_id ~ '^[0-9]{11}$'::text))
);


--
-- Name: COLUMN organizations.tax_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.organizations.tax_id IS 'RUC, 11 digits';


--
-- Name: payments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.payments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    contract_id uuid NOT NULL,
    funding_id uuid NOT NULL,
    amount_cents bigint NOT NULL,
    paid_on date NOT NULL,
    method text NOT NULL,
    payer_organization_id uuid NOT NULL,
    reference text,
    corrects_payment_id uuid,
    recorded_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT payments_amount_cents_check CHECK (((amount_cents <> 0) AND (abs(amount_cents) <= '10000000000'::bigint))),
    CONSTRAINT payments_correction_shape CHECK (((amount_cents > 0) = (corrects_payment_id IS NULL))),
    CONSTRAINT payments_method_check CHECK ((method = ANY (ARRAY['cash'::text, 'bank_transfer'::text, 'banco_de_la_nacion'::text, 'mobile_wallet'::text, 'in_kind'::text]))),
    CONSTRAINT payments_paid_on_check CHECK (((paid_on >= '1900-01-01'::date) AND (paid_on <= '2200-12-31'::date))),
    CONSTRAINT payments_reference_check CHECK ((length(reference) <= 200))
);


--
-- Name: provider_languages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.provider_languages (
    provider_id uuid NOT NULL,
    language_code text NOT NULL,
    speaking smallint NOT NULL,
    understanding smallint NOT NULL,
    reading smallint NOT NULL,
    writing smallint NOT NULL,
    can_teach boolean DEFAULT false NOT NULL,
    CONSTRAINT provider_languages_reading_check CHECK (((reading >= 0) AND (reading <= 4))),
    CONSTRAINT provider_languages_speaking_check CHECK (((speaking >= 0) AND (speaking <= 4))),
    CONSTRAINT provider_languages_understanding_check CHECK (((understanding >= 0) AND (understanding <= 4))),
    CONSTRAINT provider_languages_writing_check CHECK (((writing >= 0) AND (writing <= 4)))
);


--
-- Name: provider_reviews; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.provider_reviews (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    provider_id uuid NOT NULL,
    period daterange NOT NULL,
    summary text NOT NULL,
    decision text NOT NULL,
    reason text,
    training text,
    scorecard jsonb NOT NULL,
    reviewer_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    answer text,
    answered_at timestamp with time zone,
    CONSTRAINT provider_reviews_answer_check CHECK (((length(btrim(answer)) >= 1) AND (length(btrim(answer)) <= 5000))),
    CONSTRAINT provider_reviews_answer_whole CHECK (((answer IS NULL) = (answered_at IS NULL))),
    CONSTRAINT provider_reviews_decision_check CHECK ((decision = ANY (ARRAY['keep'::text, 'needs_training'::text, 'suspend'::text, 'reinstate'::text]))),
    CONSTRAINT provider_reviews_period_check CHECK (((NOT isempty(period)) AND (NOT lower_inf(period)) AND (NOT upper_inf(period)))),
    CONSTRAINT provider_reviews_reason_check CHECK ((length(reason) <= 2000)),
    CONSTRAINT provider_reviews_summary_check CHECK (((length(btrim(summary)) >= 3) AND (length(btrim(summary)) <= 5000))),
    CONSTRAINT provider_reviews_suspension_reason CHECK (((decision <> 'suspend'::text) OR (length(btrim(reason)) > 0))),
    CONSTRAINT provider_reviews_training CHECK (((decision <> 'needs_training'::text) OR (length(btrim(training)) > 0))),
    CONSTRAINT provider_reviews_training_check CHECK ((length(training) <= 2000))
);


--
-- Name: provider_search; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.provider_search (
    provider_id uuid NOT NULL,
    home_point public.earth NOT NULL,
    keys text[] NOT NULL
);


--
-- Name: provider_skills; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.provider_skills (
    provider_id uuid NOT NULL,
    skill_code text NOT NULL,
    level smallint NOT NULL,
    years smallint NOT NULL,
    CONSTRAINT provider_skills_level_check CHECK (((level >= 1) AND (level <= 4))),
    CONSTRAINT provider_skills_years_check CHECK (((years >= 0) AND (years <= 80)))
);


--
-- Name: providers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.providers (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    full_name text NOT NULL,
    kind text NOT NULL,
    gender text NOT NULL,
    birth_year integer,
    national_id text,
    phone text,
    bio text,
    home_ubigeo text NOT NULL,
    daily_rate_cents bigint NOT NULL,
    travel_radius_km integer NOT NULL,
    will_live_in_community boolean DEFAULT false NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    consent_to_publish boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    name_key text GENERATED ALWAYS AS (public.search_key(full_name)) STORED,
    home_point public.earth NOT NULL,
    status_set_by_staff boolean DEFAULT false NOT NULL,
    CONSTRAINT providers_bio_check CHECK ((length(bio) <= 2000)),
    CONSTRAINT providers_birth_year_check CHECK (((birth_year >= 1900) AND (birth_year <= 2100))),
    CONSTRAINT providers_daily_rate_bound CHECK ((daily_rate_cents <= 1000000)),
    CONSTRAINT providers_daily_rate_cents_check CHECK ((daily_rate_cents >= 0)),
    CONSTRAINT providers_full_name_check CHECK (((length(btrim(full_name)) >= 2) AND (length(btrim(full_name)) <= 200))),
    CONSTRAINT providers_gender_check CHECK ((gender = ANY (ARRAY['female'::text, 'male'::text, 'other'::text]))),
    CONSTRAINT providers_kind_check CHECK ((kind = ANY (ARRAY['yachaq'::text, 'yachachiq'::text, 'tecnico'::text, 'profesional'::text]))),
    CONSTRAINT providers_national_id_check CHECK ((national_id ~ '^[0-9]{8}$'::text)),
    CONSTRAINT providers_phone_check CHECK ((phone ~ '^\+?[0-9]{6,15}$'::text)),
    CONSTRAINT providers_status_check CHECK ((status = ANY (ARRAY['active'::text, 'inactive'::text, 'suspended'::text]))),
    CONSTRAINT providers_travel_radius_km_check CHECK (((travel_radius_km >= 0) AND (travel_radius_km <= 2000)))
);


--
-- Name: COLUMN providers.national_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.providers.national_id IS 'DNI, 8 digits: shown to staff, admin and the provider only';


--
-- Name: COLUMN providers.daily_rate_cents; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.providers.daily_rate_cents IS 'PEN céntimos per day';


--
-- Name: ratings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ratings (
    contract_id uuid NOT NULL,
    provider_id uuid NOT NULL,
    organization_id uuid NOT NULL,
    technical smallint NOT NULL,
    communication smallint NOT NULL,
    punctuality smallint NOT NULL,
    results smallint NOT NULL,
    comment text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    would_hire_again boolean,
    targets jsonb DEFAULT '[]'::jsonb NOT NULL,
    rated_by uuid,
    comment_hidden_reason text,
    comment_hidden_by uuid,
    comment_hidden_at timestamp with time zone,
    CONSTRAINT ratings_comment_check CHECK ((length(comment) <= 2000)),
    CONSTRAINT ratings_comment_hidden_reason_check CHECK (((length(btrim(comment_hidden_reason)) >= 3) AND (length(btrim(comment_hidden_reason)) <= 2000))),
    CONSTRAINT ratings_communication_check CHECK (((communication >= 1) AND (communication <= 5))),
    CONSTRAINT ratings_hiding_whole CHECK (((comment_hidden_reason IS NULL) = (comment_hidden_at IS NULL))),
    CONSTRAINT ratings_punctuality_check CHECK (((punctuality >= 1) AND (punctuality <= 5))),
    CONSTRAINT ratings_results_check CHECK (((results >= 1) AND (results <= 5))),
    CONSTRAINT ratings_targets_check CHECK ((jsonb_typeof(targets) = 'array'::text)),
    CONSTRAINT ratings_technical_check CHECK (((technical >= 1) AND (technical <= 5)))
);


--
-- Name: request_languages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.request_languages (
    request_id uuid NOT NULL,
    language_code text NOT NULL
);


--
-- Name: request_skills; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.request_skills (
    request_id uuid NOT NULL,
    skill_code text NOT NULL
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: service_requests; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.service_requests (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    title text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    ubigeo text NOT NULL,
    period daterange NOT NULL,
    budget_cents bigint NOT NULL,
    must_live_in_community boolean DEFAULT false NOT NULL,
    exclusive boolean DEFAULT false NOT NULL,
    preferred_gender text,
    status text DEFAULT 'open'::text NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    work_point public.earth NOT NULL,
    status_reason text,
    families integer,
    CONSTRAINT service_requests_budget_bound CHECK ((budget_cents <= '10000000000'::bigint)),
    CONSTRAINT service_requests_budget_cents_check CHECK ((budget_cents >= 0)),
    CONSTRAINT service_requests_description_check CHECK ((length(description) <= 5000)),
    CONSTRAINT service_requests_families_check CHECK (((families >= 1) AND (families <= 100000))),
    CONSTRAINT service_requests_period_bound CHECK (((lower(period) >= '1900-01-01'::date) AND (upper(period) <= '2201-01-01'::date))),
    CONSTRAINT service_requests_period_check CHECK (((NOT isempty(period)) AND (NOT lower_inf(period)) AND (NOT upper_inf(period)))),
    CONSTRAINT service_requests_preferred_gender_check CHECK ((preferred_gender = ANY (ARRAY['female'::text, 'male'::text]))),
    CONSTRAINT service_requests_status_check CHECK ((status = ANY (ARRAY['open'::text, 'awarded'::text, 'cancelled'::text, 'closed'::text]))),
    CONSTRAINT service_requests_status_reason_check CHECK ((length(status_reason) <= 2000)),
    CONSTRAINT service_requests_title_check CHECK (((length(btrim(title)) >= 3) AND (length(btrim(title)) <= 200)))
);


--
-- Name: sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sessions (
    token_hash bytea NOT NULL,
    user_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    CONSTRAINT sessions_check CHECK ((expires_at > created_at)),
    CONSTRAINT sessions_token_hash_check CHECK ((length(token_hash) = 32))
);


--
-- Name: sign_in_failures; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sign_in_failures (
    login_key text NOT NULL,
    client text NOT NULL,
    failures integer NOT NULL,
    last_failure_at timestamp with time zone NOT NULL,
    blocked_until timestamp with time zone,
    CONSTRAINT sign_in_failures_failures_check CHECK (((failures >= 1) AND (failures <= 1000)))
);


--
-- Name: skills; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.skills (
    code text NOT NULL,
    parent text,
    name_es text NOT NULL,
    name_qu text NOT NULL,
    name_en text NOT NULL,
    CONSTRAINT skills_check CHECK ((((parent IS NULL) AND (code !~ '\.'::text)) OR ((parent IS NOT NULL) AND (code ~~ (parent || '.%'::text))))),
    CONSTRAINT skills_code_check CHECK ((code ~ '^[a-z_]+(\.[a-z_]+)?$'::text)),
    CONSTRAINT skills_name_en_check CHECK ((name_en <> ''::text)),
    CONSTRAINT skills_name_es_check CHECK ((name_es <> ''::text)),
    CONSTRAINT skills_name_qu_check CHECK ((name_qu <> ''::text))
);


--
-- Name: TABLE skills; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.skills IS 'The project''s skills taxonomy: groups (no parent) and skills, named in es/qu/en';


--
-- Name: sms_inbound; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sms_inbound (
    id bigint NOT NULL,
    gateway_id text NOT NULL,
    phone text NOT NULL,
    text text NOT NULL,
    user_id uuid,
    outcome text NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT sms_inbound_gateway_id_check CHECK (((length(gateway_id) >= 1) AND (length(gateway_id) <= 100))),
    CONSTRAINT sms_inbound_outcome_check CHECK ((outcome ~ '^[a-z_]{1,40}$'::text)),
    CONSTRAINT sms_inbound_phone_check CHECK (((length(phone) >= 1) AND (length(phone) <= 30))),
    CONSTRAINT sms_inbound_text_check CHECK ((length(text) <= 1000))
);


--
-- Name: sms_inbound_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.sms_inbound ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.sms_inbound_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: sms_outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sms_outbox (
    id bigint NOT NULL,
    user_id uuid,
    phone text NOT NULL,
    notification_id bigint,
    kind text NOT NULL,
    params jsonb DEFAULT '{}'::jsonb NOT NULL,
    status text DEFAULT 'queued'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    body text,
    last_error text,
    sent_at timestamp with time zone,
    delivered_at timestamp with time zone,
    report smallint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT sms_outbox_attempts_check CHECK (((attempts >= 0) AND (attempts <= 100))),
    CONSTRAINT sms_outbox_body_check CHECK (((length(body) >= 1) AND (length(body) <= 1000))),
    CONSTRAINT sms_outbox_delivered_when CHECK (((status <> 'delivered'::text) OR (delivered_at IS NOT NULL))),
    CONSTRAINT sms_outbox_failed_why CHECK (((status <> 'failed'::text) OR (last_error IS NOT NULL))),
    CONSTRAINT sms_outbox_kind_check CHECK ((kind ~ '^[a-z_.]{1,40}$'::text)),
    CONSTRAINT sms_outbox_last_error_check CHECK ((length(last_error) <= 500)),
    CONSTRAINT sms_outbox_params_check CHECK ((jsonb_typeof(params) = 'object'::text)),
    CONSTRAINT sms_outbox_phone_check CHECK ((phone ~ '^\+519[0-9]{8}$'::text)),
    CONSTRAINT sms_outbox_report_check CHECK ((report = ANY (ARRAY[1, 2, 4, 8, 16]))),
    CONSTRAINT sms_outbox_sent_says_what CHECK (((status <> ALL (ARRAY['sent'::text, 'delivered'::text])) OR ((sent_at IS NOT NULL) AND (body IS NOT NULL)))),
    CONSTRAINT sms_outbox_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'sending'::text, 'sent'::text, 'delivered'::text, 'failed'::text])))
);


--
-- Name: sms_outbox_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.sms_outbox ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.sms_outbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: trainings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.trainings (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    trainer_id uuid,
    trainee_id uuid NOT NULL,
    skill_code text NOT NULL,
    organization_id uuid,
    held_on date NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT trainings_check CHECK ((trainer_id <> trainee_id))
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    login text NOT NULL,
    password_hash text NOT NULL,
    role text NOT NULL,
    organization_id uuid,
    provider_id uuid,
    display_language text DEFAULT 'es'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    disabled_at timestamp with time zone,
    phone text,
    sms boolean DEFAULT false NOT NULL,
    CONSTRAINT users_check CHECK (((role <> ALL (ARRAY['community'::text, 'municipality'::text])) OR (organization_id IS NOT NULL))),
    CONSTRAINT users_display_language_check CHECK ((display_language = ANY (ARRAY['es'::text, 'qu'::text, 'en'::text]))),
    CONSTRAINT users_login_check CHECK ((login ~ '^[a-z0-9][a-z0-9._@-]{2,63}$'::text)),
    CONSTRAINT users_password_hash_check CHECK ((password_hash ~~ '$2%'::text)),
    CONSTRAINT users_phone_check CHECK ((phone ~ '^\+519[0-9]{8}$'::text)),
    CONSTRAINT users_role_check CHECK ((role = ANY (ARRAY['admin'::text, 'staff'::text, 'municipality'::text, 'community'::text, 'provider'::text]))),
    CONSTRAINT users_sms_needs_a_phone CHECK (((NOT sms) OR (phone IS NOT NULL)))
);


--
-- Name: applications applications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applications
    ADD CONSTRAINT applications_pkey PRIMARY KEY (id);


--
-- Name: applications applications_request_id_provider_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applications
    ADD CONSTRAINT applications_request_id_provider_id_key UNIQUE (request_id, provider_id);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: certifications certifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.certifications
    ADD CONSTRAINT certifications_pkey PRIMARY KEY (id);


--
-- Name: contract_amendments contract_amendments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_amendments
    ADD CONSTRAINT contract_amendments_pkey PRIMARY KEY (id);


--
-- Name: contract_funding contract_funding_contract_id_source_organization_id_kind_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_funding
    ADD CONSTRAINT contract_funding_contract_id_source_organization_id_kind_key UNIQUE (contract_id, source_organization_id, kind);


--
-- Name: contract_funding contract_funding_id_contract_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_funding
    ADD CONSTRAINT contract_funding_id_contract_id_key UNIQUE (id, contract_id);


--
-- Name: contract_funding contract_funding_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_funding
    ADD CONSTRAINT contract_funding_pkey PRIMARY KEY (id);


--
-- Name: contract_milestones contract_milestones_contract_id_position_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_milestones
    ADD CONSTRAINT contract_milestones_contract_id_position_key UNIQUE (contract_id, "position");


--
-- Name: contract_milestones contract_milestones_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_milestones
    ADD CONSTRAINT contract_milestones_pkey PRIMARY KEY (id);


--
-- Name: contract_transitions contract_transitions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_transitions
    ADD CONSTRAINT contract_transitions_pkey PRIMARY KEY (id);


--
-- Name: contracts contracts_no_double_booking; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_no_double_booking EXCLUDE USING gist (provider_id WITH =, period WITH &&) WHERE ((exclusive AND (status = ANY (ARRAY['signed'::text, 'active'::text]))));


--
-- Name: contracts contracts_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_number_key UNIQUE (number);


--
-- Name: contracts contracts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_pkey PRIMARY KEY (id);


--
-- Name: districts districts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.districts
    ADD CONSTRAINT districts_pkey PRIMARY KEY (ubigeo);


--
-- Name: idempotency_keys idempotency_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idempotency_keys
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (scope, key);


--
-- Name: kept_indicators kept_indicators_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kept_indicators
    ADD CONSTRAINT kept_indicators_pkey PRIMARY KEY (scope_key);


--
-- Name: languages languages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.languages
    ADD CONSTRAINT languages_pkey PRIMARY KEY (code);


--
-- Name: match_profiles match_profiles_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.match_profiles
    ADD CONSTRAINT match_profiles_pkey PRIMARY KEY (provider_id);


--
-- Name: match_profiles_stale match_profiles_stale_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.match_profiles_stale
    ADD CONSTRAINT match_profiles_stale_pkey PRIMARY KEY (provider_id);


--
-- Name: notifications notifications_one_live_code; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_one_live_code EXCLUDE USING gist (user_id WITH =, code WITH =, code_valid WITH &&) WHERE ((code IS NOT NULL));


--
-- Name: notifications notifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);


--
-- Name: organizations organizations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizations
    ADD CONSTRAINT organizations_pkey PRIMARY KEY (id);


--
-- Name: organizations organizations_tax_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizations
    ADD CONSTRAINT organizations_tax_id_key UNIQUE (tax_id);


--
-- Name: payments payments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payments_pkey PRIMARY KEY (id);


--
-- Name: provider_languages provider_languages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provider_languages
    ADD CONSTRAINT provider_languages_pkey PRIMARY KEY (provider_id, language_code);


--
-- Name: provider_reviews provider_reviews_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provider_reviews
    ADD CONSTRAINT provider_reviews_pkey PRIMARY KEY (id);


--
-- Name: provider_search provider_search_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provider_search
    ADD CONSTRAINT provider_search_pkey PRIMARY KEY (provider_id);


--
-- Name: provider_skills provider_skills_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provider_skills
    ADD CONSTRAINT provider_skills_pkey PRIMARY KEY (provider_id, skill_code);


--
-- Name: providers providers_national_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.providers
    ADD CONSTRAINT providers_national_id_key UNIQUE (national_id);


--
-- Name: providers providers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.providers
    ADD CONSTRAINT providers_pkey PRIMARY KEY (id);


--
-- Name: ratings ratings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ratings
    ADD CONSTRAINT ratings_pkey PRIMARY KEY (contract_id);


--
-- Name: request_languages request_languages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.request_languages
    ADD CONSTRAINT request_languages_pkey PRIMARY KEY (request_id, language_code);


--
-- Name: request_skills request_skills_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.request_skills
    ADD CONSTRAINT request_skills_pkey PRIMARY KEY (request_id, skill_code);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (name);


--
-- Name: service_requests service_requests_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_requests
    ADD CONSTRAINT service_requests_pkey PRIMARY KEY (id);


--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (token_hash);


--
-- Name: sign_in_failures sign_in_failures_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sign_in_failures
    ADD CONSTRAINT sign_in_failures_pkey PRIMARY KEY (login_key, client);


--
-- Name: skills skills_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.skills
    ADD CONSTRAINT skills_pkey PRIMARY KEY (code);


--
-- Name: sms_inbound sms_inbound_gateway_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sms_inbound
    ADD CONSTRAINT sms_inbound_gateway_id_key UNIQUE (gateway_id);


--
-- Name: sms_inbound sms_inbound_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sms_inbound
    ADD CONSTRAINT sms_inbound_pkey PRIMARY KEY (id);


--
-- Name: sms_outbox sms_outbox_notification_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sms_outbox
    ADD CONSTRAINT sms_outbox_notification_id_key UNIQUE (notification_id);


--
-- Name: sms_outbox sms_outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sms_outbox
    ADD CONSTRAINT sms_outbox_pkey PRIMARY KEY (id);


--
-- Name: trainings trainings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trainings
    ADD CONSTRAINT trainings_pkey PRIMARY KEY (id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: applications_one_selected; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX applications_one_selected ON public.applications USING btree (request_id) WHERE (status = 'selected'::text);


--
-- Name: applications_provider; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX applications_provider ON public.applications USING btree (provider_id);


--
-- Name: audit_log_entity; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_log_entity ON public.audit_log USING btree (entity, entity_id, id);


--
-- Name: certifications_provider; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX certifications_provider ON public.certifications USING btree (provider_id, issued_on);


--
-- Name: contract_amendments_contract; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_amendments_contract ON public.contract_amendments USING btree (contract_id, created_at);


--
-- Name: contract_transitions_contract; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contract_transitions_contract ON public.contract_transitions USING btree (contract_id, id);


--
-- Name: contracts_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contracts_created ON public.contracts USING btree (created_at DESC, id DESC);


--
-- Name: contracts_one_per_application; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX contracts_one_per_application ON public.contracts USING btree (application_id) WHERE (status <> 'cancelled'::text);


--
-- Name: contracts_organization; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contracts_organization ON public.contracts USING btree (organization_id, created_at DESC, id DESC);


--
-- Name: contracts_place; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contracts_place ON public.contracts USING btree (ubigeo, lower(period));


--
-- Name: contracts_provider; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contracts_provider ON public.contracts USING btree (provider_id, status);


--
-- Name: contracts_request; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contracts_request ON public.contracts USING btree (request_id) WHERE (request_id IS NOT NULL);


--
-- Name: districts_department_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX districts_department_key ON public.districts USING btree (public.search_key(department));


--
-- Name: districts_location; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX districts_location ON public.districts USING gist (public.ll_to_earth(latitude, longitude));


--
-- Name: districts_search_text_trgm; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX districts_search_text_trgm ON public.districts USING gin (search_text public.gin_trgm_ops);


--
-- Name: languages_macrolanguage; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX languages_macrolanguage ON public.languages USING btree (macrolanguage);


--
-- Name: match_profiles_keys; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX match_profiles_keys ON public.match_profiles USING gin (keys);


--
-- Name: notifications_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX notifications_user ON public.notifications USING btree (user_id, id DESC);


--
-- Name: organizations_kind; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organizations_kind ON public.organizations USING btree (kind, name_key, id);


--
-- Name: organizations_name_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organizations_name_key ON public.organizations USING btree (name_key, id);


--
-- Name: organizations_name_trgm; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organizations_name_trgm ON public.organizations USING gin (name_key public.gin_trgm_ops);


--
-- Name: payments_contract; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX payments_contract ON public.payments USING btree (contract_id, created_at, id);


--
-- Name: payments_corrections; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX payments_corrections ON public.payments USING btree (corrects_payment_id) WHERE (corrects_payment_id IS NOT NULL);


--
-- Name: provider_languages_by_language; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX provider_languages_by_language ON public.provider_languages USING btree (language_code, speaking, provider_id);


--
-- Name: provider_reviews_provider; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX provider_reviews_provider ON public.provider_reviews USING btree (provider_id, created_at);


--
-- Name: provider_search_home; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX provider_search_home ON public.provider_search USING gist (home_point);


--
-- Name: provider_search_keys; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX provider_search_keys ON public.provider_search USING gin (keys);


--
-- Name: provider_skills_by_skill; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX provider_skills_by_skill ON public.provider_skills USING btree (skill_code text_pattern_ops, provider_id);


--
-- Name: providers_home_point; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX providers_home_point ON public.providers USING gist (home_point);


--
-- Name: providers_home_ubigeo_prefix; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX providers_home_ubigeo_prefix ON public.providers USING btree (home_ubigeo text_pattern_ops);


--
-- Name: providers_kind_gender; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX providers_kind_gender ON public.providers USING btree (kind, gender) WHERE (status = 'active'::text);


--
-- Name: providers_name_order; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX providers_name_order ON public.providers USING btree (name_key, id);


--
-- Name: providers_name_trgm; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX providers_name_trgm ON public.providers USING gin (name_key public.gin_trgm_ops);


--
-- Name: providers_newest; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX providers_newest ON public.providers USING btree (created_at, id);


--
-- Name: ratings_provider; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ratings_provider ON public.ratings USING btree (provider_id);


--
-- Name: service_requests_open; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX service_requests_open ON public.service_requests USING gist (work_point) WHERE (status = 'open'::text);


--
-- Name: service_requests_organization; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX service_requests_organization ON public.service_requests USING btree (organization_id, created_at);


--
-- Name: service_requests_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX service_requests_status ON public.service_requests USING btree (status, created_at, id);


--
-- Name: sessions_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sessions_user ON public.sessions USING btree (user_id);


--
-- Name: sign_in_failures_age; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sign_in_failures_age ON public.sign_in_failures USING btree (last_failure_at);


--
-- Name: sms_outbox_by_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sms_outbox_by_status ON public.sms_outbox USING btree (status, id DESC);


--
-- Name: sms_outbox_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sms_outbox_due ON public.sms_outbox USING btree (next_attempt_at, id) WHERE (status = ANY (ARRAY['queued'::text, 'sending'::text]));


--
-- Name: sms_outbox_sent_to; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sms_outbox_sent_to ON public.sms_outbox USING btree (phone, sent_at) WHERE (sent_at IS NOT NULL);


--
-- Name: trainings_trainee; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX trainings_trainee ON public.trainings USING btree (trainee_id);


--
-- Name: trainings_trainer; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX trainings_trainer ON public.trainings USING btree (trainer_id);


--
-- Name: users_login; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX users_login ON public.users USING btree (login);


--
-- Name: users_organization; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX users_organization ON public.users USING btree (organization_id);


--
-- Name: users_provider; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX users_provider ON public.users USING btree (provider_id) WHERE (provider_id IS NOT NULL);


--
-- Name: audit_log audit_log_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION public.audit_log_is_append_only();


--
-- Name: audit_log audit_log_no_update_or_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_log_no_update_or_delete BEFORE DELETE OR UPDATE ON public.audit_log FOR EACH ROW EXECUTE FUNCTION public.audit_log_is_append_only();


--
-- Name: contract_amendments contract_amendments_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER contract_amendments_append_only BEFORE DELETE OR UPDATE ON public.contract_amendments FOR EACH ROW EXECUTE FUNCTION public.refuse_change_of_history();


--
-- Name: contract_funding contract_funding_adds_up; Type: TRIGGER; Schema: public; Owner: -
--

CREATE CONSTRAINT TRIGGER contract_funding_adds_up AFTER INSERT OR UPDATE OF amount_cents ON public.contract_funding DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.check_funding_adds_up();


--
-- Name: contracts contract_funding_adds_up; Type: TRIGGER; Schema: public; Owner: -
--

CREATE CONSTRAINT TRIGGER contract_funding_adds_up AFTER INSERT OR UPDATE OF amount_cents ON public.contracts DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.check_funding_adds_up();


--
-- Name: contract_transitions contract_transitions_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER contract_transitions_append_only BEFORE DELETE OR UPDATE ON public.contract_transitions FOR EACH ROW EXECUTE FUNCTION public.refuse_change_of_history();


--
-- Name: contracts contracts_insert_match_profiles; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER contracts_insert_match_profiles AFTER INSERT ON public.contracts REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.match_profiles_mark_stale();


--
-- Name: contracts contracts_update_match_profiles; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER contracts_update_match_profiles AFTER UPDATE ON public.contracts FOR EACH ROW WHEN (((old.status IS DISTINCT FROM new.status) OR (old.period IS DISTINCT FROM new.period) OR (old.exclusive IS DISTINCT FROM new.exclusive) OR (old.provider_id IS DISTINCT FROM new.provider_id))) EXECUTE FUNCTION public.match_profiles_mark_contract_stale();


--
-- Name: match_profiles_stale match_profiles_refresh_at_commit; Type: TRIGGER; Schema: public; Owner: -
--

CREATE CONSTRAINT TRIGGER match_profiles_refresh_at_commit AFTER INSERT ON public.match_profiles_stale DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.match_profiles_refresh_stale();


--
-- Name: organizations organizations_notify_sign_ins; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER organizations_notify_sign_ins AFTER DELETE OR UPDATE OF disabled_at ON public.organizations FOR EACH STATEMENT EXECUTE FUNCTION public.notify_sign_ins_changed();


--
-- Name: payments payments_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER payments_append_only BEFORE DELETE OR UPDATE ON public.payments FOR EACH ROW EXECUTE FUNCTION public.refuse_change_of_history();


--
-- Name: payments payments_counted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER payments_counted AFTER INSERT ON public.payments FOR EACH ROW EXECUTE FUNCTION public.count_payment();


--
-- Name: payments payments_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON public.payments FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_change_of_history();


--
-- Name: provider_languages provider_languages_delete_match_profiles; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER provider_languages_delete_match_profiles AFTER DELETE ON public.provider_languages REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.match_profiles_mark_stale();


--
-- Name: provider_languages provider_languages_insert_match_profiles; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER provider_languages_insert_match_profiles AFTER INSERT ON public.provider_languages REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.match_profiles_mark_stale();


--
-- Name: provider_languages provider_languages_update_match_profiles; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER provider_languages_update_match_profiles AFTER UPDATE ON public.provider_languages REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.match_profiles_mark_stale();


--
-- Name: provider_reviews provider_reviews_never_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER provider_reviews_never_deleted BEFORE DELETE ON public.provider_reviews FOR EACH ROW EXECUTE FUNCTION public.refuse_change_of_history();


--
-- Name: provider_reviews provider_reviews_only_answered; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER provider_reviews_only_answered BEFORE UPDATE ON public.provider_reviews FOR EACH ROW EXECUTE FUNCTION public.provider_reviews_only_answered();


--
-- Name: provider_skills provider_skills_delete_match_profiles; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER provider_skills_delete_match_profiles AFTER DELETE ON public.provider_skills REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.match_profiles_mark_stale();


--
-- Name: provider_skills provider_skills_insert_match_profiles; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER provider_skills_insert_match_profiles AFTER INSERT ON public.provider_skills REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.match_profiles_mark_stale();


--
-- Name: provider_skills provider_skills_update_match_profiles; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER provider_skills_update_match_profiles AFTER UPDATE ON public.provider_skills REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.match_profiles_mark_stale();


--
-- Name: providers providers_home_point; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER providers_home_point BEFORE INSERT OR UPDATE OF home_ubigeo ON public.providers FOR EACH ROW EXECUTE FUNCTION public.providers_set_home_point();


--
-- Name: providers providers_insert_match_profiles; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER providers_insert_match_profiles AFTER INSERT ON public.providers REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.match_profiles_mark_stale();


--
-- Name: providers providers_update_match_profiles; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER providers_update_match_profiles AFTER UPDATE ON public.providers REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.match_profiles_mark_stale();


--
-- Name: ratings ratings_insert_match_profiles; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER ratings_insert_match_profiles AFTER INSERT ON public.ratings REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.match_profiles_mark_stale();


--
-- Name: ratings ratings_keep_their_judgement; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER ratings_keep_their_judgement BEFORE UPDATE ON public.ratings FOR EACH ROW EXECUTE FUNCTION public.ratings_keep_their_judgement();


--
-- Name: ratings ratings_never_deleted; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER ratings_never_deleted BEFORE DELETE ON public.ratings FOR EACH ROW EXECUTE FUNCTION public.refuse_change_of_history();


--
-- Name: ratings ratings_update_match_profiles; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER ratings_update_match_profiles AFTER UPDATE ON public.ratings REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.match_profiles_mark_stale();


--
-- Name: service_requests service_requests_work_point; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER service_requests_work_point BEFORE INSERT OR UPDATE OF ubigeo ON public.service_requests FOR EACH ROW EXECUTE FUNCTION public.service_requests_set_work_point();


--
-- Name: sessions sessions_notify_sign_ins; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER sessions_notify_sign_ins AFTER DELETE OR UPDATE ON public.sessions FOR EACH STATEMENT EXECUTE FUNCTION public.notify_sign_ins_changed();


--
-- Name: users users_notify_sign_ins; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER users_notify_sign_ins AFTER DELETE OR UPDATE ON public.users FOR EACH STATEMENT EXECUTE FUNCTION public.notify_sign_ins_changed();


--
-- Name: applications applications_provider_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applications
    ADD CONSTRAINT applications_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES public.providers(id);


--
-- Name: applications applications_request_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.applications
    ADD CONSTRAINT applications_request_id_fkey FOREIGN KEY (request_id) REFERENCES public.service_requests(id);


--
-- Name: audit_log audit_log_actor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.users(id);


--
-- Name: certifications certifications_certifier_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.certifications
    ADD CONSTRAINT certifications_certifier_organization_id_fkey FOREIGN KEY (certifier_organization_id) REFERENCES public.organizations(id);


--
-- Name: certifications certifications_provider_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.certifications
    ADD CONSTRAINT certifications_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES public.providers(id);


--
-- Name: certifications certifications_skill_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.certifications
    ADD CONSTRAINT certifications_skill_code_fkey FOREIGN KEY (skill_code) REFERENCES public.skills(code);


--
-- Name: contract_amendments contract_amendments_actor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_amendments
    ADD CONSTRAINT contract_amendments_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.users(id);


--
-- Name: contract_amendments contract_amendments_contract_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_amendments
    ADD CONSTRAINT contract_amendments_contract_id_fkey FOREIGN KEY (contract_id) REFERENCES public.contracts(id);


--
-- Name: contract_funding contract_funding_contract_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_funding
    ADD CONSTRAINT contract_funding_contract_id_fkey FOREIGN KEY (contract_id) REFERENCES public.contracts(id);


--
-- Name: contract_funding contract_funding_source_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_funding
    ADD CONSTRAINT contract_funding_source_organization_id_fkey FOREIGN KEY (source_organization_id) REFERENCES public.organizations(id);


--
-- Name: contract_milestones contract_milestones_contract_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_milestones
    ADD CONSTRAINT contract_milestones_contract_id_fkey FOREIGN KEY (contract_id) REFERENCES public.contracts(id);


--
-- Name: contract_transitions contract_transitions_actor_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_transitions
    ADD CONSTRAINT contract_transitions_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.users(id);


--
-- Name: contract_transitions contract_transitions_contract_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contract_transitions
    ADD CONSTRAINT contract_transitions_contract_id_fkey FOREIGN KEY (contract_id) REFERENCES public.contracts(id);


--
-- Name: contracts contracts_application_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_application_id_fkey FOREIGN KEY (application_id) REFERENCES public.applications(id);


--
-- Name: contracts contracts_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);


--
-- Name: contracts contracts_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id);


--
-- Name: contracts contracts_provider_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES public.providers(id);


--
-- Name: contracts contracts_request_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_request_id_fkey FOREIGN KEY (request_id) REFERENCES public.service_requests(id);


--
-- Name: contracts contracts_ubigeo_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_ubigeo_fkey FOREIGN KEY (ubigeo) REFERENCES public.districts(ubigeo);


--
-- Name: idempotency_keys idempotency_keys_payment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.idempotency_keys
    ADD CONSTRAINT idempotency_keys_payment_id_fkey FOREIGN KEY (payment_id) REFERENCES public.payments(id);


--
-- Name: languages languages_macrolanguage_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.languages
    ADD CONSTRAINT languages_macrolanguage_fkey FOREIGN KEY (macrolanguage) REFERENCES public.languages(code);


--
-- Name: match_profiles match_profiles_provider_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.match_profiles
    ADD CONSTRAINT match_profiles_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES public.providers(id);


--
-- Name: notifications notifications_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: organizations organizations_ubigeo_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organizations
    ADD CONSTRAINT organizations_ubigeo_fkey FOREIGN KEY (ubigeo) REFERENCES public.districts(ubigeo);


--
-- Name: payments payments_contract_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payments_contract_id_fkey FOREIGN KEY (contract_id) REFERENCES public.contracts(id);


--
-- Name: payments payments_corrects_payment_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payments_corrects_payment_id_fkey FOREIGN KEY (corrects_payment_id) REFERENCES public.payments(id);


--
-- Name: payments payments_funding_id_contract_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payments_funding_id_contract_id_fkey FOREIGN KEY (funding_id, contract_id) REFERENCES public.contract_funding(id, contract_id);


--
-- Name: payments payments_payer_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payments_payer_organization_id_fkey FOREIGN KEY (payer_organization_id) REFERENCES public.organizations(id);


--
-- Name: payments payments_recorded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.payments
    ADD CONSTRAINT payments_recorded_by_fkey FOREIGN KEY (recorded_by) REFERENCES public.users(id);


--
-- Name: provider_languages provider_languages_language_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provider_languages
    ADD CONSTRAINT provider_languages_language_code_fkey FOREIGN KEY (language_code) REFERENCES public.languages(code);


--
-- Name: provider_languages provider_languages_provider_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provider_languages
    ADD CONSTRAINT provider_languages_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES public.providers(id);


--
-- Name: provider_reviews provider_reviews_provider_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provider_reviews
    ADD CONSTRAINT provider_reviews_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES public.providers(id);


--
-- Name: provider_reviews provider_reviews_reviewer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provider_reviews
    ADD CONSTRAINT provider_reviews_reviewer_id_fkey FOREIGN KEY (reviewer_id) REFERENCES public.users(id);


--
-- Name: provider_search provider_search_provider_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provider_search
    ADD CONSTRAINT provider_search_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES public.providers(id);


--
-- Name: provider_skills provider_skills_provider_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provider_skills
    ADD CONSTRAINT provider_skills_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES public.providers(id);


--
-- Name: provider_skills provider_skills_skill_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provider_skills
    ADD CONSTRAINT provider_skills_skill_code_fkey FOREIGN KEY (skill_code) REFERENCES public.skills(code);


--
-- Name: providers providers_home_ubigeo_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.providers
    ADD CONSTRAINT providers_home_ubigeo_fkey FOREIGN KEY (home_ubigeo) REFERENCES public.districts(ubigeo);


--
-- Name: ratings ratings_comment_hidden_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ratings
    ADD CONSTRAINT ratings_comment_hidden_by_fkey FOREIGN KEY (comment_hidden_by) REFERENCES public.users(id);


--
-- Name: ratings ratings_contract_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ratings
    ADD CONSTRAINT ratings_contract_id_fkey FOREIGN KEY (contract_id) REFERENCES public.contracts(id);


--
-- Name: ratings ratings_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ratings
    ADD CONSTRAINT ratings_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id);


--
-- Name: ratings ratings_provider_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ratings
    ADD CONSTRAINT ratings_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES public.providers(id);


--
-- Name: ratings ratings_rated_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ratings
    ADD CONSTRAINT ratings_rated_by_fkey FOREIGN KEY (rated_by) REFERENCES public.users(id);


--
-- Name: request_languages request_languages_language_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.request_languages
    ADD CONSTRAINT request_languages_language_code_fkey FOREIGN KEY (language_code) REFERENCES public.languages(code);


--
-- Name: request_languages request_languages_request_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.request_languages
    ADD CONSTRAINT request_languages_request_id_fkey FOREIGN KEY (request_id) REFERENCES public.service_requests(id);


--
-- Name: request_skills request_skills_request_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.request_skills
    ADD CONSTRAINT request_skills_request_id_fkey FOREIGN KEY (request_id) REFERENCES public.service_requests(id);


--
-- Name: request_skills request_skills_skill_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.request_skills
    ADD CONSTRAINT request_skills_skill_code_fkey FOREIGN KEY (skill_code) REFERENCES public.skills(code);


--
-- Name: service_requests service_requests_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_requests
    ADD CONSTRAINT service_requests_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.users(id);


--
-- Name: service_requests service_requests_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_requests
    ADD CONSTRAINT service_requests_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id);


--
-- Name: service_requests service_requests_ubigeo_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_requests
    ADD CONSTRAINT service_requests_ubigeo_fkey FOREIGN KEY (ubigeo) REFERENCES public.districts(ubigeo);


--
-- Name: sessions sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: skills skills_parent_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.skills
    ADD CONSTRAINT skills_parent_fkey FOREIGN KEY (parent) REFERENCES public.skills(code);


--
-- Name: sms_inbound sms_inbound_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sms_inbound
    ADD CONSTRAINT sms_inbound_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: sms_outbox sms_outbox_notification_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sms_outbox
    ADD CONSTRAINT sms_outbox_notification_id_fkey FOREIGN KEY (notification_id) REFERENCES public.notifications(id);


--
-- Name: sms_outbox sms_outbox_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sms_outbox
    ADD CONSTRAINT sms_outbox_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);


--
-- Name: trainings trainings_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trainings
    ADD CONSTRAINT trainings_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id);


--
-- Name: trainings trainings_skill_code_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trainings
    ADD CONSTRAINT trainings_skill_code_fkey FOREIGN KEY (skill_code) REFERENCES public.skills(code);


--
-- Name: trainings trainings_trainee_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trainings
    ADD CONSTRAINT trainings_trainee_id_fkey FOREIGN KEY (trainee_id) REFERENCES public.providers(id);


--
-- Name: trainings trainings_trainer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.trainings
    ADD CONSTRAINT trainings_trainer_id_fkey FOREIGN KEY (trainer_id) REFERENCES public.providers(id);


--
-- Name: users users_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organizations(id);


--
-- Name: users users_provider_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES public.providers(id);


--
-- PostgreSQL database dump complete
--


