-- A SIAE may belong to an ensemblier (itself a SIAE of that type): the conflict-of-interest
-- screening treats a tie with the ensemblier as a tie with each of its SIAE.
-- Same as migrations/sqlite/0021_ensembliers.sql.

ALTER TABLE organisations ADD COLUMN ensemblier_id BIGINT REFERENCES organisations (id);
CREATE INDEX organisations_ensemblier ON organisations (ensemblier_id);
