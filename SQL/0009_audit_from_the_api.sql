-- The audit trail's before/after are now the record as the API shows it, written by the
-- service's one audit writer (YachaqStore's AuditTrail), for every kind of record alike.
-- The SQL snapshot of a provider, one of four shapes the trail used to have, goes.
DROP FUNCTION provider_snapshot(uuid);
