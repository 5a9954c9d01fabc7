"""Model events into replication metrics; the catalogue of every metric."""
