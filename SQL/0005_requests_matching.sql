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

-- How far the farthest-travelling talent goes: the matching query's first cut (a GiST box
-- of this size around the work) before each talent's own radius is checked.
CREATE INDEX providers_travel_radius ON providers (travel_radius_km);
