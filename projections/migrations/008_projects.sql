-- Projects as everyone follows them: where each stands (stage, progress, budget) and its milestones
-- with their photos and where they were taken.
CREATE TABLE projects (
  id text PRIMARY KEY,
  commune_id text NOT NULL,
  status text NOT NULL,
  title text NOT NULL,
  description text,
  proposal_ids text[] NOT NULL,
  programme json NOT NULL,
  currency text NOT NULL,
  stage text,
  percent integer NOT NULL,
  planned bigint,
  committed bigint,
  spent bigint,
  budget_reason text,
  created_at timestamptz NOT NULL,
  revision integer NOT NULL,
  state json NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX projects_by_commune ON projects (commune_id, created_at DESC, id DESC);

CREATE TABLE project_stages (
  project_id text NOT NULL,
  stage text NOT NULL,
  entered_at timestamptz NOT NULL,
  PRIMARY KEY (project_id, stage)
);

CREATE TABLE project_milestones (
  project_id text NOT NULL,
  milestone_id text NOT NULL,
  title text NOT NULL,
  note text,
  reached_on date NOT NULL,
  evidence json NOT NULL,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (project_id, milestone_id)
);
