-- Reference data the edge routes with: communes and quartiers (GeoJSON boundaries), categories, teams.
-- Not event-sourced: it is configuration; each routing decision copies what it used into TicketRouted.
CREATE SCHEMA IF NOT EXISTS reference;

CREATE TABLE IF NOT EXISTS reference.communes (
  id text PRIMARY KEY,
  name text NOT NULL,
  division text NOT NULL,
  time_zone text NOT NULL DEFAULT 'Africa/Douala',
  boundary jsonb NOT NULL
);
-- How the commune runs proposals where it departs from the default (domain ProposalPolicySettings).
ALTER TABLE reference.communes ADD COLUMN IF NOT EXISTS proposal_policy jsonb;

CREATE TABLE IF NOT EXISTS reference.quartiers (
  id text PRIMARY KEY,
  commune_id text NOT NULL REFERENCES reference.communes (id),
  name text NOT NULL,
  boundary jsonb NOT NULL
);

CREATE TABLE IF NOT EXISTS reference.categories (
  id text PRIMARY KEY,
  labels jsonb NOT NULL,
  icon text NOT NULL,
  subcategories jsonb NOT NULL,
  sort integer NOT NULL
);

CREATE TABLE IF NOT EXISTS reference.teams (
  id text PRIMARY KEY,
  commune_id text NOT NULL REFERENCES reference.communes (id),
  name text NOT NULL,
  categories text[] NOT NULL
);
