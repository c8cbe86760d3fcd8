-- The staff directory filters providers by department, province or district of residence:
-- a prefix of the home ubigeo, which this index serves (LIKE '08%', '0812%', '081206%').
CREATE INDEX providers_home_ubigeo_prefix ON providers (home_ubigeo text_pattern_ops);
