-- Consultations as residents and staff list them, their ballots and their running tally.
-- Ballots name the voter by the consultation's pseudonym only, never a citizen id.
CREATE TABLE consultations (
  id text PRIMARY KEY,
  commune_id text NOT NULL,
  status text NOT NULL,
  title_fr text NOT NULL,
  title_en text NOT NULL,
  quartier_ids text[],
  required_level text NOT NULL,
  opens_at timestamptz NOT NULL,
  closes_at timestamptz NOT NULL,
  results_visibility text NOT NULL,
  revision integer NOT NULL,
  -- Where its close sits in the log: ballots after it (decided just before, appended just after) are not counted.
  closed_commit bigint,
  closed_prepare bigint,
  -- The consultation folded by the domain's own evolve (json: stored and handed back whole).
  state json NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX consultations_by_commune ON consultations (commune_id, opens_at DESC);

CREATE TABLE consultation_ballots (
  event_id text PRIMARY KEY,
  -- 10 Crockford characters of the SHA-256 of the event id: what the voter keeps.
  receipt text NOT NULL,
  consultation_id text NOT NULL,
  ballot_id text NOT NULL,
  pseudonym text NOT NULL,
  quartier_id text,
  channel text NOT NULL,
  answers json NOT NULL,
  cast_at timestamptz NOT NULL,
  log_commit bigint NOT NULL,
  log_prepare bigint NOT NULL
);
CREATE UNIQUE INDEX consultation_ballots_by_receipt ON consultation_ballots (receipt);
CREATE INDEX consultation_ballots_in_order ON consultation_ballots (consultation_id, log_commit, log_prepare);

-- The ballot that counts for each voter (rule 1: before the close, the first paper one, else the
-- last online one), kept as ballots come so a new one only takes back the voter's previous one.
CREATE TABLE consultation_counted (
  consultation_id text NOT NULL,
  pseudonym text NOT NULL,
  event_id text NOT NULL,
  quartier_id text,
  channel text NOT NULL,
  answers json NOT NULL,
  PRIMARY KEY (consultation_id, pseudonym)
);

CREATE TABLE consultation_results (
  consultation_id text PRIMARY KEY,
  -- The running count over the counted ballots (the domain's TallyCounts) and the results it gives.
  counts json NOT NULL,
  results json NOT NULL,
  ballots integer NOT NULL,
  -- The log position the tally was computed at.
  position text NOT NULL,
  updated_at timestamptz NOT NULL
);
