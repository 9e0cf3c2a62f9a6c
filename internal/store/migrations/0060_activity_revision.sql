-- An activity's revision counts the upserts that wrote it: 1 when inserted,
-- one more for each merge that changed it. The upsert returns it, so the
-- ingest path tells an inserted activity from a changed one (outbound
-- activity.created and activity.updated) without reading the row first.
ALTER TABLE activities ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
