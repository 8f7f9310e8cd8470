"""How fast the assessment report is built, as ratios to WeasyPrint alone in the same run.

Builds the demo data in a throw-away database, then for the demo team "Payments" (latest
finalized assessment, English and Chinese) measures the median of several runs of:
- full: context (queries, scoring, roadmap), radar chart, template and PDF;
- floor: WeasyPrint alone on the same final HTML (the floor for this design);
- text floor: WeasyPrint on the same HTML with the chart left out;
- cached: a second download of the finalized report through the web app.
Run: `make bench` or `.venv/bin/python benchmarks/report.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assessment.app import create_app
from assessment.extensions import db
from assessment.services import demo
from assessment.services.demo_data import OWNER_EMAIL
from assessment.services.reports import build_report, report_context
from assessment.store.models import Assessment, Team, User
from reports.assessment_report import render_report, report_html
from reports.pdf import render_pdf


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@contextmanager
def demo_app() -> Iterator[tuple[Flask, User]]:
    """The app on a throw-away SQLite database holding the demo data, inside an app context,
    with the demo owner; the PDF cache goes to the throw-away folder too."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite"})
        app.instance_path = folder
        with app.app_context():
            db.create_all()
            demo.create_demo(app.extensions["cdcoach.catalogs"].get("cd-maturity"))
            yield app, db.session.scalar(sa.select(User).where(User.email == OWNER_EMAIL))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with demo_app() as (app, owner):
        assessment = db.session.scalars(
            sa.select(Assessment).join(Team).where(Team.name == "Payments").order_by(Assessment.period.desc())
        ).first()
        print(f"report of {assessment.team.name} {assessment.period}, median of {runs} runs")
        for lang in ("en", "zh"):
            measure(app, assessment, owner, lang, runs)


def measure(app, assessment: Assessment, owner: User, lang: str, runs: int) -> None:
    from flask_babel import force_locale, get_translations

    with app.test_request_context(), force_locale(lang):
        translations = get_translations()

        def full() -> bytes:
            return render_report(report_context(assessment, lang, True), lang, translations)

        context = report_context(assessment, lang, True)
        html = report_html(context, lang, translations)
        text_html = report_html({**context, "radar": ""}, lang, translations)
        pages = len(PdfReader(io.BytesIO(render_pdf(html))).pages)
        t_full = median_seconds(full, runs)
        t_floor = median_seconds(lambda: render_pdf(html), runs)
        t_text = median_seconds(lambda: render_pdf(text_html), runs)
        t_chart = median_seconds(lambda: report_context(assessment, lang, True), runs)
    build_report(assessment, lang, show_names=True)  # fills the cache
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(owner.id)
    url = f"/assessments/{assessment.id}/report.pdf?lang={lang}"
    assert client.get(url).data.startswith(b"%PDF")
    t_cached = median_seconds(lambda: client.get(url), runs * 4)
    print(f"[{lang}] pages {pages}")
    print_times(lang, t_full, t_floor, t_text, t_chart, t_cached)


def print_times(lang: str, t_full: float, t_floor: float, t_text: float, t_context: float, t_cached: float) -> None:
    """The figures of one language, with the ratios to WeasyPrint alone (the design's measure)."""
    print(
        f"[{lang}] full report      {t_full:6.3f} s   ratio to floor {t_full / t_floor:4.2f}x"
        f"   ratio to text-only floor {t_full / t_text:4.2f}x"
    )
    print(f"[{lang}] WeasyPrint floor {t_floor:6.3f} s   (text only {t_text:.3f} s)")
    print(f"[{lang}] context + chart  {t_context:6.3f} s")
    print(f"[{lang}] cached download  {t_cached * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
