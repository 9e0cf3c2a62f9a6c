-- Outbox retention (internal/outbound prune): finished deliveries are found
-- by when they finished, old events by when they were made, an event's
-- deliveries by the event (the "no delivery left" check, and the cascade of
-- deleting an event, which scanned every delivery without it), and an
-- organization's chat tenants (whether the chat bot reads its events).
CREATE INDEX outbound_deliveries_finished ON outbound_deliveries(updated_at) WHERE status <> 'pending';
CREATE INDEX outbound_deliveries_event ON outbound_deliveries(event_id);
CREATE INDEX outbound_events_created ON outbound_events(created_at);
CREATE INDEX chat_tenants_org ON chat_tenants(org_id);
