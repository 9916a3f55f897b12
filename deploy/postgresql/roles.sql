-- Least privilege for a clinic's kiosks on a shared PostgreSQL server (docs/security.md,
-- "PostgreSQL"; step by step in docs/deployment.md).
--
-- Two roles:
--   :owner  owns the database and every table; only it runs `kiosk db upgrade` (migrations:
--           CREATE, ALTER, DROP). Used by IT, by hand, when the kiosk is updated.
--   :kiosk  what every kiosk connects as: it may read, add, change and delete rows of the
--           kiosk's tables and nothing else (no CREATE, ALTER, DROP, TRUNCATE, no new
--           tables), and only read the migration history (alembic_version).
--
-- Run as the server's superuser, with psql (its variables fill in the names):
--
--   sudo -u postgres psql -X -v ON_ERROR_STOP=1 -v db=clinic -f roles.sql
--
-- optionally with -v owner=NAME -v kiosk=NAME (defaults: kiosk_owner and kiosk). A database
-- the kiosks' single user owned until now is converted: what that user owns becomes the
-- owner's, and it keeps only its rights to the rows. Then give
-- each role its password with psql's \password (typed, never on a command line), run
-- `kiosk db upgrade` as the owner, and run this file ONCE MORE: it changes nothing the
-- second time except to take back the kiosks' right to write the migration history, which
-- the first upgrade made. Running it again at any time is safe. tests/db/test_postgres_roles.py
-- runs this very file against a real server.

\if :{?db}
\else
\set db clinic
\endif
\if :{?owner}
\else
\set owner kiosk_owner
\endif
\if :{?kiosk}
\else
\set kiosk kiosk
\endif

-- The roles (passwords: \password NAME afterwards). NOINHERIT and no CREATEDB/CREATEROLE.
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner') AS make_owner \gset
\if :make_owner
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
\endif
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'kiosk') AS make_kiosk \gset
\if :make_kiosk
CREATE ROLE :"kiosk" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
\endif

-- The database, owned by the owner role.
SELECT NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') AS make_db \gset
\if :make_db
CREATE DATABASE :"db" OWNER :"owner" ENCODING 'UTF8';
\endif

\connect :"db"

-- A clinic set up before, with one user for everything (docs/database.md): what the kiosk role
-- owns here (the tables, the database itself) becomes the owner's. Nothing, the next time.
-- (Before any GRANT to the kiosk role: a new owner takes over its owner's grants too.)
REASSIGN OWNED BY :"kiosk" TO :"owner";

-- Nobody may connect but the kiosks (and the owner), nor make temporary tables (DDL too).
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"kiosk";

-- The schema: the owner creates in it; the kiosks may only look things up in it.
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"kiosk";

-- Rows of the tables there now...
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"kiosk";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"kiosk";
-- ...and of every table and sequence a later `kiosk db upgrade` (run as the owner) creates.
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"kiosk";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"kiosk";

-- The migration history: the kiosks read it (is the schema as new as this kiosk?) and never
-- write it. It exists once the owner has run the first upgrade (hence the second run).
SELECT to_regclass('public.alembic_version') IS NOT NULL AS has_history \gset
\if :has_history
REVOKE ALL ON public.alembic_version FROM :"kiosk";
GRANT SELECT ON public.alembic_version TO :"kiosk";
\endif
