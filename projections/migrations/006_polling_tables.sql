-- Each polling table of a consultation: how many paper ballots the log holds from it, and the
-- tally sheets its agent attached (photos and the count written on them), oldest first.
CREATE TABLE consultation_polling_tables (
  consultation_id text NOT NULL,
  polling_table_id text NOT NULL,
  paper_ballots integer NOT NULL,
  sheets json NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (consultation_id, polling_table_id)
);
