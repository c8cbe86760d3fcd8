-- Extensions from postgresql-contrib that the schema relies on.
--   cube + earthdistance: great-circle distance between district capitals
--   pg_trgm + unaccent:   name search that forgives accents and typos
--   btree_gist:           exclusion constraints on (provider, period)
-- IF NOT EXISTS because a DBA may have installed them before the first migration
-- (earthdistance is not a "trusted" extension: on a managed server a superuser must add it).
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The normal form every search compares: lower case, accents removed ("Áncash" -> "ancash").
-- unaccent() is only STABLE because its dictionary could change; naming the dictionary
-- explicitly makes the result depend on the argument alone, so IMMUTABLE is honest here
-- and the function can feed generated columns and indexes.
CREATE FUNCTION search_key(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, value));
