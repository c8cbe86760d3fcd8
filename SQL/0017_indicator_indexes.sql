-- Indicators at national scale (1,000,000 contracts). The median days from a request to its
-- first signed contract looked up each request's contracts by a full scan (2.9 s for 50
-- requests); a place's figures read its contracts by district and start.
CREATE INDEX contracts_request ON contracts (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX contracts_place ON contracts (ubigeo, lower(period));
