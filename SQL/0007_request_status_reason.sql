-- Why a buyer cancelled or closed a request (POST /v1/requests/{id}/transitions), for the
-- community and for anyone reading the open data later.
ALTER TABLE service_requests ADD COLUMN status_reason text CHECK (length(status_reason) <= 2000);
