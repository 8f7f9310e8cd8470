"""The `cdcoach` command: a Flask CLI group, as thin as the views."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import FlaskGroup, NoAppException

from .engine.answers import AnswerSet, AnswersInvalid, parse_answers
from .engine.catalog import Catalog
from .engine.errors import CatalogInvalid
from .engine.loader import find_catalogs, load_catalog, validate_catalog
from .engine.periods import is_period
from .engine.roadmap import DEFAULT_CAPACITY, DEFAULT_STAGES, PlanInvalid, Settings, plan_roadmap
from .engine.scoring import score
from .engine.serialize import catalog_to_dict, result_to_dict, roadmap_to_dict


def _create_app() -> Any:
    from .app import create_app

    try:
        return create_app()
    except CatalogInvalid as invalid:
        raise NoAppException("the app's catalogs are invalid:\n" + str(invalid)) from None


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """CD Coach: continuous-delivery maturity assessment and coaching."""


@main.group()
def questionnaire() -> None:
    """Maturity models (catalogs): validate, import and show."""


@questionnaire.command("validate", with_appcontext=False)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def validate_command(paths: tuple[str, ...]) -> None:
    """Validate catalog files, catalog folders or folders of catalogs."""
    failed = False
    for path in paths:
        catalogs = find_catalogs(path)
        if not catalogs:
            click.echo(f"{path}:0: (file): no catalog found here", err=True)
            failed = True
        for catalog_path in catalogs:
            errors = validate_catalog(catalog_path)
            for error in errors:
                click.echo(str(error), err=True)
            failed = failed or bool(errors)
            if not errors:
                click.echo(f"{catalog_path}: valid")
    sys.exit(1 if failed else 0)


@questionnaire.command("import")
@click.argument("path", type=click.Path())
def import_command(path: str) -> None:
    """Store a new version of a catalog (validated; a version never changes once imported)."""
    from .services.catalogs import import_catalog
    from .services.errors import ServiceError

    try:
        with current_app.test_request_context():  # messages are translatable: English here
            imported = import_catalog(path)
    except CatalogInvalid as invalid:
        for error in invalid.errors:
            click.echo(str(error), err=True)
        sys.exit(1)
    except ServiceError as refused:
        click.echo(f"{path}: {refused.message}", err=True)
        sys.exit(1)
    name = f"{imported.catalog.id} {imported.catalog.version}"
    if not imported.created:
        click.echo(f"{path}: {name} is already there with this content: nothing changed.")
        return
    follows = f" (follows {imported.previous})" if imported.previous else ""
    click.echo(f"{path}: imported {name}{follows}; new assessments of {imported.catalog.id} now use it.")
    if imported.dropped:
        click.echo(f"note: not in {name} and not in its replaces, so taken as removed: {', '.join(imported.dropped)}")


@questionnaire.command("show")
@click.argument("catalog_id")
@click.option("--json", "as_json", is_flag=True, help="Print the normalised catalog as JSON.")
def show_command(catalog_id: str, as_json: bool) -> None:
    """Show a catalog by id."""
    catalog = _catalog(catalog_id)
    if as_json:
        click.echo(json.dumps(catalog_to_dict(catalog), ensure_ascii=False, indent=2))
        return
    click.echo(f"{catalog.id} {catalog.version}: {catalog.title.en} / {catalog.title.zh}")
    for dim in catalog.dimensions:
        click.echo(f"  {dim.id} ({dim.area}): {dim.name.en}, {len(dim.practices)} practices")


@main.command("score")
@click.option("--model", "model", help='Catalog id or path (default: the answers\' "model").')
@click.argument("answers_file", type=click.Path(dir_okay=False))
def score_command(model: str | None, answers_file: str) -> None:
    """Score an answers file and print the result as JSON."""
    catalog, answers = _load_answers(model, answers_file)
    click.echo(json.dumps(result_to_dict(score(catalog, answers), catalog), ensure_ascii=False, indent=2))


@main.command("roadmap")
@click.option("--model", "model", help='Catalog id or path (default: the answers\' "model").')
@click.argument("answers_file", type=click.Path(dir_okay=False))
@click.option("--target", "targets", multiple=True, metavar="DIM=LEVEL", help="Target level of a dimension.")
@click.option("--capacity", type=click.IntRange(1, 50), default=DEFAULT_CAPACITY, show_default=True)
@click.option("--stages", type=click.IntRange(1, 20), default=DEFAULT_STAGES, show_default=True)
@click.option("--start", "start_period", help="Period of the first stage, such as 2027-Q1.")
@click.option("--lang", type=click.Choice(["en", "zh"]), help="Texts in one language only.")
def roadmap_command(
    model: str | None,
    answers_file: str,
    targets: tuple[str, ...],
    capacity: int,
    stages: int,
    start_period: str | None,
    lang: str | None,
) -> None:
    """Plan the staged improvement roadmap for an answers file and print it as JSON."""
    catalog, answers = _load_answers(model, answers_file)
    settings = Settings(_targets(targets, catalog), capacity, stages, _period(start_period))
    try:
        plan = plan_roadmap(catalog, answers, settings)
    except PlanInvalid as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(roadmap_to_dict(plan, lang), ensure_ascii=False, indent=2))


def _load_answers(model: str | None, answers_file: str) -> tuple[Catalog, AnswerSet]:
    data = read_json(answers_file)
    catalog = _catalog(model or (data.get("model") if isinstance(data, dict) else None))
    try:
        return catalog, parse_answers(data, catalog)
    except AnswersInvalid as exc:
        raise click.ClickException(f"{answers_file}: {exc}") from None


def _targets(pairs: tuple[str, ...], catalog: Catalog) -> dict[str, int]:
    known = {d.id for d in catalog.dimensions}
    targets = {}
    for pair in pairs:
        dimension, _, level = pair.partition("=")
        if dimension not in known or not level.isdigit() or not 1 <= int(level) <= 5:
            raise click.BadParameter(
                f"'{pair}': use DIMENSION=LEVEL with a dimension of the model and a level 1-5", param_hint="--target"
            )
        targets[dimension] = int(level)
    return targets


def _period(period: str | None) -> str | None:
    if period is not None and not is_period(period):
        raise click.BadParameter(f"'{period}': use a year and quarter such as 2027-Q1", param_hint="--start")
    return period


@main.command("report")
@click.argument("assessment_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True, help="PDF file to write.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
def report_command(assessment_id: int, output: str, lang: str) -> None:
    """Write the PDF report of an assessment."""
    from .extensions import db
    from .services.reports import build_report
    from .store.models import Assessment

    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None:
        raise click.ClickException(f"no assessment with id {assessment_id}")
    with current_app.test_request_context():
        pdf, _ = build_report(assessment, lang, show_names=True)
    try:
        Path(output).write_bytes(pdf)
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write: {exc.strerror}") from None
    click.echo(f"{output}: {len(pdf) // 1024} KiB")


def read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise click.ClickException(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None


def _catalog(model: str | None) -> Catalog:
    """A catalog by path (file or folder) or by the id of one the app ships."""
    if not model:
        raise click.ClickException('no model given: use --model or a "model" key in the answers')
    if Path(model).exists():
        try:
            return load_catalog(model)
        except CatalogInvalid as invalid:
            raise click.ClickException(f"the model {model} is invalid:\n{invalid}") from None
    catalogs = current_app.extensions["cdcoach.catalogs"]
    if model not in catalogs:
        known = ", ".join(c.id for c in catalogs) or "none"
        raise click.ClickException(f"unknown model '{model}' (known: {known})")
    return catalogs.get(model)


@main.command("setup")
@click.option("--url", default="http://127.0.0.1:5000/", show_default=True, help="Where the app will be served.")
def setup_command(url: str) -> None:
    """Create or upgrade the database, with demo data when it is new (what `make run` does first)."""
    from flask_migrate import upgrade

    from .services import demo

    upgrade()
    click.echo("Database ready.")
    if demo.database_is_new():
        summary = demo.create_demo(_catalog("cd-maturity"))
        click.echo(f"Demo data created: {summary.users} users, {summary.teams} teams, {summary.assessments} assessments.")
    if demo.demo_user() is not None:
        click.echo(demo.LOGIN)
    else:
        click.echo("No demo data: this database already has its own users (`cdcoach demo` adds it).")
    click.echo(f"Open {url} in your browser.")


@main.command("demo")
def demo_command() -> None:
    """Create the demo organisation "Demo Co" with teams and assessments (once; safe to repeat)."""
    from .services import demo

    summary = demo.create_demo(_catalog("cd-maturity"))
    if summary.changed:
        click.echo(f"Demo data created: {summary.users} users, {summary.teams} teams, {summary.assessments} assessments.")
    else:
        click.echo("Demo data is already there: nothing changed.")
    click.echo(demo.LOGIN)
