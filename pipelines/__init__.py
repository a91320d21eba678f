"""Item pipelines: turn fetched pages into rows, and rows into archive files."""
