-- Bounds on what clients send, and sign-in throttling that a stranger cannot turn against
-- a user.

-- Money and distances within what the domain knows, so that the ranking's arithmetic
-- (rate × days, budget ÷ cost) can never overflow: S/ 10,000 a day, S/ 100 million a
-- request or contract, years 1900–2200.
ALTER TABLE providers ADD CONSTRAINT providers_daily_rate_bound CHECK (daily_rate_cents <= 1000000);
ALTER TABLE service_requests ADD CONSTRAINT service_requests_budget_bound CHECK (budget_cents <= 10000000000);
ALTER TABLE service_requests ADD CONSTRAINT service_requests_period_bound
    CHECK (lower(period) >= DATE '1900-01-01' AND upper(period) <= DATE '2201-01-01');
ALTER TABLE contracts ADD CONSTRAINT contracts_amount_bound CHECK (amount_cents <= 10000000000);
ALTER TABLE contracts ADD CONSTRAINT contracts_period_bound
    CHECK (lower(period) >= DATE '1900-01-01' AND upper(period) <= DATE '2201-01-01');

-- Whether staff set the provider's status last: then only staff change it again (a talent
-- set inactive by staff cannot reactivate itself).
ALTER TABLE providers ADD COLUMN status_set_by_staff boolean NOT NULL DEFAULT false;

-- Failed sign-ins per login *and* client address: a stranger who fails with someone's
-- login blocks only their own address, and the owner still gets in from theirs.
DROP FUNCTION record_login_failure(text);
DROP TABLE login_throttle;

CREATE TABLE sign_in_failures (
    login_key       text NOT NULL,
    client          text NOT NULL,
    failures        integer NOT NULL CHECK (failures BETWEEN 1 AND 1000),
    last_failure_at timestamptz NOT NULL,
    blocked_until   timestamptz,
    PRIMARY KEY (login_key, client)
);
CREATE INDEX sign_in_failures_age ON sign_in_failures (last_failure_at);

-- Counts one failure of this login from this client; returns until when that pair is
-- blocked (NULL: not blocked). Failures decay, one forgiven per quiet 15 minutes; from the
-- 5th remembered failure the block is 30 s, doubling, at most 15 minutes. The upsert's row
-- lock makes concurrent failures count one by one. Rows a day old go, a few per call, so
-- the table holds about a day of failures whatever is sent.
CREATE FUNCTION record_sign_in_failure(key text, from_client text) RETURNS timestamptz
LANGUAGE plpgsql AS $$
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
