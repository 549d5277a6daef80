"""Entry-exit: resolve identities across arrivals and departures, and count overstays.

Pure analytics over feeds (no registry writes): ``definitions`` holds the report's
definitions read from the dated policy data; ``inputs`` reads and checks the feeds;
``names`` normalises names with rigour; ``linkage`` holds the Splink model; ``sql`` the
pipeline's SQL; ``duckdb_engine`` runs it on DuckDB; ``report`` lays out DHS's tables;
``generator`` makes synthetic fiscal years with known truth.
"""
