"""The note under a table or chart whose figures are masked (HTML)."""

from __future__ import annotations

from autodiag.analysis.privacy import MASKED, Confidentiality
from autodiag.reports.tables import esc


def masked_note(privacy: Confidentiality) -> str:
    return f'<p class="masked">« {esc(MASKED)} » : {esc(privacy.message())} (seuil de confidentialité).</p>'
