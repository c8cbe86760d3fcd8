-- Contracts grow into the money half of the market: funding lines that add up to the
-- amount, milestones, a recorded transition per change of status, amendments as rows of
-- their own, append-only payments that can never exceed what was agreed, and idempotency
-- keys so a retried payment is written once.

-- Any of these tables keeps its rows for good: no UPDATE, DELETE or TRUNCATE, whoever asks.
CREATE FUNCTION refuse_change_of_history() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Matching reads a contract's provider, days, exclusivity and status: only a change of one
-- of those marks the provider's profile stale (a payment moving paid_cents does not).
DROP TRIGGER contracts_update_match_profiles ON contracts;
CREATE FUNCTION match_profiles_mark_contract_stale() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO match_profiles_stale VALUES (NEW.provider_id), (OLD.provider_id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER contracts_update_match_profiles AFTER UPDATE ON contracts FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.period IS DISTINCT FROM NEW.period
          OR OLD.exclusive IS DISTINCT FROM NEW.exclusive OR OLD.provider_id IS DISTINCT FROM NEW.provider_id)
    EXECUTE FUNCTION match_profiles_mark_contract_stale();

-- Where the work is done (the request's district, or the buyer's), so contracts can be
-- filtered by place; what has been paid so far, kept by the payments trigger below.
ALTER TABLE contracts
    ADD COLUMN application_id uuid REFERENCES applications (id),
    ADD COLUMN scope text NOT NULL DEFAULT '' CHECK (length(scope) <= 5000),
    ADD COLUMN ubigeo text REFERENCES districts (ubigeo),
    ADD COLUMN paid_cents bigint NOT NULL DEFAULT 0,
    ADD COLUMN created_by uuid REFERENCES users (id),
    ADD CONSTRAINT contracts_paid_within CHECK (paid_cents BETWEEN 0 AND amount_cents);
UPDATE contracts c SET ubigeo = coalesce((SELECT r.ubigeo FROM service_requests r WHERE r.id = c.request_id),
                                         (SELECT o.ubigeo FROM organizations o WHERE o.id = c.organization_id));
ALTER TABLE contracts ALTER COLUMN ubigeo SET NOT NULL;
-- One contract per selected application.
CREATE UNIQUE INDEX contracts_one_per_application ON contracts (application_id) WHERE status <> 'cancelled';
CREATE INDEX contracts_organization ON contracts (organization_id, created_at DESC, id DESC);
CREATE INDEX contracts_created ON contracts (created_at DESC, id DESC);

-- Who pays which share: a public transfer, the municipality, the community's counterpart in
-- cash or in kind. A line re-balanced away by an amendment keeps its row at 0.
CREATE TABLE contract_funding (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_id            uuid NOT NULL REFERENCES contracts (id),
    source_organization_id uuid NOT NULL REFERENCES organizations (id),
    kind                   text NOT NULL
                           CHECK (kind IN ('public_transfer', 'municipal', 'counterpart_cash', 'counterpart_in_kind')),
    amount_cents           bigint NOT NULL CHECK (amount_cents BETWEEN 0 AND 10000000000),
    paid_cents             bigint NOT NULL DEFAULT 0,
    position               smallint NOT NULL,
    CONSTRAINT contract_funding_paid_within CHECK (paid_cents BETWEEN 0 AND amount_cents),
    UNIQUE (contract_id, source_organization_id, kind),
    UNIQUE (id, contract_id)
);

-- The funding of a contract adds up to its amount, checked when the transaction commits so
-- that a contract and its lines, or an amendment of both, may be written in any order.
CREATE FUNCTION check_funding_adds_up() RETURNS trigger
LANGUAGE plpgsql AS $$
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
CREATE CONSTRAINT TRIGGER contract_funding_adds_up AFTER INSERT OR UPDATE OF amount_cents ON contracts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_funding_adds_up();
CREATE CONSTRAINT TRIGGER contract_funding_adds_up AFTER INSERT OR UPDATE OF amount_cents ON contract_funding
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_funding_adds_up();

-- What the buyer expects by when; met or not met later, with the day and a note.
CREATE TABLE contract_milestones (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_id uuid NOT NULL REFERENCES contracts (id),
    position    smallint NOT NULL,
    title       text NOT NULL CHECK (length(btrim(title)) BETWEEN 2 AND 300),
    due_on      date NOT NULL CHECK (due_on BETWEEN DATE '1900-01-01' AND DATE '2200-12-31'),
    status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'met', 'not_met')),
    decided_on  date CHECK (decided_on BETWEEN DATE '1900-01-01' AND DATE '2200-12-31'),
    note        text CHECK (length(note) <= 2000),
    CHECK ((status = 'pending') = (decided_on IS NULL)),
    UNIQUE (contract_id, position)
);

-- Every change of a contract's status, its creation (from NULL) included: who, when, why.
CREATE TABLE contract_transitions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    contract_id uuid NOT NULL REFERENCES contracts (id),
    from_status text,
    to_status   text NOT NULL,
    reason      text CHECK (length(reason) <= 2000),
    actor_id    uuid REFERENCES users (id),
    at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT contract_transitions_termination_reason CHECK (to_status <> 'terminated' OR length(btrim(reason)) > 0)
);
CREATE INDEX contract_transitions_contract ON contract_transitions (contract_id, id);

-- A change of the agreed terms, with the terms before and after it.
CREATE TABLE contract_amendments (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_id        uuid NOT NULL REFERENCES contracts (id),
    reason             text NOT NULL CHECK (length(btrim(reason)) BETWEEN 3 AND 2000),
    ends_on_before     date NOT NULL,
    ends_on_after      date NOT NULL,
    amount_before      bigint NOT NULL,
    amount_after       bigint NOT NULL,
    funding_before     jsonb NOT NULL,
    funding_after      jsonb NOT NULL,
    actor_id           uuid REFERENCES users (id),
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contract_amendments_contract ON contract_amendments (contract_id, created_at);

-- Money paid against a funding line of a contract. A correction is a negative row naming
-- the payment it corrects; nothing is updated or deleted.
CREATE TABLE payments (
    id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_id           uuid NOT NULL REFERENCES contracts (id),
    funding_id            uuid NOT NULL,
    amount_cents          bigint NOT NULL CHECK (amount_cents <> 0 AND abs(amount_cents) <= 10000000000),
    paid_on               date NOT NULL CHECK (paid_on BETWEEN DATE '1900-01-01' AND DATE '2200-12-31'),
    method                text NOT NULL
                          CHECK (method IN ('cash', 'bank_transfer', 'banco_de_la_nacion', 'mobile_wallet', 'in_kind')),
    payer_organization_id uuid NOT NULL REFERENCES organizations (id),
    reference             text CHECK (length(reference) <= 200),
    corrects_payment_id   uuid REFERENCES payments (id),
    recorded_by           uuid REFERENCES users (id),
    created_at            timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (funding_id, contract_id) REFERENCES contract_funding (id, contract_id),
    CONSTRAINT payments_correction_shape CHECK ((amount_cents > 0) = (corrects_payment_id IS NULL))
);
CREATE INDEX payments_contract ON payments (contract_id, created_at, id);
CREATE INDEX payments_corrections ON payments (corrects_payment_id) WHERE corrects_payment_id IS NOT NULL;

-- A payment moves the paid totals of its contract and its funding line, whose CHECKs
-- (contracts_paid_within, contract_funding_paid_within) refuse more than agreed or less than
-- nothing. The UPDATE's row lock makes concurrent payments of one contract add up one by one,
-- whichever service instance writes them. A correction undoes at most what its payment paid,
-- on the same line.
CREATE FUNCTION count_payment() RETURNS trigger
LANGUAGE plpgsql AS $$
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
CREATE TRIGGER payments_counted AFTER INSERT ON payments FOR EACH ROW EXECUTE FUNCTION count_payment();

CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_history();
CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON payments
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_of_history();
CREATE TRIGGER contract_transitions_append_only BEFORE UPDATE OR DELETE ON contract_transitions
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_history();
CREATE TRIGGER contract_amendments_append_only BEFORE UPDATE OR DELETE ON contract_amendments
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_history();

-- An Idempotency-Key of a money-moving write, per organisation (a user without one: per
-- user). The primary key makes a retry racing its original wait for it, then find it.
CREATE TABLE idempotency_keys (
    scope      uuid NOT NULL,
    key        text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request    jsonb NOT NULL,
    payment_id uuid REFERENCES payments (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
