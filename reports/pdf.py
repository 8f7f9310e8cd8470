"""HTML and print CSS to PDF with WeasyPrint, hermetically: only files under the report assets
folder and `data:` URIs may be loaded, so rendering never touches the network and stays fast."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.urls import URLFetcher

TEMPLATES = Path(__file__).resolve().parent / "templates"


class LocalOnlyFetcher(URLFetcher):
    """Fetches `data:` URIs and files below one folder; refuses everything else."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
        self.root = root.resolve()

    def fetch(self, url: str, headers: dict[str, str] | None = None):
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(self.root):
                raise ValueError(f"a report may only load its own files, not {path}")
        return super().fetch(url, headers)


def render_pdf(html: str) -> bytes:
    """The PDF of a report's HTML; relative URLs resolve against the report templates folder."""
    document = HTML(string=html, base_url=str(TEMPLATES) + "/", url_fetcher=LocalOnlyFetcher(TEMPLATES))
    return document.write_pdf()
