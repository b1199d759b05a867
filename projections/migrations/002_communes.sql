-- The pilot communes. Others fall back to Africa/Douala (DEFAULT_TIME_ZONE in the tickets projector)
-- until a migration adds them; days already projected change only with a rebuild.
INSERT INTO communes (id, name, time_zone) VALUES
  ('soa', 'Soa', 'Africa/Douala'),
  ('dschang', 'Dschang', 'Africa/Douala');
