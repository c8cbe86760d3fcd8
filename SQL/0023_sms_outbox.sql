-- SMS through a gateway (issue 29). Every text Yachaq sends is a row of `sms_outbox`, written
-- in the same transaction as the event that causes it (never sent for a write that rolled
-- back, never lost for one that committed); a dispatcher in each `yachaq serve` claims due
-- rows with FOR UPDATE SKIP LOCKED, so that several processes share the work and no row is
-- handed to the gateway twice by two of them.

-- A notification that asks for an answer (an invitation) carries a short code to answer it
-- by SMS. A code is live for a while and never live twice at once for the same person: the
-- constraint, not the code's generator, keeps two concurrent invitations apart.
ALTER TABLE notifications
    ADD COLUMN code text CHECK (code ~ '^[0-9]{4}$'),
    ADD COLUMN code_valid tstzrange,
    ADD CONSTRAINT notifications_code_has_its_time CHECK ((code IS NULL) = (code_valid IS NULL)),
    ADD CONSTRAINT notifications_one_live_code EXCLUDE USING gist (user_id WITH =, code WITH =, code_valid WITH &&)
        WHERE (code IS NOT NULL);
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('invited', 'applied', 'answered'));

-- A technician's answer to an invitation, by SMS or on the page; declining also withdraws.
ALTER TABLE applications
    ADD COLUMN invitation_answer text CHECK (invitation_answer IN ('accepted', 'declined')),
    ADD CONSTRAINT applications_only_invitations_are_answered CHECK (invitation_answer IS NULL OR invited);

-- One text to one number. `kind` and `params` name its words (`sms.<kind>` in the translation
-- tables); they are said in the recipient's language when the text is sent, and `body` keeps
-- what was sent. `next_attempt_at` is when it is due: for a queued row, its first or next try
-- (backoff after a failure); for a row being sent, when its claim lapses, so that a process
-- that died while sending leaves it to another.
CREATE TABLE sms_outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         uuid REFERENCES users (id),
    phone           text NOT NULL CHECK (phone ~ '^\+519[0-9]{8}$'),
    notification_id bigint UNIQUE REFERENCES notifications (id),
    kind            text NOT NULL CHECK (kind ~ '^[a-z_.]{1,40}$'),
    params          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
    status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 100),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    body            text CHECK (length(body) BETWEEN 1 AND 1000),
    last_error      text CHECK (length(last_error) <= 500),
    sent_at         timestamptz,
    delivered_at    timestamptz,
    -- The gateway's last delivery report (Kannel's type: 1 delivered, 2 failed, 4 queued at the
    -- carrier, 8 accepted by the carrier, 16 refused by the carrier).
    report          smallint CHECK (report IN (1, 2, 4, 8, 16)),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sms_outbox_sent_says_what CHECK (status NOT IN ('sent', 'delivered') OR (sent_at IS NOT NULL AND body IS NOT NULL)),
    CONSTRAINT sms_outbox_delivered_when CHECK (status <> 'delivered' OR delivered_at IS NOT NULL),
    CONSTRAINT sms_outbox_failed_why CHECK (status <> 'failed' OR last_error IS NOT NULL)
);
CREATE INDEX sms_outbox_due ON sms_outbox (next_attempt_at, id) WHERE status IN ('queued', 'sending');
-- The per-recipient rate limit counts what went to a number in the last hour.
CREATE INDEX sms_outbox_sent_to ON sms_outbox (phone, sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX sms_outbox_by_status ON sms_outbox (status, id DESC);

-- Every text that came in through the gateway and what it did. The gateway's message id is
-- unique, so a replayed message is refused by the database however many processes hear it.
CREATE TABLE sms_inbound (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    gateway_id  text NOT NULL UNIQUE CHECK (length(gateway_id) BETWEEN 1 AND 100),
    phone       text NOT NULL CHECK (length(phone) BETWEEN 1 AND 30),
    text        text NOT NULL CHECK (length(text) <= 1000),
    user_id     uuid REFERENCES users (id),
    -- What it did: `accepted`, `declined`, `stopped`, `help`, `unknown_sender`, `no_such_code`.
    outcome     text NOT NULL CHECK (outcome ~ '^[a-z_]{1,40}$'),
    received_at timestamptz NOT NULL DEFAULT now()
);
