"""What an error says, in one line, for messages shown to users."""

from __future__ import annotations


def error_detail(error: BaseException) -> str:
    """The first line of an exception's message (DuckDB's run on with hints), or its type."""
    text = str(error)
    return text.splitlines()[0] if text else type(error).__name__
