-- Proposals as residents list them (public, except hidden ones), and who supports each (a
-- citizen once; the count of a proposal includes the supporters of those merged into it, once each).
CREATE TABLE proposals (
  id text PRIMARY KEY,
  commune_id text NOT NULL,
  status text NOT NULL,
  title text NOT NULL,
  description text NOT NULL,
  category text NOT NULL,
  quartier_id text,
  lat double precision,
  lon double precision,
  media_ids text[] NOT NULL,
  author_kind text NOT NULL,
  author_citizen_id text,
  author_group text,
  cost_estimate bigint,
  answer_state text,
  answer_text json,
  answer_cost bigint,
  answered_at timestamptz,
  first_answered_at timestamptz,
  merged_into text,
  flags integer NOT NULL,
  supports integer NOT NULL,
  -- When the support count first reached the commune's threshold: the answer is due from then.
  threshold_reached_at timestamptz,
  submitted_at timestamptz NOT NULL,
  revision integer NOT NULL,
  -- The proposal folded by the domain's own evolve.
  state json NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX proposals_by_commune_newest ON proposals (commune_id, submitted_at DESC, id DESC);
CREATE INDEX proposals_by_commune_supports ON proposals (commune_id, supports DESC, id DESC);
CREATE INDEX proposals_by_place ON proposals (commune_id, lat, lon);

CREATE TABLE proposal_supports (
  proposal_id text NOT NULL,
  citizen_id text NOT NULL,
  active boolean NOT NULL,
  supported_at timestamptz NOT NULL,
  PRIMARY KEY (proposal_id, citizen_id)
);
