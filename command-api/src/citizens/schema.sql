-- Phone and identity checks of citizens: operational secrets, never in the event log (events carry
-- keyed digests only). In the auth schema, so backups carry them with the other sign-in tables.
CREATE SCHEMA IF NOT EXISTS auth;

-- One row per code sent: the code itself is kept only as an HMAC, and only until it is used or expires.
CREATE TABLE IF NOT EXISTS auth.phone_codes (
  id            bigserial PRIMARY KEY,
  citizen_id    text NOT NULL,
  phone_digest  text NOT NULL,
  code_digest   bytea NOT NULL CHECK (octet_length(code_digest) = 32),
  issued_at     timestamptz NOT NULL,
  attempts      integer NOT NULL DEFAULT 0,
  used_at       timestamptz NULL
);
CREATE INDEX IF NOT EXISTS phone_codes_by_number ON auth.phone_codes (phone_digest, issued_at);
CREATE INDEX IF NOT EXISTS phone_codes_by_citizen ON auth.phone_codes (citizen_id, issued_at);

-- Which citizen a verified number belongs to: a second device that verifies it becomes that citizen.
CREATE TABLE IF NOT EXISTS auth.phone_owners (
  phone_digest  text PRIMARY KEY,
  citizen_id    text NOT NULL,
  verified_at   timestamptz NOT NULL
);

-- Devices recovered through a verified phone: their own device id now opens the owner's session.
CREATE TABLE IF NOT EXISTS auth.citizen_links (
  device_citizen_id  text PRIMARY KEY,
  citizen_id         text NOT NULL,
  linked_at          timestamptz NOT NULL
);

-- One identity document, one citizen: the document number only as an HMAC under its commune's key.
CREATE TABLE IF NOT EXISTS auth.identity_documents (
  document_digest  text PRIMARY KEY,
  citizen_id       text NOT NULL,
  commune_id       text NOT NULL,
  verified_at      timestamptz NOT NULL
);

-- A document shown for a second citizen: refused, and listed for an admin to look into.
CREATE TABLE IF NOT EXISTS auth.identity_conflicts (
  id               bigserial PRIMARY KEY,
  document_digest  text NOT NULL,
  holder_id        text NOT NULL,
  claimant_id      text NOT NULL,
  commune_id       text NOT NULL,
  agent_id         text NOT NULL,
  attempted_at     timestamptz NOT NULL
);

-- The commune's census list, imported by its admin: document numbers only as HMACs under the
-- commune's key (the same digests in-person checks compute), with the quartier where each lives.
CREATE TABLE IF NOT EXISTS auth.census (
  commune_id       text NOT NULL,
  document_digest  text NOT NULL,
  quartier_id      text NULL,
  PRIMARY KEY (commune_id, document_digest)
);

-- The last import of each commune's list: how many entries, when, by whom.
CREATE TABLE IF NOT EXISTS auth.census_imports (
  commune_id   text PRIMARY KEY,
  entries      integer NOT NULL,
  imported_at  timestamptz NOT NULL,
  imported_by  text NOT NULL
);
