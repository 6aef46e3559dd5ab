"""The note under a table or chart whose figures are masked (HTML)."""

from __future__ import annotations

from autodiag.analysis.privacy import MASKED, masked_message
from autodiag.reports.tables import esc


def masked_note(min_group_size: int) -> str:
    return f'<p class="masked">« {esc(MASKED)} » : {esc(masked_message(min_group_size))} (seuil de confidentialité).</p>'
