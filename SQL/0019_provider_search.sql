-- A provider search near a place for a skill and a language (`GET /v1/providers?near=…&skill=…
-- &language=…`) found every talent in the place's box through providers_home_point, then
-- probed provider_skills and provider_languages for each: 12 ms at 100,000 talents (1,977 in
-- a 50 km box), 153 ms at 1,000,000. Here each talent has one narrow row with its home and
-- its search keys, so that PostgreSQL ANDs the box (GiST) with the keys (GIN) before it reads
-- a single row:
--   skill:<code> for each skill and for each group above it (water.sprinkler → skill:water);
--   lang:<code>:<n> for n = 0 … its speaking level, for the language and its macrolanguage
--   (quz spoken at 3 → lang:quz:0 … lang:quz:3 and lang:que:0 … lang:que:3).
-- Kept with match_profiles: writes mark providers stale and both are refreshed at COMMIT.
CREATE TABLE provider_search (
    provider_id uuid PRIMARY KEY REFERENCES providers (id),
    home_point earth NOT NULL,
    keys text[] NOT NULL
);
CREATE INDEX provider_search_home ON provider_search USING gist (home_point);
CREATE INDEX provider_search_keys ON provider_search USING gin (keys);

CREATE FUNCTION refresh_provider_search(changed uuid[]) RETURNS void
LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan
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

CREATE OR REPLACE FUNCTION match_profiles_refresh_stale() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM match_profiles_stale WHERE provider_id = NEW.provider_id) THEN
        PERFORM refresh_match_profiles(ARRAY(SELECT provider_id FROM match_profiles_stale));
        PERFORM refresh_provider_search(ARRAY(SELECT provider_id FROM match_profiles_stale));
        DELETE FROM match_profiles_stale;
    END IF;
    RETURN NULL;
END
$$;

SELECT refresh_provider_search(array_agg(id)) FROM providers;
