-- The rights of the role that serves Cedre on PostgreSQL when the tables belong to another role,
-- the one that applies the migrations (README « PostgreSQL »). Run it as the tables' owner (or a
-- superuser) in Cedre's database, once the role exists and `cedre migrate` has run, and again
-- after each `cedre migrate` (it is idempotent; a new table needs its rights):
--
--   psql postgres://cedre:motdepasse@127.0.0.1/cedre -v ON_ERROR_STOP=1 -f .ci/postgres-app-role.sql
--
-- The role is called cedre_app here: replace the name to use another
-- (tests/integration/roles.rs runs this file with a role of its own).
--
-- The serving role reads and writes the ordinary tables, but may only INSERT and SELECT on the
-- append-only ones (audit_events, assessment_history, security_events): no UPDATE, DELETE or TRUNCATE; not owning
-- them, it can neither drop nor disable their triggers. It reads _sqlx_migrations to check that the
-- schema is up to date and changes nothing in the schema: serve it with CEDRE_AUTO_MIGRATE=false.

GRANT USAGE ON SCHEMA public TO cedre_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cedre_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO cedre_app;

-- The append-only tables: append and read, nothing else.
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events, assessment_history, security_events FROM cedre_app;
-- (`cedre journal purger`, which deletes the security journal's old entries, runs as the owner.)

-- The migrations' own record: read only.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON _sqlx_migrations FROM cedre_app;
