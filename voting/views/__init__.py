"""Pages of the elections app (server-rendered; scripts only as bundles from static/build)."""
