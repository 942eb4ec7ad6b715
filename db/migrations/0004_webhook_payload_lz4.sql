-- Webhook bodies (~5 KB of JSON each) are compressed on every ack; lz4 costs a fraction of the
-- CPU of the default pglz. Builds of PostgreSQL without lz4 (PGlite), and servers older than 14
-- (no SET COMPRESSION), keep pglz.
DO $$
BEGIN
  ALTER TABLE "webhook_events" ALTER COLUMN "payload" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
  NULL;
END $$;
