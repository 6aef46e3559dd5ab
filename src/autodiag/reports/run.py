"""Running one report notebook with Papermill, converting it to HTML (code hidden) and,
optionally, printing it to PDF with headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ..paths import NOTEBOOKS_DIR, OUTPUTS_DIR, ROOT

NOTEBOOKS = {
    "network": "network_report.ipynb",
    "structure": "structure_report.ipynb",
    "trends": "trends.ipynb",
    "exploration": "exploration.ipynb",
}
TEMPLATES = Path(__file__).parent / "templates"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


class ReportError(RuntimeError):
    """A report that could not be produced, said in French."""


def default_output(kind: str, parameters: dict, outputs: Path = OUTPUTS_DIR) -> Path:
    """Where ``autodiag build`` puts this report (:func:`autodiag.reports.layout.report_path`),
    so ``autodiag report ...`` rewrites the very file the dashboard links to."""
    from ..api import NativeAutodiag as Autodiag  # the reports read the database's own column names
    from .layout import report_path, slug_table

    name = parameters["code"] if kind == "structure" else parameters.get("network")
    campaign = parameters.get("campaign")
    with Autodiag(parameters["db_path"]) as db:
        slugs = slug_table(db, kind, campaign) if name is not None else None
    return report_path(kind, campaign, name, outputs, slugs)


def execute_notebook(kind: str, parameters: dict, out_html: Path, *, pdf: Path | None = None,
                     keep_notebook: Path | None = None, retries: int = 2) -> int:
    """Run the ``kind`` notebook with ``parameters``; write the HTML (and PDF). Returns the HTML size."""
    import papermill

    source = NOTEBOOKS_DIR / NOTEBOOKS[kind]
    # Papermill kernels inherit this environment: plotly's HTML renderer, never mimetype-only.
    os.environ.setdefault("PLOTLY_RENDERER", "notebook")
    with tempfile.TemporaryDirectory(prefix="autodiag-nb-") as tmp:
        executed = Path(keep_notebook) if keep_notebook else Path(tmp) / source.name
        for attempt in range(retries + 1):
            try:
                notebook = papermill.execute_notebook(
                    str(source), str(executed), parameters=parameters, kernel_name="python3",
                    cwd=str(ROOT), progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                    kernel_manager_class=ipc_kernel_manager(Path(tmp) / f"kernel-{attempt}"),
                )
                break
            except papermill.PapermillExecutionError as error:
                raise ReportError(f"le notebook {source.name} a échoué : {error.ename}: {error.evalue}") from None
            except Exception as error:  # kernel start races (ZMQ "Address already in use"), retried
                if attempt == retries or "Address already in use" not in str(error) and "Kernel died" not in str(error):
                    raise
                time.sleep(0.5 + attempt)
    size = notebook_to_html(notebook, out_html, title=_title(kind, parameters))
    if pdf is not None:
        print_pdf(out_html, pdf)
    return size


def ipc_kernel_manager(socket_base: Path):
    """A kernel manager whose kernel talks over local IPC sockets (``<socket_base>-<port>``)
    instead of TCP on localhost: no TCP port race between parallel kernels, and no
    « Kernel is running over TCP without encryption » warning printed by every kernel.
    The kernel's stderr is left alone, so real errors still show."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, Unicode

    class IPCKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc")
        ip = Unicode(str(socket_base))

    return IPCKernelManager


def _title(kind: str, parameters: dict) -> str:
    if kind == "network":
        return f"Rapport réseau — {parameters['network']} — {parameters['campaign']}"
    if kind == "structure":
        return f"Rapport structure — {parameters['code']} — {parameters['campaign']}"
    if kind == "trends":
        return f"Évolution des taux — {parameters.get('network') or 'national'}"
    return "autodiag"


def exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="basic", template_file=str(TEMPLATES / "autodiag_report.html.j2"),
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, exclude_markdown=True,
        exclude_anchor_links=True,
    )


def notebook_to_html(notebook, out_html: Path, *, title: str) -> int:
    """The executed notebook as one offline HTML file, code hidden."""
    from .page import FOOTER, page_head

    notebook.metadata["title"] = title
    resources = {"language_code": "fr", "autodiag_head": page_head(title), "autodiag_footer": FOOTER}
    body, _ = exporter().from_notebook_node(notebook, resources=resources)
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    data = body.encode("utf-8")
    out_html.write_bytes(data)
    return len(data)


def chromium_path() -> str:
    found = shutil.which("chromium") or (Path("/usr/bin/chromium").exists() and "/usr/bin/chromium")
    if not found:
        raise ReportError("Chromium introuvable : installez-le avec « make chromium » (paquet Debian chromium).")
    return found


def print_pdf(html_path: Path, pdf_path: Path, timeout: int = 120) -> Path:
    """Print an HTML report to PDF with headless Debian chromium (charts included)."""
    pdf_path = Path(pdf_path).resolve()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="autodiag-chromium-") as profile:
        command = [chromium_path(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                   "--virtual-time-budget=10000", f"--print-to-pdf={pdf_path}", Path(html_path).resolve().as_uri()]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0 or not pdf_path.exists():
        raise ReportError(f"impression PDF impossible : {result.stderr.strip()[-500:]}")
    return pdf_path
