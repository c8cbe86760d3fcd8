-- Reference data shipped with the project (SQL/data/, provenance in SQL/data/README.md).
-- "\copy ... from 'file'" lines are read by the migrator (and by psql) from this folder.

CREATE TABLE districts (
    ubigeo      text PRIMARY KEY CHECK (ubigeo ~ '^[0-9]{6}$'),
    department  text NOT NULL CHECK (department <> ''),
    province    text NOT NULL CHECK (province <> ''),
    district    text NOT NULL CHECK (district <> ''),
    capital     text NOT NULL CHECK (capital <> ''),
    latitude    double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude   double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    altitude_m  double precision NOT NULL,
    search_text text GENERATED ALWAYS AS (search_key(district || ' ' || province || ' ' || department)) STORED
);
COMMENT ON TABLE districts IS 'INEI UBIGEO districts of Peru; coordinates are those of the district capital';

\copy districts (ubigeo, department, province, district, capital, latitude, longitude, altitude_m) from 'data/peru_districts.csv' with (format csv, header true)

CREATE INDEX districts_search_text_trgm ON districts USING gin (search_text gin_trgm_ops);
CREATE INDEX districts_department_key ON districts (search_key(department));
CREATE INDEX districts_location ON districts USING gist (ll_to_earth(latitude, longitude));

CREATE TABLE languages (
    code          text PRIMARY KEY CHECK (code ~ '^[a-z]{3}$'),
    name_en       text NOT NULL,
    name_es       text NOT NULL,
    macrolanguage text REFERENCES languages (code),
    scope         text NOT NULL CHECK (scope IN ('M', 'I')),
    area          text NOT NULL CHECK (area IN ('andina', 'amazónica', 'nacional')),
    regions       text,
    sources       text,
    name_qu       text,
    CHECK (macrolanguage IS NULL OR macrolanguage <> code)
);
COMMENT ON TABLE languages IS 'ISO 639-3 languages a technician may speak in Peru; Quechua varieties hang under the macrolanguage que';

\copy languages (code, name_en, name_es, macrolanguage, scope, area, regions, sources) from 'data/languages_pe.csv' with (format csv, header true)

CREATE INDEX languages_macrolanguage ON languages (macrolanguage);

-- Names in Quechua for the languages people name most often in the highlands.
UPDATE languages SET name_qu = v.name_qu
FROM (VALUES ('que', 'Runasimi'),
             ('spa', 'Kastilla simi'),
             ('aym', 'Aymara simi'),
             ('ayr', 'Aymara simi')) AS v (code, name_qu)
WHERE languages.code = v.code;

CREATE TABLE skills (
    code    text PRIMARY KEY CHECK (code ~ '^[a-z_]+(\.[a-z_]+)?$'),
    parent  text REFERENCES skills (code),
    name_es text NOT NULL CHECK (name_es <> ''),
    name_qu text NOT NULL CHECK (name_qu <> ''),
    name_en text NOT NULL CHECK (name_en <> ''),
    -- two levels: groups have no parent, a skill's code starts with its group's code
    CHECK ((parent IS NULL AND code !~ '\.') OR (parent IS NOT NULL AND code LIKE parent || '.%'))
);
COMMENT ON TABLE skills IS 'The project''s skills taxonomy: groups (no parent) and skills, named in es/qu/en';

\copy skills (code, parent, name_es, name_qu, name_en) from 'data/skills.csv' with (format csv, header true)
