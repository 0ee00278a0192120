-- Kinerja warehouse schema (DuckDB). All timestamps are TIMESTAMP (without zone) holding UTC.
-- Owned by etl/; read by kpi/. A column added here is a contract change: update docs/ARCHITECTURE.md.
-- Versioned: meta.schema_version (etl/migrate.py upgrades older databases; SCHEMA_VERSION there).
-- New columns go at the end of a table, so older databases upgraded in place keep one order.

-- One row per region (Kemendagri kode wilayah: '33' province, '33.74' kab/kota), from the
-- settings presets (kinerja/regions.py). Every fact row, agency and load names one.
CREATE TABLE IF NOT EXISTS regions (
    region_code        VARCHAR PRIMARY KEY,
    name               VARCHAR NOT NULL,
    level              VARCHAR NOT NULL,      -- province | kabupaten | kota | city
    parent_code        VARCHAR,               -- the province of a kab/kota
    timezone           VARCHAR NOT NULL,      -- IANA zone: Asia/Jakarta (WIB), Asia/Makassar ...
    tz_label           VARCHAR,
    population         BIGINT,
    population_source  VARCHAR,
    population_year    INTEGER
);

-- One row per agency (OPD) of a region. agency_id = '<region_code>:<slug>' (globally unique: the
-- same name in two regions is two agencies); '<region_code>:unassigned' holds never-disposed complaints.
CREATE TABLE IF NOT EXISTS agencies (
    agency_id   VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    short_name  VARCHAR,
    region_code VARCHAR NOT NULL
);

-- One row per complaint per source and id scope; the newest export wins.
CREATE TABLE IF NOT EXISTS complaints (
    source              VARCHAR NOT NULL,      -- mapping name: lapor, open311, nyc311, boston311, ...
    complaint_id        VARCHAR NOT NULL,      -- unique within source
    channel             VARCHAR,               -- web, whatsapp, sms, phone, instagram, x, facebook, app, walk-in, lapor, ...
    agency_id           VARCHAR NOT NULL,      -- agency responsible now ('unassigned' if none)
    category            VARCHAR,
    district            VARCHAR,               -- kecamatan
    village             VARCHAR,               -- kelurahan
    lat                 DOUBLE,
    lon                 DOUBLE,
    title               VARCHAR,               -- short text, personal data masked
    body                VARCHAR,               -- only when the mapping keeps bodies (masked)
    reporter_hash       VARCHAR,               -- salted hash of the reporter, for repeat reporters
    created_at          TIMESTAMP NOT NULL,
    first_response_at   TIMESTAMP,
    closed_at           TIMESTAMP,
    status              VARCHAR NOT NULL,      -- open | in_progress | resolved | rejected
    raw_status          VARCHAR,               -- the source's own status text
    has_response_time   BOOLEAN NOT NULL,      -- the source reports first-response times at all
    has_close_time      BOOLEAN NOT NULL,      -- the source reports closing times at all
    closed_at_missing   BOOLEAN NOT NULL DEFAULT FALSE, -- terminal status but no closing time
    response_due_at     TIMESTAMP,             -- the source's own deadline; NULL: kpi/ computes it
    resolution_due_at   TIMESTAMP,             -- the source's own deadline; NULL: kpi/ computes it
    satisfaction        SMALLINT,              -- 1..5 or NULL
    reopen_count        INTEGER NOT NULL DEFAULT 0,
    exported_at         TIMESTAMP,             -- time of the export these values come from
    load_id             BIGINT,
    region_code         VARCHAR NOT NULL,      -- the region whose government owns it (regions)
    id_scope            VARCHAR NOT NULL,      -- where complaint_id is unique: '' national ids
                                               -- (SP4N-LAPOR!), else the region the file was loaded for
    PRIMARY KEY (source, id_scope, complaint_id)
);

-- One row per status change seen across exports.
CREATE TABLE IF NOT EXISTS status_history (
    source        VARCHAR NOT NULL,
    complaint_id  VARCHAR NOT NULL,
    status        VARCHAR NOT NULL,
    raw_status    VARCHAR,
    seen_at       TIMESTAMP NOT NULL,          -- the export's time
    load_id       BIGINT,
    id_scope      VARCHAR NOT NULL             -- as complaints.id_scope
);

-- One row per public-service application (permits, population documents).
CREATE TABLE IF NOT EXISTS services (
    source         VARCHAR NOT NULL,
    service_id     VARCHAR NOT NULL,
    service_type   VARCHAR NOT NULL,
    agency_id      VARCHAR NOT NULL,
    district       VARCHAR,
    channel        VARCHAR,
    submitted_at   TIMESTAMP NOT NULL,
    completed_at   TIMESTAMP,
    status         VARCHAR NOT NULL,           -- open | completed | rejected
    raw_status     VARCHAR,
    standard_days  INTEGER,                    -- published service standard, working days
    due_at         TIMESTAMP,                  -- the source's own due time; NULL: kpi/ computes it
    exported_at    TIMESTAMP,
    load_id        BIGINT,
    region_code    VARCHAR NOT NULL,
    id_scope       VARCHAR NOT NULL,           -- as complaints.id_scope
    PRIMARY KEY (source, id_scope, service_id)
);

-- One row per load attempt (successful or not).
CREATE TABLE IF NOT EXISTS loads (
    load_id       BIGINT PRIMARY KEY,
    source        VARCHAR,
    target        VARCHAR,                     -- complaints | services
    file_name     VARCHAR,
    file_sha256   VARCHAR,
    started_at    TIMESTAMP,
    finished_at   TIMESTAMP,
    outcome       VARCHAR,                     -- loaded | failed
    n_read        BIGINT,
    n_inserted    BIGINT,
    n_updated     BIGINT,
    n_unchanged   BIGINT,
    n_quarantined BIGINT,
    period_start  TIMESTAMP,
    period_end    TIMESTAMP,
    exported_at   TIMESTAMP,
    message       VARCHAR,
    fingerprint   VARCHAR,                     -- what the load depended on (etl/reload.py)
    reasons       VARCHAR,                     -- JSON: quarantined rows per reason
    exported_at_source VARCHAR,                -- where exported_at came from: argument | content | mtime
    n_stale       BIGINT,                      -- of n_unchanged: kept because a newer export wrote them
    region_code   VARCHAR,                     -- the region the file was loaded for (--region)
    loaded_by     VARCHAR                      -- who: the signed-in e-mail, cli:<login name>, demo
);
-- Databases created before the columns above get them here, in this order (region_code is
-- filled by etl/migrate.py).
ALTER TABLE loads ADD COLUMN IF NOT EXISTS fingerprint VARCHAR;
ALTER TABLE loads ADD COLUMN IF NOT EXISTS reasons VARCHAR;
ALTER TABLE loads ADD COLUMN IF NOT EXISTS exported_at_source VARCHAR;
ALTER TABLE loads ADD COLUMN IF NOT EXISTS n_stale BIGINT;
ALTER TABLE loads ADD COLUMN IF NOT EXISTS region_code VARCHAR;
ALTER TABLE loads ADD COLUMN IF NOT EXISTS loaded_by VARCHAR;

-- One row per rejected input row, with the reason and the raw record minus personal data.
CREATE TABLE IF NOT EXISTS quarantine (
    load_id      BIGINT,
    source       VARCHAR,
    file_name    VARCHAR,
    line_no      BIGINT,                       -- 1-based line (CSV) or record number (JSON/XML/XLSX)
    reason       VARCHAR NOT NULL,             -- machine code: unparseable_date, closed_before_created, ...
    column_name  VARCHAR,
    detail       VARCHAR,
    raw          VARCHAR,                      -- JSON of the raw record without personal-data columns
    file_sha256  VARCHAR,                      -- the file's bytes: a copy under another name adds nothing
    region_code  VARCHAR                       -- the region the file was loaded for
);
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS file_sha256 VARCHAR;

-- Key/value facts about the database: city (settings preset), home_region, is_demo, demo_seed,
-- schema_version, ...
CREATE TABLE IF NOT EXISTS meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR
);

-- One row per record deleted on request (python -m etl forget): a later load skips it
-- (quarantine reason 'forgotten', with no raw record or detail).
CREATE TABLE IF NOT EXISTS forgotten (
    source        VARCHAR NOT NULL,
    record_id     VARCHAR NOT NULL,            -- complaint_id or service_id
    region_code   VARCHAR,                     -- NULL: in every region
    forgotten_at  TIMESTAMP NOT NULL
);
