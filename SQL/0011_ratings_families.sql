-- The communities' judgement of finished work, and the families the work serves.

-- How many families a request's work serves (optional), carried into its contract.
ALTER TABLE service_requests ADD COLUMN families integer CHECK (families BETWEEN 1 AND 100000);
ALTER TABLE contracts ADD COLUMN families integer CHECK (families BETWEEN 1 AND 100000);

-- A rating is the contracting organisation's, once per contract (the primary key), after the
-- work ended. Its scores, comment and targets never change; staff may hide an abusive
-- comment once, saying why (the comment stays, for the audit trail's sake).
ALTER TABLE ratings
    ADD COLUMN would_hire_again      boolean,
    ADD COLUMN targets               jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(targets) = 'array'),
    ADD COLUMN rated_by              uuid REFERENCES users (id),
    ADD COLUMN comment_hidden_reason text CHECK (length(btrim(comment_hidden_reason)) BETWEEN 3 AND 2000),
    ADD COLUMN comment_hidden_by     uuid REFERENCES users (id),
    ADD COLUMN comment_hidden_at     timestamptz,
    ADD CONSTRAINT ratings_hiding_whole CHECK ((comment_hidden_reason IS NULL) = (comment_hidden_at IS NULL));

CREATE FUNCTION ratings_keep_their_judgement() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.contract_id, NEW.provider_id, NEW.organization_id, NEW.technical, NEW.communication, NEW.punctuality, NEW.results,
        NEW.comment, NEW.would_hire_again, NEW.targets, NEW.rated_by, NEW.created_at)
       IS DISTINCT FROM
       (OLD.contract_id, OLD.provider_id, OLD.organization_id, OLD.technical, OLD.communication, OLD.punctuality, OLD.results,
        OLD.comment, OLD.would_hire_again, OLD.targets, OLD.rated_by, OLD.created_at)
       OR OLD.comment_hidden_at IS NOT NULL THEN
        RAISE EXCEPTION 'a rating is not edited; only its comment may be hidden, once'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ratings_keep_their_judgement';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER ratings_keep_their_judgement BEFORE UPDATE ON ratings FOR EACH ROW EXECUTE FUNCTION ratings_keep_their_judgement();
CREATE TRIGGER ratings_never_deleted BEFORE DELETE ON ratings FOR EACH ROW EXECUTE FUNCTION refuse_change_of_history();
