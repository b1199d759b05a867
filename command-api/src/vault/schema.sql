-- Personal data lives here, never in the event log: events carry a subject id only.
-- Erasing a subject destroys its data key and ciphertext; the tombstone row stays so the subject
-- id keeps meaning "erased" and nothing can be stored under it again.
CREATE SCHEMA IF NOT EXISTS vault;

CREATE TABLE IF NOT EXISTS vault.subjects (
  subject_id  text PRIMARY KEY CHECK (subject_id ~ '^[A-Za-z0-9._:-]{1,120}$'),
  -- The subject's AES-256 data key, sealed with the master key (AES-256-GCM: iv ‖ tag ‖ key).
  wrapped_key bytea NULL,
  -- Which master key sealed it, so a key rotation can rewrap subject by subject.
  key_version integer NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  erased_at   timestamptz NULL,
  CONSTRAINT subjects_key_xor_erased CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);

-- One encrypted JSON document per subject and kind ('contact' today), sealed with the data key.
CREATE TABLE IF NOT EXISTS vault.records (
  subject_id  text NOT NULL REFERENCES vault.subjects (subject_id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
  ciphertext  bytea NOT NULL,
  iv          bytea NOT NULL CHECK (octet_length(iv) = 12),
  tag         bytea NOT NULL CHECK (octet_length(tag) = 16),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject_id, kind)
);
