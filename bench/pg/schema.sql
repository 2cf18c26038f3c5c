-- The PostgreSQL peer of placementd's command path (docs/BENCHMARKS.md §2): what a team would build
-- instead of an event log on RocksDB. One row per offer holds its capacity; events go to one table
-- with a global position, a unique (stream, version) and a unique command id (idempotency), as
-- placementd's log keeps them.
DROP TABLE IF EXISTS events, bare_events, offers;

CREATE TABLE offers (
  offer_id integer PRIMARY KEY,
  places   integer NOT NULL,
  held     integer NOT NULL
);

CREATE TABLE events (
  position    bigserial PRIMARY KEY,
  stream      text        NOT NULL,
  version     integer     NOT NULL,
  event_type  text        NOT NULL,
  command_id  text        NOT NULL UNIQUE,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  payload     text        NOT NULL,
  UNIQUE (stream, version)
);

-- The bare figure: one insert per transaction, nothing else.
CREATE TABLE bare_events (
  position bigserial PRIMARY KEY,
  stream   text NOT NULL,
  payload  text NOT NULL
);

-- As many offers as the load generator uses (--offers 1000), with more places than a run fills.
INSERT INTO offers SELECT g, 2000000000, 0 FROM generate_series(1, 1000) AS g;
