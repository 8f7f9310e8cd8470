"""The `cdcoach` command: a Flask CLI group, as thin as the views."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import FlaskGroup, NoAppException

from .engine.answers import AnswersInvalid, parse_answers
from .engine.catalog import Catalog
from .engine.errors import CatalogInvalid
from .engine.loader import find_catalogs, load_catalog, validate_catalog
from .engine.scoring import score
from .engine.serialize import catalog_to_dict, result_to_dict


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
    """Maturity models (catalogs): validate and show."""


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
    data = read_json(answers_file)
    catalog = _catalog(model or (data.get("model") if isinstance(data, dict) else None))
    try:
        answers = parse_answers(data, catalog)
    except AnswersInvalid as exc:
        raise click.ClickException(f"{answers_file}: {exc}") from None
    click.echo(json.dumps(result_to_dict(score(catalog, answers), catalog), ensure_ascii=False, indent=2))


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
def setup_command() -> None:
    """Create or upgrade the database (what `make run` does before serving)."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("Database ready.")
