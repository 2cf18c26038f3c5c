-- The bare reference figure: one ~200-byte event inserted per transaction (autocommit).
\set placement random(1, 9000000000000000000)
INSERT INTO bare_events (stream, payload) VALUES ('placement-' || :placement, repeat('x', 200));
