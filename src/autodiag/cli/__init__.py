"""The ``autodiag`` command line."""

from autodiag.cli.main import app, main

__all__ = ["app", "main"]
