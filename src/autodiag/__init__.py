"""autodiag: analyse des auto-diagnostics Services Publics +."""

__version__ = "0.1.0"
