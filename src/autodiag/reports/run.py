"""Running one report notebook with Papermill, converting it to HTML (code hidden) and,
optionally, printing it to PDF with headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from autodiag.api import NativeAutodiag as Autodiag  # the reports read the database's own column names
from autodiag.paths import NOTEBOOKS_DIR, OUTPUTS_DIR, ROOT
from autodiag.reports.layout import slug_table, standalone_path
from autodiag.reports.page import FOOTER, SKIP_LINK, footer_html, page_head
from autodiag.reports.plotlyjs import PLACEHOLDER_ENV, Embed, resolve
from autodiag.safe_files import write_atomic

NOTEBOOKS = {
    "network": "network_report.ipynb",
    "structure": "structure_report.ipynb",
    "trends": "trends.ipynb",
    "exploration": "exploration.ipynb",
}
TEMPLATES = Path(__file__).parent / "templates"
# Debian's Chromium with no network of its own (its background connections would be refused here).
CHROMIUM_QUIET = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHROMIUM_FLAGS = ["--headless", *CHROMIUM_QUIET]


class ReportError(RuntimeError):
    """A report that could not be produced, said in French."""


def default_output(kind: str, parameters: dict, outputs: Path = OUTPUTS_DIR) -> Path:
    """Where ``autodiag report ...`` writes a standalone file (outputs/rapports/, never a site
    page: :func:`autodiag.reports.layout.standalone_path`)."""

    name = parameters["code"] if kind == "structure" else parameters.get("network")
    campaign = parameters.get("campaign")
    with Autodiag(parameters["db_path"]) as db:
        slugs = slug_table(db, kind, campaign) if name is not None else None
    return standalone_path(kind, campaign, name, outputs, slugs)


def execute_notebook(
    kind: str,
    parameters: dict,
    out_html: Path,
    *,
    embed: Embed = Embed(),
    footer: str | None = None,
    pdf: Path | None = None,
    keep_notebook: Path | None = None,
    retries: int = 2,
) -> int:
    """Run the ``kind`` notebook with ``parameters``; write the HTML (and PDF). Returns the HTML size.
    ``embed``: where the page gets plotly.js (inline by default: one self-contained file);
    ``footer``: the page's footer text (provenance)."""
    import papermill

    source = NOTEBOOKS_DIR / NOTEBOOKS[kind]
    if kind == "network":  # the report's side files (long tables' rows, CSV, XLSX) go beside the page
        parameters = {**parameters, "files_dir": str(Path(out_html).parent)}
    # The kernel's environment: plotly's HTML renderer, never mimetype-only, and the report's
    # plotly.js as a marker that notebook_to_html replaces. This process's own is left alone.
    kernel_env = {"PLOTLY_RENDERER": os.environ.get("PLOTLY_RENDERER", "notebook"), PLACEHOLDER_ENV: "1"}
    with tempfile.TemporaryDirectory(prefix="autodiag-nb-") as tmp:
        executed = Path(keep_notebook) if keep_notebook else Path(tmp) / source.name
        for attempt in range(retries + 1):
            try:
                notebook = papermill.execute_notebook(
                    str(source),
                    str(executed),
                    parameters=parameters,
                    kernel_name="python3",
                    cwd=str(ROOT),
                    progress_bar=False,
                    log_output=False,
                    request_save_on_cell_execute=False,
                    kernel_manager_class=ipc_kernel_manager(Path(tmp) / f"kernel-{attempt}", kernel_env),
                )
                break
            except papermill.PapermillExecutionError as error:
                raise ReportError(
                    f"le notebook {source.name} a échoué : {error.ename}: {error.evalue}"
                ) from None
            except Exception as error:  # kernel start races (ZMQ "Address already in use"), retried
                if (
                    attempt == retries
                    or "Address already in use" not in str(error)
                    and "Kernel died" not in str(error)
                ):
                    raise
                time.sleep(0.5 + attempt)
    size = notebook_to_html(notebook, out_html, title=_title(kind, parameters), embed=embed, footer=footer)
    if pdf is not None:
        print_pdf(out_html, pdf)
    return size


def ipc_kernel_manager(socket_base: Path, env: dict[str, str] | None = None):
    """A kernel manager whose kernel talks over local IPC sockets (``<socket_base>-<port>``)
    instead of TCP on localhost: no TCP port race between parallel kernels, and no
    « Kernel is running over TCP without encryption » warning printed by every kernel; no
    interrupt on shutdown either (see below).
    The kernel's stderr is left alone, so real errors still show. ``env``: variables added to
    the kernel's environment."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, Unicode

    class IPCKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc")
        ip = Unicode(str(socket_base))

        async def _async_pre_start_kernel(self, **kw):
            kw["env"] = {**(kw.get("env") or os.environ), **(env or {})}
            return await super()._async_pre_start_kernel(**kw)

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts (SIGINT) every kernel it shuts down, and an idle kernel
            # then logs « KeyboardInterrupt caught in kernel » on the build's terminal. Our
            # kernels are idle when shut down: the shutdown request alone stops them.
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

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
        template_name="basic",
        template_file=str(TEMPLATES / "autodiag_report.html.j2"),
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=True,
        exclude_anchor_links=True,
    )


def notebook_to_html(
    notebook, out_html: Path, *, title: str, embed: Embed = Embed(), footer: str | None = None
) -> int:
    """The executed notebook as one offline HTML page, code hidden, written atomically."""

    notebook.metadata["title"] = title
    for number, cell in enumerate(notebook.cells):  # papermill's injected cell has a random id
        cell["id"] = f"cell-{number}"
    resources = {
        "language_code": "fr",
        "autodiag_head": page_head(title),
        "autodiag_footer": footer_html(footer or FOOTER),
        "autodiag_skip": SKIP_LINK,
    }
    body, _ = exporter().from_notebook_node(notebook, resources=resources)
    return write_atomic(Path(out_html), resolve(body, embed))


def chromium_path() -> str:
    found = shutil.which("chromium") or (Path("/usr/bin/chromium").exists() and "/usr/bin/chromium")
    if not found:
        raise ReportError(
            "Chromium introuvable : installez-le avec « make chromium » (paquet Debian chromium)."
        )
    return found


def print_pdf(html_path: Path, pdf_path: Path, timeout: int = 120) -> Path:
    """Print an HTML report to PDF with headless Debian chromium (charts included)."""
    pdf_path = Path(pdf_path).resolve()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="autodiag-chromium-") as profile:
        printed = Path(profile) / "report.pdf"  # renamed once complete: never half a PDF
        command = [
            chromium_path(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--virtual-time-budget=10000",
            f"--print-to-pdf={printed}",
            Path(html_path).resolve().as_uri(),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0 or not printed.exists():
            raise ReportError(f"impression PDF impossible : {result.stderr.strip()[-500:]}")
        write_atomic(pdf_path, [printed.read_bytes()])
    return pdf_path
