-- Secrets of sign-in; never in the event log (events name a user id, nothing more).
CREATE SCHEMA IF NOT EXISTS auth;

-- One password per staff user; the username is what they type, the user id what events carry.
CREATE TABLE IF NOT EXISTS auth.credentials (
  user_id       text PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,          -- argon2id PHC string: parameters and salt included
  updated_at    timestamptz NOT NULL
);

-- Opaque refresh tokens, stored as sha256 so a copy of this table opens no session.
CREATE TABLE IF NOT EXISTS auth.refresh_tokens (
  token_hash  bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  -- Every token descending from one sign-in; reuse of a spent token revokes the whole family.
  family_id   uuid NOT NULL,
  subject     text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('staff', 'citizen')),
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz NULL,         -- set when exchanged for its successor
  revoked_at  timestamptz NULL
);
CREATE INDEX IF NOT EXISTS refresh_tokens_family ON auth.refresh_tokens (family_id);
CREATE INDEX IF NOT EXISTS refresh_tokens_subject ON auth.refresh_tokens (subject);
CREATE INDEX IF NOT EXISTS refresh_tokens_expiry ON auth.refresh_tokens (expires_at);
