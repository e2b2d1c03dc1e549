"""Governance reads, one module per concept (no writes here)."""
