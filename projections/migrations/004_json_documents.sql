-- Documents the read side only stores and hands back whole (the folded ticket, the values of a
-- timeline line) are json, not jsonb: PostgreSQL then checks their text instead of building a
-- binary document for every row written, and returns the text as it is. No query looks inside
-- them with jsonb operators; the projector reads one key (`->>`), which json has too.
ALTER TABLE tickets ALTER COLUMN state TYPE json USING state::json;
ALTER TABLE ticket_timeline
  ALTER COLUMN summary_data TYPE json USING summary_data::json,
  ALTER COLUMN internal_data TYPE json USING internal_data::json;
