"""Journey analytics: event sources, ingest into a local store, and (to come) binding the map's
touchpoints to events and measuring them. DuckDB and Ibis are imported only when used."""
