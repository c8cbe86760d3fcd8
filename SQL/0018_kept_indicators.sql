-- Indicators of a scope whose figures took long to compute (all of Peru at national scale,
-- about 3 s over a million contracts), kept to be served at once and recomputed in the
-- background (IndicatorStore+Kept.swift). Derived data, like match_profiles: replaced
-- whole, never audited; a row can be dropped at any time.
CREATE TABLE kept_indicators (
    scope_key text PRIMARY KEY,
    indicators jsonb NOT NULL,
    computed_at timestamptz NOT NULL,
    took_ms integer NOT NULL CHECK (took_ms >= 0)
);
