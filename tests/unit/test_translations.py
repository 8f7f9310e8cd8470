"""The Chinese catalogue: complete, consistent with the sources, compiled, and used by the pages.

The extraction runs with the same options as `make translations` (read from the Makefile), so a
string added to a template or to the Python code without a translation fails here.
"""

from __future__ import annotations

import html
import re
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "assessment" / "translations" / "zh" / "LC_MESSAGES"
PO = LOCALE_DIR / "messages.po"
MO = LOCALE_DIR / "messages.mo"
PYBABEL = Path(sys.executable).parent / "pybabel"

# %(name)s, %(count)d, %s, ... but not the escaped percent sign %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def msgid(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def key(value: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    """Plural ids and strings come as lists from a .mo file and as tuples from a .po file."""
    return value if isinstance(value, str) else tuple(value)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


@cache
def po_catalog() -> Catalog:
    with PO.open("rb") as fh:
        return read_po(fh)


def extract_options() -> list[str]:
    """The options of the Makefile's `pybabel extract` line, without its output file and input path."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines() if "pybabel extract" in line)
    args = shlex.split(line.split("pybabel", 1)[1])
    assert args[0] == "extract" and args[-1] == "."
    args = args[1:-1]
    output = args.index("-o")
    del args[output : output + 2]
    return args


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [str(PYBABEL), "-q", "extract", *extract_options(), "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        return read_po(fh)


def test_the_extraction_covers_python_templates_reports_and_plurals(extracted: Catalog) -> None:
    ids = {msgid(m) for m in extracted if m.id}
    assert "Enter a valid email address." in ids  # assessment/services (lazy_gettext as _)
    assert "Choose your role." in ids  # assessment/web forms (_l)
    assert "Start a free assessment" in ids  # assessment/web/templates
    assert "Appendix: every answer" in ids  # reports/templates
    plurals = {m.id for m in extracted if m.pluralizable}
    assert ("%(num)d stage", "%(num)d stages") in plurals


def test_every_extracted_message_has_a_chinese_translation(extracted: Catalog) -> None:
    catalog = po_catalog()
    assert catalog.plural_forms == "nplurals=1; plural=0;"
    missing, fuzzy, plural_mismatch = [], [], []
    for message in extracted:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        if translated is None or not all(s.strip() for s in strings(translated)):
            missing.append(msgid(message))
        elif translated.fuzzy:
            fuzzy.append(msgid(message))
        elif message.pluralizable and (not translated.pluralizable or len(strings(translated)) != 1):
            plural_mismatch.append(msgid(message))
    assert not missing, f"untranslated (run `make translations`, then translate): {missing}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    assert not plural_mismatch, f"plural entries need exactly one msgstr[0]: {plural_mismatch}"


def test_the_catalogue_has_no_fuzzy_or_empty_entries() -> None:
    catalog = po_catalog()
    assert not [m.id for m in catalog if m.id and (m.fuzzy or not all(strings(m)))]
    assert not catalog.obsolete


def test_placeholders_are_kept() -> None:
    """Chinese has a single plural form, used for every count: it takes the singular's placeholders
    (babel's compile check refuses any that the singular lacks)."""
    wrong = {}
    for message in po_catalog():
        if not message.id:
            continue
        expected = placeholders(msgid(message))
        for text in strings(message):
            if placeholders(text) != expected:
                wrong[msgid(message)] = text
    assert not wrong


def test_the_compiled_catalogue_is_up_to_date() -> None:
    with MO.open("rb") as fh:
        compiled = read_mo(fh)
    po = {key(m.id): key(m.string) for m in po_catalog() if m.id}
    mo = {key(m.id): key(m.string) for m in compiled if m.id}
    assert mo == po, "messages.mo is stale: run `make translations`"


def visible_text(page: str) -> set[str]:
    """The page's pieces of text between tags, outside scripts and styles."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return {piece.strip() for piece in html.unescape(re.sub(r"<[^>]+>", "\n", page)).splitlines() if piece.strip()}


@pytest.mark.parametrize("path", ["/", "/login", "/signup"])
def test_pages_in_chinese_show_no_english(client, path: str) -> None:
    english = visible_text(client.get(path).get_data(as_text=True))
    client.set_cookie("cdcoach_lang", "zh")
    response = client.get(path)
    assert response.status_code == 200
    chinese = visible_text(response.get_data(as_text=True))
    shown = [m for m in po_catalog() if m.id and not m.pluralizable and m.string != m.id and "%" not in m.id and m.id in english]
    assert len(shown) >= 5
    assert not [m.id for m in shown if m.id in chinese], "English left on the Chinese page"
    assert not [m.string for m in shown if m.string not in chinese], "translation missing from the Chinese page"
    words = re.findall(r"[A-Za-z]{3,}", " ".join(chinese).replace("CD Coach", ""))
    assert set(words) <= {"English"}, "English words on the Chinese page"
