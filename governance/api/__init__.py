"""The governance JSON API (``/api/governance/``), one module per concept."""
