-- Full-text search that can use the GIN index. Under row-level security PostgreSQL may not push a
-- non-leakproof operator such as tsvector @@ tsquery into an index scan, so a scoped search would
-- read every ticket of the commune. This function runs as its owner (the migrating role) and
-- applies the caller's commune scope itself; callers join its ids back to `tickets`, where RLS
-- still applies. Its search_path names `read`, not the schema it was created in, so a rebuilt
-- schema's copy works once swapped in.
CREATE FUNCTION search_ticket_ids(words text)
RETURNS TABLE (id text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = read, pg_catalog
AS $$
  SELECT t.id FROM tickets t
  WHERE t.search @@ websearch_to_tsquery('simple'::regconfig, words)
    AND (current_setting('palabre.communes', true) = '*'
         OR t.commune_id = ANY (string_to_array(nullif(current_setting('palabre.communes', true), ''), ',')))
$$;

DO $$
BEGIN
  EXECUTE format('REVOKE ALL ON FUNCTION %I.search_ticket_ids(text) FROM PUBLIC', current_schema());
  EXECUTE format('GRANT EXECUTE ON FUNCTION %I.search_ticket_ids(text) TO palabre_reader', current_schema());
END
$$;
