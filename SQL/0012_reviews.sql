-- Staff's performance reviews of providers. Reviews advise; the communities choose. Only a
-- suspension (admin, for misconduct, with a reason) changes anything: the provider leaves
-- matching (its status) until an admin's reinstating review.

ALTER TABLE providers DROP CONSTRAINT providers_status_check;
ALTER TABLE providers ADD CONSTRAINT providers_status_check CHECK (status IN ('active', 'inactive', 'suspended'));

CREATE TABLE provider_reviews (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    provider_id uuid NOT NULL REFERENCES providers (id),
    period      daterange NOT NULL CHECK (NOT isempty(period) AND NOT lower_inf(period) AND NOT upper_inf(period)),
    summary     text NOT NULL CHECK (length(btrim(summary)) BETWEEN 3 AND 5000),
    decision    text NOT NULL CHECK (decision IN ('keep', 'needs_training', 'suspend', 'reinstate')),
    reason      text CHECK (length(reason) <= 2000),
    training    text CHECK (length(training) <= 2000),
    -- The scorecard's figures the review was based on, as staff read them then.
    scorecard   jsonb NOT NULL,
    reviewer_id uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- The provider's answer, kept beside the review.
    answer      text CHECK (length(btrim(answer)) BETWEEN 1 AND 5000),
    answered_at timestamptz,
    CONSTRAINT provider_reviews_suspension_reason CHECK (decision <> 'suspend' OR length(btrim(reason)) > 0),
    CONSTRAINT provider_reviews_training CHECK (decision <> 'needs_training' OR length(btrim(training)) > 0),
    CONSTRAINT provider_reviews_answer_whole CHECK ((answer IS NULL) = (answered_at IS NULL))
);
CREATE INDEX provider_reviews_provider ON provider_reviews (provider_id, created_at);

-- A review is not edited: only its answer is added, once.
CREATE FUNCTION provider_reviews_only_answered() RETURNS trigger
LANGUAGE plpgsql AS $$
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
CREATE TRIGGER provider_reviews_only_answered BEFORE UPDATE ON provider_reviews
    FOR EACH ROW EXECUTE FUNCTION provider_reviews_only_answered();
CREATE TRIGGER provider_reviews_never_deleted BEFORE DELETE ON provider_reviews
    FOR EACH ROW EXECUTE FUNCTION refuse_change_of_history();
