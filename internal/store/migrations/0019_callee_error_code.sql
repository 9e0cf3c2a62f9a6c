-- Issue 12. Outbound calls say whom they called: the callee's name, or
-- number when Zoom gives no name (phone call history callee_name /
-- callee_number); empty for inbound calls and other activities.
ALTER TABLE activities ADD COLUMN callee TEXT NOT NULL DEFAULT '';
-- Why the last sync attempt failed, as internal/connect's problem code
-- (needs_reconnect, missing_scope, zoom_unavailable...; '' when unknown), so
-- the Overview explains it in words without reading Zoom's text.
ALTER TABLE sync_state ADD COLUMN last_error_code TEXT NOT NULL DEFAULT '';
