-- Read models of the ticket log. Runs with search_path set to the target schema (`read`, or
-- `read_next` during a rebuild), so every name here is unqualified on purpose.

-- Communes known to the read side; the time zone decides which calendar day an event falls on.
CREATE TABLE communes (
  id text PRIMARY KEY,
  name text NOT NULL,
  time_zone text NOT NULL
);

-- Current state of each ticket. `state` is the domain's Ticket, folded with the domain's evolve;
-- every other column is derived from it.
CREATE TABLE tickets (
  id text PRIMARY KEY,
  commune_id text,
  quartier_id text,
  category text,
  subcategory text,
  status text NOT NULL,
  priority text NOT NULL,
  -- Sorting by priority means by urgency, not alphabetically.
  priority_rank smallint GENERATED ALWAYS AS (
    CASE priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 WHEN 'low' THEN 1 ELSE 0 END
  ) STORED,
  team_id text,
  agent_id text,
  lat double precision,
  lon double precision,
  accuracy double precision,
  landmark text,
  description text,
  media_ids text[] NOT NULL DEFAULT '{}',
  reporter_id text,
  contact_subject_id text,
  anonymous boolean NOT NULL DEFAULT false,
  confidential boolean NOT NULL DEFAULT false,
  channel text,
  confirmations integer NOT NULL DEFAULT 0,
  dispute_count integer NOT NULL DEFAULT 0,
  reported_at timestamptz,
  acknowledged_at timestamptz,
  assigned_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  rejected_at timestamptz,
  rejection_reason text,
  ack_due_at timestamptz,
  resolve_due_at timestamptz,
  -- First instant the ticket is past an SLA deadline given its milestones so far (null: kept every
  -- promise). Breach itself is not stored: it is `now() > breach_at`, computed by the queries.
  breach_at timestamptz,
  duplicate_of text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  revision integer NOT NULL,
  position text NOT NULL,
  state jsonb NOT NULL,
  search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig, coalesce(description, '') || ' ' || coalesce(landmark, ''))
  ) STORED
);

-- The console grid: one commune, optional status/category/team, newest first, keyset on (sort, id).
CREATE INDEX tickets_commune_reported ON tickets (commune_id, reported_at DESC, id DESC);
CREATE INDEX tickets_commune_status_reported ON tickets (commune_id, status, reported_at DESC, id DESC);
CREATE INDEX tickets_commune_category_reported ON tickets (commune_id, category, reported_at DESC, id DESC);
CREATE INDEX tickets_commune_team_reported ON tickets (commune_id, team_id, reported_at DESC, id DESC);
CREATE INDEX tickets_commune_updated ON tickets (commune_id, updated_at DESC, id DESC);
CREATE INDEX tickets_commune_priority ON tickets (commune_id, priority_rank DESC, id DESC);
CREATE INDEX tickets_agent ON tickets (agent_id) WHERE agent_id IS NOT NULL;
CREATE INDEX tickets_commune_breach ON tickets (commune_id, breach_at) WHERE breach_at IS NOT NULL;
-- Map viewport as plain float comparisons: they are leakproof, so the planner may use this index
-- under row-level security (geometric and full-text operators are not, so their indexes go unused
-- behind RLS; the GIN index still serves national-scope and maintenance queries).
CREATE INDEX tickets_commune_location ON tickets (commune_id, lat, lon);
CREATE INDEX tickets_search ON tickets USING gin (search);
CREATE INDEX tickets_reporter ON tickets (reporter_id) WHERE reporter_id IS NOT NULL;

-- One readable line per event; `summary` is a stable key the clients translate, `summary_data` its values.
-- `visibility`: public rows are the history a citizen sees; internal rows are for staff only.
CREATE TABLE ticket_timeline (
  ticket_id text NOT NULL,
  revision integer NOT NULL,
  commune_id text,
  position text NOT NULL,
  event_id text NOT NULL,
  event_type text NOT NULL,
  summary text NOT NULL,
  summary_data jsonb NOT NULL,
  -- Staff-only details of the same event (agents, previous assignees, routing rule).
  internal_data jsonb NOT NULL,
  -- Null when the actor is a citizen on an anonymous ticket.
  actor_id text,
  actor_role text NOT NULL,
  at timestamptz NOT NULL,
  visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
  PRIMARY KEY (ticket_id, revision)
);
CREATE INDEX ticket_timeline_commune_at ON ticket_timeline (commune_id, at DESC);

-- "Me too": who confirmed what; the count on tickets comes from the domain state.
CREATE TABLE ticket_confirmations (
  ticket_id text NOT NULL,
  citizen_id text NOT NULL,
  commune_id text,
  confirmed_at timestamptz NOT NULL,
  PRIMARY KEY (ticket_id, citizen_id)
);
CREATE INDEX ticket_confirmations_citizen ON ticket_confirmations (citizen_id, confirmed_at DESC);

-- Per-ticket milestones and durations, with the commune-local day of each milestone. Daily stats
-- are computed from these rows (not kept as counters) so medians are exact and a re-categorised
-- or disputed ticket moves between days and categories without any drift.
CREATE TABLE ticket_durations (
  ticket_id text PRIMARY KEY,
  commune_id text NOT NULL,
  category text NOT NULL,
  reported_at timestamptz NOT NULL,
  reported_day date NOT NULL,
  acknowledged_day date,
  ack_seconds double precision,
  resolved_day date,
  resolve_seconds double precision
);
CREATE INDEX ticket_durations_reported ON ticket_durations (commune_id, reported_day);
CREATE INDEX ticket_durations_acknowledged ON ticket_durations (commune_id, acknowledged_day) WHERE acknowledged_day IS NOT NULL;
CREATE INDEX ticket_durations_resolved ON ticket_durations (commune_id, resolved_day) WHERE resolved_day IS NOT NULL;

-- Received, acknowledged and resolved counts per commune-local day and category, with exact
-- medians (percentile_cont over the durations of the tickets that reached the milestone that day).
CREATE VIEW commune_daily_stats WITH (security_invoker = true) AS
WITH milestones AS (
  SELECT commune_id, category, reported_day AS day, 'received' AS kind, NULL::double precision AS seconds
  FROM ticket_durations
  UNION ALL
  SELECT commune_id, category, acknowledged_day, 'acknowledged', ack_seconds
  FROM ticket_durations WHERE acknowledged_day IS NOT NULL
  UNION ALL
  SELECT commune_id, category, resolved_day, 'resolved', resolve_seconds
  FROM ticket_durations WHERE resolved_day IS NOT NULL
)
SELECT
  commune_id,
  day,
  category,
  count(*) FILTER (WHERE kind = 'received')::integer AS received,
  count(*) FILTER (WHERE kind = 'acknowledged')::integer AS acknowledged,
  count(*) FILTER (WHERE kind = 'resolved')::integer AS resolved,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE kind = 'acknowledged') AS median_ack_seconds,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FILTER (WHERE kind = 'resolved') AS median_resolve_seconds
FROM milestones
GROUP BY commune_id, day, category;

-- Tenancy in the database: `palabre.communes` is '*' (national staff, projectors) or a
-- comma-separated list of commune ids; unset or empty sees nothing.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tickets', 'ticket_timeline', 'ticket_confirmations', 'ticket_durations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      $p$CREATE POLICY commune_scope ON %I
           USING (current_setting('palabre.communes', true) = '*'
                  OR commune_id = ANY (string_to_array(nullif(current_setting('palabre.communes', true), ''), ',')))
           WITH CHECK (current_setting('palabre.communes', true) = '*'
                  OR commune_id = ANY (string_to_array(nullif(current_setting('palabre.communes', true), ''), ',')))$p$,
      t);
  END LOOP;
END
$$;

-- Queries run as this role so RLS applies even when the pool connects as a superuser.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'palabre_reader') THEN
    BEGIN
      CREATE ROLE palabre_reader NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- another database of the same cluster created it concurrently
    END;
  END IF;
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT palabre_reader TO %I', current_user);
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO palabre_reader', current_schema());
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO palabre_reader', current_schema());
END
$$;
