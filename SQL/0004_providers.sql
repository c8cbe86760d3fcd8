-- The local-talent registry: providers, their languages and skills, certifications and
-- the trainer -> trainee lineage.

CREATE TABLE providers (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    full_name              text NOT NULL CHECK (length(btrim(full_name)) BETWEEN 2 AND 200),
    kind                   text NOT NULL CHECK (kind IN ('yachaq', 'yachachiq', 'tecnico', 'profesional')),
    gender                 text NOT NULL CHECK (gender IN ('female', 'male', 'other')),
    birth_year             integer CHECK (birth_year BETWEEN 1900 AND 2100),
    national_id            text UNIQUE CHECK (national_id ~ '^[0-9]{8}$'),
    phone                  text CHECK (phone ~ '^\+?[0-9]{6,15}$'),
    bio                    text CHECK (length(bio) <= 2000),
    home_ubigeo            text NOT NULL REFERENCES districts (ubigeo),
    daily_rate_cents       bigint NOT NULL CHECK (daily_rate_cents >= 0),
    travel_radius_km       integer NOT NULL CHECK (travel_radius_km BETWEEN 0 AND 2000),
    will_live_in_community boolean NOT NULL DEFAULT false,
    status                 text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    consent_to_publish     boolean NOT NULL DEFAULT false,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    name_key               text GENERATED ALWAYS AS (search_key(full_name)) STORED,
    -- The home district capital on the earth, kept by a trigger from districts so that
    -- distance search can use a GiST index instead of joining for every row.
    home_point             earth NOT NULL
);
COMMENT ON COLUMN providers.national_id IS 'DNI, 8 digits: shown to staff, admin and the provider only';
COMMENT ON COLUMN providers.daily_rate_cents IS 'PEN céntimos per day';

CREATE FUNCTION providers_set_home_point() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT ll_to_earth(latitude, longitude) INTO NEW.home_point FROM districts WHERE ubigeo = NEW.home_ubigeo;
    IF NEW.home_point IS NULL THEN
        RAISE foreign_key_violation USING MESSAGE = 'no district has ubigeo ' || NEW.home_ubigeo,
            CONSTRAINT = 'providers_home_ubigeo_fkey';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER providers_home_point BEFORE INSERT OR UPDATE OF home_ubigeo ON providers
    FOR EACH ROW EXECUTE FUNCTION providers_set_home_point();

-- Search indexes (see ProviderStore.search for which filter uses which).
CREATE INDEX providers_home_point ON providers USING gist (home_point);
CREATE INDEX providers_name_trgm ON providers USING gin (name_key gin_trgm_ops);
CREATE INDEX providers_name_order ON providers (name_key, id);
CREATE INDEX providers_kind_gender ON providers (kind, gender) WHERE status = 'active';

CREATE TABLE provider_languages (
    provider_id   uuid NOT NULL REFERENCES providers (id),
    language_code text NOT NULL REFERENCES languages (code),
    speaking      smallint NOT NULL CHECK (speaking BETWEEN 0 AND 4),
    understanding smallint NOT NULL CHECK (understanding BETWEEN 0 AND 4),
    reading       smallint NOT NULL CHECK (reading BETWEEN 0 AND 4),
    writing       smallint NOT NULL CHECK (writing BETWEEN 0 AND 4),
    can_teach     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (provider_id, language_code)
);
CREATE INDEX provider_languages_by_language ON provider_languages (language_code, speaking, provider_id);

CREATE TABLE provider_skills (
    provider_id uuid NOT NULL REFERENCES providers (id),
    skill_code  text NOT NULL REFERENCES skills (code),
    level       smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
    years       smallint NOT NULL CHECK (years BETWEEN 0 AND 80),
    PRIMARY KEY (provider_id, skill_code)
);
CREATE INDEX provider_skills_by_skill ON provider_skills (skill_code text_pattern_ops, provider_id);

CREATE TABLE certifications (
    id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    provider_id               uuid NOT NULL REFERENCES providers (id),
    skill_code                text NOT NULL REFERENCES skills (code),
    certifier_organization_id uuid NOT NULL REFERENCES organizations (id),
    issued_on                 date NOT NULL,
    valid_until               date CHECK (valid_until >= issued_on),
    created_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX certifications_provider ON certifications (provider_id, issued_on);

CREATE TABLE trainings (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    trainer_id      uuid REFERENCES providers (id),
    trainee_id      uuid NOT NULL REFERENCES providers (id),
    skill_code      text NOT NULL REFERENCES skills (code),
    organization_id uuid REFERENCES organizations (id),
    held_on         date NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (trainer_id <> trainee_id)
);
CREATE INDEX trainings_trainer ON trainings (trainer_id);
CREATE INDEX trainings_trainee ON trainings (trainee_id);

-- A provider user speaks for one provider profile, and a profile has at most one user.
ALTER TABLE users ADD FOREIGN KEY (provider_id) REFERENCES providers (id);
CREATE UNIQUE INDEX users_provider ON users (provider_id) WHERE provider_id IS NOT NULL;

-- The provider as the audit trail records it: the row, its languages and its skills.
CREATE FUNCTION provider_snapshot(provider uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT to_jsonb(p) - 'name_key' - 'home_point' - 'search_skills' - 'search_languages' -- derived, see 0005
        || jsonb_build_object(
            'languages', coalesce((SELECT jsonb_agg(to_jsonb(l) - 'provider_id' ORDER BY l.language_code) FROM provider_languages l WHERE l.provider_id = p.id), '[]'),
            'skills', coalesce((SELECT jsonb_agg(to_jsonb(s) - 'provider_id' ORDER BY s.skill_code) FROM provider_skills s WHERE s.provider_id = p.id), '[]'))
    FROM providers p WHERE p.id = provider
$$;
