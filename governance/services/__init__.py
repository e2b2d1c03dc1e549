"""Governance writes, one module per concept; each public function is one transaction."""
