-- Services remember who a token signs in for a few seconds (SignInCache) and forget it the
-- moment anything that decides it changes: a session revoked, a user disabled, their
-- password, provider link or language changed, an organisation disabled or enabled.
-- Statement-level, so one UPDATE of many rows sends one notification; NOTIFY is sent at
-- COMMIT and not at all on ROLLBACK, and PostgreSQL folds identical ones in a transaction.
CREATE FUNCTION notify_sign_ins_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('yachaq_sign_ins', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER sessions_notify_sign_ins AFTER UPDATE OR DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION notify_sign_ins_changed();
CREATE TRIGGER users_notify_sign_ins AFTER UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION notify_sign_ins_changed();
CREATE TRIGGER organizations_notify_sign_ins AFTER UPDATE OF disabled_at OR DELETE ON organizations
    FOR EACH STATEMENT EXECUTE FUNCTION notify_sign_ins_changed();
