-- Demand requests, applications, and the parts of contracts and ratings that matching
-- reads (the contracts issue adds funding, milestones and payments around them).

CREATE TABLE service_requests (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id        uuid NOT NULL REFERENCES organizations (id),
    title                  text NOT NULL CHECK (length(btrim(title)) BETWEEN 3 AND 200),
    description            text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    ubigeo                 text NOT NULL REFERENCES districts (ubigeo),
    -- [starts_on, ends_on], both days of work included
    period                 daterange NOT NULL CHECK (NOT isempty(period) AND NOT lower_inf(period) AND NOT upper_inf(period)),
    budget_cents           bigint NOT NULL CHECK (budget_cents >= 0),
    must_live_in_community boolean NOT NULL DEFAULT false,
    exclusive              boolean NOT NULL DEFAULT false,
    preferred_gender       text CHECK (preferred_gender IN ('female', 'male')),
    status                 text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'awarded', 'cancelled', 'closed')),
    created_by             uuid REFERENCES users (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    work_point             earth NOT NULL
);
CREATE INDEX service_requests_open ON service_requests USING gist (work_point) WHERE status = 'open';
CREATE INDEX service_requests_organization ON service_requests (organization_id, created_at);
CREATE INDEX service_requests_status ON service_requests (status, created_at, id);

CREATE FUNCTION service_requests_set_work_point() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT ll_to_earth(latitude, longitude) INTO NEW.work_point FROM districts WHERE ubigeo = NEW.ubigeo;
    IF NEW.work_point IS NULL THEN
        RAISE foreign_key_violation USING MESSAGE = 'no district has ubigeo ' || NEW.ubigeo,
            CONSTRAINT = 'service_requests_ubigeo_fkey';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER service_requests_work_point BEFORE INSERT OR UPDATE OF ubigeo ON service_requests
    FOR EACH ROW EXECUTE FUNCTION service_requests_set_work_point();

CREATE TABLE request_skills (
    request_id uuid NOT NULL REFERENCES service_requests (id),
    skill_code text NOT NULL REFERENCES skills (code),
    PRIMARY KEY (request_id, skill_code)
);

CREATE TABLE request_languages (
    request_id    uuid NOT NULL REFERENCES service_requests (id),
    language_code text NOT NULL REFERENCES languages (code),
    PRIMARY KEY (request_id, language_code)
);

CREATE TABLE applications (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    request_id        uuid NOT NULL REFERENCES service_requests (id),
    provider_id       uuid NOT NULL REFERENCES providers (id),
    status            text NOT NULL DEFAULT 'applied'
                      CHECK (status IN ('applied', 'shortlisted', 'interviewed', 'selected', 'rejected', 'withdrawn')),
    invited           boolean NOT NULL DEFAULT false,
    note              text CHECK (length(note) <= 2000),
    interview_held_on date,
    interview_panel   text CHECK (length(interview_panel) <= 2000),
    interview_notes   text CHECK (length(interview_notes) <= 5000),
    reason            text CHECK (length(reason) <= 2000),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (request_id, provider_id)
);
-- The community chooses one technician per request: a second selection cannot land,
-- whatever the timing of two concurrent ones.
CREATE UNIQUE INDEX applications_one_selected ON applications (request_id) WHERE status = 'selected';
CREATE INDEX applications_provider ON applications (provider_id);

CREATE TABLE contracts (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    request_id      uuid REFERENCES service_requests (id),
    organization_id uuid NOT NULL REFERENCES organizations (id),
    provider_id     uuid NOT NULL REFERENCES providers (id),
    title           text NOT NULL CHECK (length(btrim(title)) BETWEEN 3 AND 200),
    period          daterange NOT NULL CHECK (NOT isempty(period) AND NOT lower_inf(period) AND NOT upper_inf(period)),
    amount_cents    bigint NOT NULL CHECK (amount_cents > 0),
    exclusive       boolean NOT NULL DEFAULT false,
    status          text NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'signed', 'active', 'completed', 'terminated', 'cancelled')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- A technician cannot hold two signed or running full-time contracts whose days overlap.
    CONSTRAINT contracts_no_double_booking EXCLUDE USING gist (provider_id WITH =, period WITH &&)
        WHERE (exclusive AND status IN ('signed', 'active'))
);
CREATE INDEX contracts_provider ON contracts (provider_id, status);

CREATE TABLE ratings (
    contract_id     uuid PRIMARY KEY REFERENCES contracts (id),
    provider_id     uuid NOT NULL REFERENCES providers (id),
    organization_id uuid NOT NULL REFERENCES organizations (id),
    technical       smallint NOT NULL CHECK (technical BETWEEN 1 AND 5),
    communication   smallint NOT NULL CHECK (communication BETWEEN 1 AND 5),
    punctuality     smallint NOT NULL CHECK (punctuality BETWEEN 1 AND 5),
    results         smallint NOT NULL CHECK (results BETWEEN 1 AND 5),
    comment         text CHECK (length(comment) <= 2000),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ratings_provider ON ratings (provider_id);

-- What matching filters on, kept on the provider row so that three indexes of one table
-- can be ANDed in one bitmap before any row is read (measured at 100,000 providers: the
-- same filters as EXISTS probes read 18,000 rows per shortlist, 60 ms):
--   search_skills:    its skill codes and their groups ("water.sprinkler", "water")
--   search_languages: codes it speaks at level 2 or more (MatchRules.minimumSpeaking) and their
--                     macrolanguages ("quz", "que")
-- The triggers below keep both in step with provider_skills and provider_languages.
ALTER TABLE providers ADD COLUMN search_skills text[] NOT NULL DEFAULT '{}',
                      ADD COLUMN search_languages text[] NOT NULL DEFAULT '{}';

CREATE FUNCTION providers_refresh_search_arrays() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE providers p SET
        search_skills = coalesce((
            SELECT array_agg(DISTINCT v.searched ORDER BY v.searched)
            FROM provider_skills s, LATERAL (VALUES (s.skill_code), (split_part(s.skill_code, '.', 1))) AS v (searched)
            WHERE s.provider_id = p.id), '{}'),
        search_languages = coalesce((
            SELECT array_agg(DISTINCT v.searched ORDER BY v.searched)
            FROM provider_languages l JOIN languages g ON g.code = l.language_code,
                 LATERAL (VALUES (l.language_code), (g.macrolanguage)) AS v (searched)
            WHERE l.provider_id = p.id AND l.speaking >= 2 AND v.searched IS NOT NULL), '{}')
    WHERE p.id IN (SELECT provider_id FROM changed);
    RETURN NULL;
END
$$;
-- Once per statement, for the providers it touched (a COPY of 10,000 rows is one UPDATE).
CREATE TRIGGER provider_skills_added AFTER INSERT ON provider_skills REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION providers_refresh_search_arrays();
CREATE TRIGGER provider_skills_changed AFTER UPDATE ON provider_skills REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION providers_refresh_search_arrays();
CREATE TRIGGER provider_skills_removed AFTER DELETE ON provider_skills REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION providers_refresh_search_arrays();
CREATE TRIGGER provider_languages_added AFTER INSERT ON provider_languages REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION providers_refresh_search_arrays();
CREATE TRIGGER provider_languages_changed AFTER UPDATE ON provider_languages REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION providers_refresh_search_arrays();
CREATE TRIGGER provider_languages_removed AFTER DELETE ON provider_languages REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION providers_refresh_search_arrays();
UPDATE provider_skills SET level = level;     -- fills the arrays of providers registered before this migration
UPDATE provider_languages SET speaking = speaking;

-- The indexes matching ANDs, on the providers it may propose (active and published):
-- each provider's reach (a box of its own travel radius around its home) containing the
-- work, its skills, its languages.
CREATE INDEX providers_reach ON providers USING gist (earth_box(home_point, travel_radius_km * 1000.0::float8))
    WHERE status = 'active' AND consent_to_publish;
CREATE INDEX providers_search_skills ON providers USING gin (search_skills) WHERE status = 'active' AND consent_to_publish;
CREATE INDEX providers_search_languages ON providers USING gin (search_languages) WHERE status = 'active' AND consent_to_publish;

-- The explained shortlist of a request, best first, ties by provider id: one function that
-- the service (MatchStore) and the benchmark (pgbench) both call. Weights and constants come
-- from YachaqDomain (MatchWeights, MatchRules, RatingPrior) as arguments; p_weights follows
-- the order of MatchFactor: skills, language, distance, rating, experience, cost, live_in, gender.
--
-- Hard rules (in candidates): active and published; at least one required skill; a required
-- language (or, for a variety, its macrolanguage and sibling varieties) spoken at level
-- p_min_speaking or more; the work within the provider's own travel radius; not booked on a
-- signed or running exclusive contract whose days overlap the request's.
-- The first cut ANDs three indexes of providers in one bitmap: providers_reach (its own travel
-- radius reaches the work), providers_search_skills and providers_search_languages; bookings,
-- ratings and completed contracts are then probed per candidate through their provider indexes.
CREATE FUNCTION match_shortlist(
    p_request uuid, p_weights float8[], p_limit integer, p_min_speaking integer, p_other_variety float8,
    p_distance_scale_km float8, p_experience_half float8, p_prior_mean float8, p_prior_strength float8
) RETURNS TABLE (
    provider_id uuid, gender text, will_live_in_community boolean, distance_km float8, covered text[], missing text[],
    best_language text, best_speaking integer, exact boolean, rating_count integer, rating_average float8, completed integer,
    cost_cents bigint, budget_cents bigint, must_live_in_community boolean, preferred_gender text,
    skills_value float8, language_value float8, distance_value float8, rating_value float8, experience_value float8,
    cost_value float8, live_in_value float8, gender_value float8, score float8
)
LANGUAGE sql STABLE AS $$
WITH req AS (
    SELECT id, work_point, period, budget_cents, must_live_in_community, preferred_gender,
           upper(period) - lower(period) AS days
    FROM service_requests WHERE id = p_request
), wanted_skills AS (
    SELECT skill_code FROM request_skills WHERE request_id = p_request
), wanted_languages AS (
    -- The codes that satisfy a wanted language and whether each is what was asked:
    -- the code itself and, for a macrolanguage, its varieties (exact: "que" asks for
    -- any Quechua); for a variety, its macrolanguage and sibling varieties (not exact).
    SELECT l.code, bool_or(l.code = w.code OR coalesce(l.macrolanguage = w.code, false)) AS exact
    FROM request_languages rl
    JOIN languages w ON w.code = rl.language_code
    JOIN languages l ON l.code = w.code OR l.macrolanguage = w.code
                     OR (w.macrolanguage IS NOT NULL AND (l.code = w.macrolanguage OR l.macrolanguage = w.macrolanguage))
    WHERE rl.request_id = p_request
    GROUP BY l.code
), wanted AS (
    SELECT (SELECT array_agg(skill_code) FROM wanted_skills) AS skills,
           (SELECT array_agg(code) FROM wanted_languages) AS languages
), candidates AS (
    SELECT p.id, p.gender, p.daily_rate_cents, p.will_live_in_community,
           earth_distance(p.home_point, req.work_point) / 1000.0 AS distance_km
    FROM req CROSS JOIN wanted JOIN providers p
      ON earth_box(p.home_point, p.travel_radius_km * 1000.0::float8) @> req.work_point
     AND p.search_skills && wanted.skills
     AND p.search_languages && wanted.languages
    WHERE p.status = 'active' AND p.consent_to_publish
      AND earth_distance(p.home_point, req.work_point) <= p.travel_radius_km * 1000.0
      AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.provider_id = p.id AND c.exclusive
                      AND c.status IN ('signed', 'active') AND c.period && req.period)
), valued AS (
    SELECT c.*, skills.value AS skills_value, skills.covered, skills.missing,
           lang.code AS best_language, lang.speaking AS best_speaking, lang.exact, lang.value AS language_value,
           greatest(0.0, 1.0 - c.distance_km / p_distance_scale_km) AS distance_value,
           coalesce(r.n, 0)::int AS rating_count,
           (p_prior_strength * p_prior_mean + coalesce(r.total, 0)) / (p_prior_strength + coalesce(r.n, 0)) AS rating_average,
           coalesce(done.n, 0)::int AS completed,
           c.daily_rate_cents * req.days AS cost_cents, req.budget_cents, req.must_live_in_community, req.preferred_gender
    FROM candidates c CROSS JOIN req
    CROSS JOIN LATERAL (
        SELECT (avg(coalesce(best.level, 0)) / 4.0)::float8 AS value,
               coalesce(array_agg(ws.skill_code ORDER BY ws.skill_code) FILTER (WHERE best.level IS NOT NULL), '{}') AS covered,
               coalesce(array_agg(ws.skill_code ORDER BY ws.skill_code) FILTER (WHERE best.level IS NULL), '{}') AS missing
        FROM wanted_skills ws
        CROSS JOIN LATERAL (SELECT max(ps.level) AS level FROM provider_skills ps
                            WHERE ps.provider_id = c.id AND (ps.skill_code = ws.skill_code OR ps.skill_code LIKE ws.skill_code || '.%')) best
    ) skills
    CROSS JOIN LATERAL (
        SELECT pl.language_code AS code, pl.speaking::int AS speaking, wl.exact,
               pl.speaking / 4.0 * CASE WHEN wl.exact THEN 1.0 ELSE p_other_variety END AS value
        FROM provider_languages pl JOIN wanted_languages wl ON wl.code = pl.language_code
        WHERE pl.provider_id = c.id AND pl.speaking >= p_min_speaking
        ORDER BY value DESC, pl.language_code LIMIT 1
    ) lang
    CROSS JOIN LATERAL (SELECT count(*) AS n, sum((technical + communication + punctuality + results) / 4.0)::float8 AS total
                        FROM ratings WHERE provider_id = c.id) r
    CROSS JOIN LATERAL (SELECT count(*) AS n FROM contracts WHERE provider_id = c.id AND status = 'completed') done
), scored AS (
    SELECT v.*,
           (v.rating_average - 1.0) / 4.0 AS rating_value,
           v.completed / (v.completed + p_experience_half) AS experience_value,
           CASE WHEN v.cost_cents <= v.budget_cents THEN 1.0 ELSE v.budget_cents::float8 / v.cost_cents END AS cost_value,
           CASE WHEN NOT v.must_live_in_community OR v.will_live_in_community THEN 1.0 ELSE 0.0 END AS live_in_value,
           CASE WHEN v.preferred_gender IS NULL OR v.preferred_gender = v.gender THEN 1.0 ELSE 0.0 END AS gender_value
    FROM valued v
)
SELECT id, gender, will_live_in_community, distance_km::float8, covered, missing, best_language, best_speaking, exact,
       rating_count, rating_average::float8, completed, cost_cents, budget_cents, must_live_in_community, preferred_gender,
       skills_value::float8, language_value::float8, distance_value::float8, rating_value::float8, experience_value::float8,
       cost_value::float8, live_in_value::float8, gender_value::float8,
       (100 * (p_weights[1] * skills_value + p_weights[2] * language_value + p_weights[3] * distance_value
               + p_weights[4] * rating_value + p_weights[5] * experience_value + p_weights[6] * cost_value
               + p_weights[7] * live_in_value + p_weights[8] * gender_value))::float8 AS score
FROM scored
ORDER BY score DESC, id
LIMIT p_limit
$$;
