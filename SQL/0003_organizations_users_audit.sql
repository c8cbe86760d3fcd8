-- Organisations, users, sign-in sessions, sign-in throttling and the audit trail.

CREATE TABLE organizations (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 2 AND 200),
    kind       text NOT NULL CHECK (kind IN ('community', 'association', 'municipality', 'agency')),
    ubigeo     text NOT NULL REFERENCES districts (ubigeo),
    tax_id     text UNIQUE CHECK (tax_id ~ '^[0-9]{11}$'),
    contact    text CHECK (length(contact) <= 500),
    created_at timestamptz NOT NULL DEFAULT now(),
    name_key   text GENERATED ALWAYS AS (search_key(name)) STORED
);
COMMENT ON COLUMN organizations.tax_id IS 'RUC, 11 digits';
CREATE INDEX organizations_name_key ON organizations (name_key, id);
CREATE INDEX organizations_name_trgm ON organizations USING gin (name_key gin_trgm_ops);
CREATE INDEX organizations_kind ON organizations (kind, name_key, id);

CREATE TABLE users (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    login            text NOT NULL CHECK (login ~ '^[a-z0-9][a-z0-9._@-]{2,63}$'),
    password_hash    text NOT NULL CHECK (password_hash LIKE '$2%'),
    role             text NOT NULL CHECK (role IN ('admin', 'staff', 'municipality', 'community', 'provider')),
    organization_id  uuid REFERENCES organizations (id),
    -- the provider profile a provider user speaks for; its foreign key arrives with the registry
    provider_id      uuid,
    display_language text NOT NULL DEFAULT 'es' CHECK (display_language IN ('es', 'qu', 'en')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    disabled_at      timestamptz,
    CHECK (role NOT IN ('community', 'municipality') OR organization_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_login ON users (login);
CREATE INDEX users_organization ON users (organization_id);

-- Bearer tokens: only their SHA-256 is stored, so a leaked table signs nobody in.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    CHECK (expires_at > created_at)
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins per submitted login (whether or not it exists, so that the answer
-- never tells which logins exist).
CREATE TABLE login_throttle (
    login_key       text PRIMARY KEY,
    failures        integer NOT NULL CHECK (failures > 0),
    last_failure_at timestamptz NOT NULL,
    blocked_until   timestamptz
);

-- Counts one failure and returns until when the login is blocked (NULL: not blocked).
-- From the 5th failure within an hour: 30 s, then 60 s, 120 s, ... up to an hour.
-- The upsert's row lock makes concurrent failures count one by one.
CREATE FUNCTION record_login_failure(key text) RETURNS timestamptz
LANGUAGE plpgsql AS $$
DECLARE
    count integer;
    until timestamptz;
BEGIN
    INSERT INTO login_throttle AS t (login_key, failures, last_failure_at)
    VALUES (key, 1, now())
    ON CONFLICT (login_key) DO UPDATE
        SET failures = CASE WHEN t.last_failure_at < now() - interval '1 hour' THEN 1 ELSE t.failures + 1 END,
            last_failure_at = now()
    RETURNING failures INTO count;
    IF count >= 5 THEN
        until := now() + make_interval(secs => least(3600, 30 * 2 ^ (count - 5)));
        UPDATE login_throttle SET blocked_until = until WHERE login_key = key;
    END IF;
    RETURN until;
END
$$;

-- Every write leaves a row here, in the same transaction as the write.
CREATE TABLE audit_log (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor_id  uuid REFERENCES users (id),
    action    text NOT NULL CHECK (action <> ''),
    entity    text NOT NULL CHECK (entity <> ''),
    entity_id text NOT NULL,
    before    jsonb,
    after     jsonb
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

-- Append-only: no UPDATE, DELETE or TRUNCATE, whoever asks.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
