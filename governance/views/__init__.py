"""Governance pages, one module per concept; thin: forms parse, services decide."""
