-- What Yachaq tells its users (issue 29), first in the list each user reads in Yachaq; SMS
-- through the gateway build on these rows. A notification is written in the same transaction
-- as the event that causes it: never one for a write that rolled back, never one lost for a
-- write that committed.

-- How a user is reached: a Peruvian mobile (E.164: +51 and nine digits from 9) and whether
-- SMS are wanted (never without a number). The language is `display_language`.
ALTER TABLE users
    ADD COLUMN phone text CHECK (phone ~ '^\+519[0-9]{8}$'),
    ADD COLUMN sms boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT users_sms_needs_a_phone CHECK (NOT sms OR phone IS NOT NULL);

-- One row per recipient: the kind names its words (`notify.<kind>` in the translation
-- tables), `params` the values they take, so that each reader gets them in their language.
CREATE TABLE notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id),
    kind       text NOT NULL CHECK (kind IN ('invited', 'applied')),
    params     jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
    -- What it is about, for a link: an application, a request, a contract, a payment.
    subject    uuid,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
