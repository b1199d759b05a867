-- The transparency log over the event log (RFC 6962 / 9162). Append-only like the log it witnesses:
-- a rewritten leaf or tree head would defeat its purpose, so UPDATE and DELETE are refused.
CREATE SCHEMA IF NOT EXISTS audit;

-- One leaf per event, in commit order; leaf_hash = SHA-256(0x00 || RFC 8785 JSON of the envelope).
CREATE TABLE IF NOT EXISTS audit.leaves (
  leaf_index  bigint PRIMARY KEY CHECK (leaf_index >= 0),
  position    text NOT NULL UNIQUE,
  event_id    text NOT NULL,
  stream_id   text NOT NULL,
  commune_id  text NULL,
  -- metadata.recordedAt: lets a dated export start at its first leaf instead of the log's first.
  recorded_at timestamptz NOT NULL,
  leaf_hash   bytea NOT NULL CHECK (octet_length(leaf_hash) = 32)
);
CREATE INDEX IF NOT EXISTS leaves_event_id ON audit.leaves (event_id);
CREATE INDEX IF NOT EXISTS leaves_recorded_at ON audit.leaves (recorded_at);

-- Hash of every complete perfect subtree above the leaves: node (level, index) covers leaves
-- [index * 2^level, (index + 1) * 2^level). Roots and proofs read O(log² n) of them.
CREATE TABLE IF NOT EXISTS audit.nodes (
  level      smallint NOT NULL CHECK (level BETWEEN 1 AND 62),
  node_index bigint NOT NULL CHECK (node_index >= 0),
  hash       bytea NOT NULL CHECK (octet_length(hash) = 32),
  PRIMARY KEY (level, node_index)
);

CREATE TABLE IF NOT EXISTS audit.tree_heads (
  tree_size  bigint PRIMARY KEY CHECK (tree_size > 0),
  root_hash  bytea NOT NULL CHECK (octet_length(root_hash) = 32),
  -- Exactly the string that was signed (ISO-8601 UTC with milliseconds).
  signed_at  text NOT NULL,
  key_id     text NOT NULL,
  signature  bytea NOT NULL CHECK (octet_length(signature) = 64)
);

-- Public halves of every key that ever signed, so exports name them without the private key.
CREATE TABLE IF NOT EXISTS audit.signing_keys (
  key_id         text PRIMARY KEY,
  public_key_pem text NOT NULL,
  first_used_at  timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'The transparency log is append-only: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END $$;
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['leaves', 'nodes', 'tree_heads', 'signing_keys'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = t || '_append_only' AND tgrelid = ('audit.' || t)::regclass) THEN
      EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON audit.%I FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()', t || '_append_only', t);
    END IF;
  END LOOP;
END $$;

-- Export jobs of the API: progress for the caller, the bundle directory once done.
CREATE TABLE IF NOT EXISTS audit.export_jobs (
  job_id       text PRIMARY KEY,
  requested_by text NOT NULL,
  role         text NOT NULL,
  scope        jsonb NOT NULL,
  formats      text[] NOT NULL,
  status       text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  done         bigint NOT NULL DEFAULT 0,
  total        bigint NOT NULL DEFAULT 0,
  error        text NULL,
  directory    text NULL,
  manifest     jsonb NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz NULL
);
