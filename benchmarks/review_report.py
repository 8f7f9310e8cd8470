"""How fast the quarterly review report is built, as ratios to WeasyPrint alone in the same run.

Builds the demo data in a throw-away database, then for the demo team "Payments" (three finalized
quarters; English and Chinese) measures the median of several runs of:
- full: context (comparison, trend, roadmap review), trend chart, template and PDF;
- floor: WeasyPrint alone on the same final HTML;
- text floor: WeasyPrint on the same HTML with the chart left out (DESIGN.md: at most 1.8x);
- cached: a second download through the web app.
Run: `make bench` or `.venv/bin/python benchmarks/review_report.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import sqlalchemy as sa
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assessment.extensions import db
from assessment.services.review_reports import review_report_context, review_report_for
from assessment.services.tracking import finalized_iterations
from assessment.store.models import Team, User
from benchmarks.report import demo_app, median_seconds, print_times
from reports.pdf import render_pdf
from reports.review_report import render_review, review_html


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with demo_app() as (app, owner):
        team = db.session.scalar(sa.select(Team).where(Team.name == "Payments"))
        print(f"review report of {team.name}, {len(finalized_iterations(team.id))} iterations, median of {runs} runs")
        for lang in ("en", "zh"):
            measure(app, team, owner, lang, runs)


def measure(app, team: Team, owner: User, lang: str, runs: int) -> None:
    from flask_babel import force_locale, get_translations

    with app.test_request_context(), force_locale(lang):
        translations = get_translations()
        iterations = finalized_iterations(team.id)

        def context() -> dict:
            return review_report_context(owner, team, iterations, lang)

        built = context()
        html = review_html(built, lang, translations)
        text_html = review_html({**built, "trend_chart": ""}, lang, translations)
        pages = len(PdfReader(io.BytesIO(render_pdf(html))).pages)
        t_full = median_seconds(lambda: render_review(context(), lang, translations), runs)
        t_floor = median_seconds(lambda: render_pdf(html), runs)
        t_text = median_seconds(lambda: render_pdf(text_html), runs)
        t_context = median_seconds(context, runs)
        review_report_for(owner, team.id, lang)  # fills the cache
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(owner.id)
    url = f"/teams/{team.id}/review.pdf?lang={lang}"
    assert client.get(url).data.startswith(b"%PDF")
    t_cached = median_seconds(lambda: client.get(url), runs * 4)
    print(f"[{lang}] pages {pages}, trend chart {len(built['trend_chart']) / 1024:.0f} KiB of SVG")
    print_times(lang, t_full, t_floor, t_text, t_context, t_cached)


if __name__ == "__main__":
    main()
