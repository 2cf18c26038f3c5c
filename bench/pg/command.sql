-- One placement command as one transaction, the work placementd does per command: lock the offer,
-- check that a place is vacant, append the event under a unique (stream, version) and a unique
-- command id, update the offer's capacity row. pgbench runs it with -M prepared.
\set offer random(1, 1000)
\set placement random(1, 9000000000000000000)
BEGIN;
SELECT places - held AS vacant FROM offers WHERE offer_id = :offer FOR UPDATE \gset
\if :vacant > 0
INSERT INTO events (stream, version, event_type, command_id, payload)
  SELECT 'placement-' || :placement, coalesce(max(version), 0) + 1, 'PlaceReserved',
         'command-' || :client_id || '-' || :placement, repeat('x', 200)
  FROM events WHERE stream = 'placement-' || :placement;
UPDATE offers SET held = held + 1 WHERE offer_id = :offer;
\endif
COMMIT;
