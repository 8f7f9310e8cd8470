"""Branding for the PDF reports: an organisation's, or a consultant's own (DESIGN.md, Data).

A brand is a name, a colour (#rrggbb) and a logo. Logos are PNG or JPEG only, checked by their
content (not their file name), at most MAX_LOGO_BYTES and MAX_LOGO_SIDE pixels a side: SVG is
refused because it can carry scripts and external references, and a raster image is all a
cover needs. The logo travels to the report and to the settings page as a `data:` URI, so the
PDF renderer never fetches anything and no extra route serves uploaded files.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _

from ..extensions import db
from ..store.models import Assessment, Organisation, User
from . import permissions
from .audit import record
from .errors import Forbidden, Invalid
from .organisations import organisation_or_404

MAX_LOGO_BYTES = 300 * 1024
MAX_LOGO_SIDE = 2000  # pixels: a small file can still decode to a huge bitmap
MAX_NAME = 120
DEFAULT_COLOUR = "#1f6f8b"  # the report's own accent when no brand colour is set
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": ("image/png", "PNG"), b"\xff\xd8\xff": ("image/jpeg", "JPEG")}


class BrandingInvalid(Invalid):
    """Bad branding input; `problems` maps each bad field ("name", "colour", "logo") to what is wrong."""

    def __init__(self, field: str, message: object, problems: dict[str, str] | None = None):
        super().__init__(message)
        self.field = field
        self.problems = problems or {field: self.message}


@dataclass(frozen=True)
class Brand:
    """The branding a report uses; `source` says whose it is ("user", "organisation" or "none")."""

    name: str
    colour: str
    logo: bytes | None
    source: str

    @property
    def logo_uri(self) -> str | None:
        return logo_data_uri(self.logo)

    @property
    def logo_hash(self) -> str | None:
        return hashlib.sha256(self.logo).hexdigest() if self.logo else None


@dataclass(frozen=True)
class BrandInput:
    """A branding form as given: `logo` is the uploaded file's bytes (None: keep the current one)."""

    name: str | None
    colour: str | None
    logo: bytes | None = None
    remove_logo: bool = False


def logo_data_uri(logo: bytes | None) -> str | None:
    """The logo as a data: URI; None without one (or with a stored file of another type, which
    check_logo would have refused: it is left out rather than shown)."""
    kind = _kind(logo) if logo else None
    return f"data:{kind[0]};base64,{base64.b64encode(logo).decode('ascii')}" if logo and kind else None


def _kind(logo: bytes) -> tuple[str, str] | None:
    """(MIME type, Pillow format) by the file's first bytes."""
    return next((kind for magic, kind in LOGO_TYPES.items() if logo.startswith(magic)), None)


def _logo_type(logo: bytes) -> tuple[str, str]:
    kind = _kind(logo)
    if kind is None:
        raise BrandingInvalid("logo", _("The logo must be a PNG or JPEG image."))
    return kind


def check_logo(logo: bytes) -> bytes:
    """The logo if it is a whole PNG or JPEG image within the limits; Invalid says what is wrong."""
    from PIL import Image, UnidentifiedImageError

    if len(logo) > MAX_LOGO_BYTES:
        raise BrandingInvalid("logo", _("The logo is too large: at most %(kb)d KB.", kb=MAX_LOGO_BYTES // 1024))
    _mime, expected = _logo_type(logo)
    if not _complete(logo, expected):
        raise BrandingInvalid("logo", _("The logo could not be read as an image. Save it again as PNG or JPEG."))
    try:
        with Image.open(io.BytesIO(logo)) as image:
            if image.format != expected:
                raise BrandingInvalid("logo", _("The logo must be a PNG or JPEG image."))
            width, height = image.size
            if max(width, height) > MAX_LOGO_SIDE:
                raise BrandingInvalid("logo", _("The logo is too large: at most %(px)d pixels a side.", px=MAX_LOGO_SIDE))
            image.load()  # decodes every pixel: a corrupt file fails here, not in the PDF
    except Image.DecompressionBombError as error:
        raise BrandingInvalid("logo", _("The logo is too large: at most %(px)d pixels a side.", px=MAX_LOGO_SIDE)) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise BrandingInvalid("logo", _("The logo could not be read as an image. Save it again as PNG or JPEG.")) from error
    return logo


def _complete(logo: bytes, kind: str) -> bool:
    """Whether the file ends as its format says. Checked here because WeasyPrint makes Pillow
    accept truncated images for the whole process (ImageFile.LOAD_TRUNCATED_IMAGES)."""
    if kind == "PNG":
        return logo.endswith(b"IEND\xaeB`\x82")
    return b"\xff\xd9" in logo[-1024:]  # JPEG: the end-of-image marker (some cameras append a little after it)


def check_colour(colour: str | None) -> str | None:
    """#rrggbb in lower case, or None when left empty."""
    colour = (colour or "").strip()
    if not colour:
        return None
    if not COLOUR.fullmatch(colour):
        raise BrandingInvalid("colour", _("Write the colour as # and six hexadecimal digits, such as #1f6f8b."))
    return colour.lower()


def _apply(target: Organisation | User, given: BrandInput) -> dict[str, object]:
    """Check every field first (and report every bad one), then change the row: bad input leaves
    it as it was."""
    name = (given.name or "").strip()
    problems: dict[str, str] = {}
    if len(name) > MAX_NAME:
        problems["name"] = str(_("The brand name is too long: at most %(n)d characters.", n=MAX_NAME))
    colour = logo = None
    try:
        colour = check_colour(given.colour)
    except BrandingInvalid as error:
        problems.update(error.problems)
    try:
        logo = check_logo(given.logo) if given.logo else None
    except BrandingInvalid as error:
        problems.update(error.problems)
    if problems:
        field, message = next(iter(problems.items()))
        raise BrandingInvalid(field, message, problems)
    target.brand_name = name or None
    target.brand_color = colour
    if logo is not None:
        target.brand_logo = logo
    elif given.remove_logo:
        target.brand_logo = None
    return {
        "name": target.brand_name,
        "colour": colour,
        "logo": hashlib.sha256(target.brand_logo).hexdigest()[:12] if target.brand_logo else None,
    }


def set_organisation_branding(user: User, organisation_id: int, given: BrandInput) -> Organisation:
    """An owner sets the organisation's branding (name, colour, logo), all of it or none."""
    organisation, role = organisation_or_404(user, organisation_id)
    if not permissions.can_manage_organisation(role):
        raise Forbidden()
    detail = _apply(organisation, given)
    record(user, organisation.id, "organisation.branding", f"organisation:{organisation.id}", **detail)
    db.session.commit()
    return organisation


def set_own_branding(user: User, given: BrandInput) -> User:
    """A consultant's own branding, used for the reports of the workshops they run."""
    detail = _apply(user, given)
    record(user, None, "user.branding", f"user:{user.id}", **detail)
    db.session.commit()
    return user


def brand_of(target: Organisation | User, source: str) -> Brand:
    return Brand(target.brand_name or "", target.brand_color or DEFAULT_COLOUR, target.brand_logo, source)


def has_branding(target: Organisation | User) -> bool:
    return bool(target.brand_name or target.brand_color or target.brand_logo)


def report_brand(assessment: Assessment) -> Brand:
    """Whose branding the assessment's report carries: for a workshop, its facilitator's own (the
    user who created it) when they set any, taken whole (never mixed with the organisation's);
    otherwise the organisation's; with neither, the report's defaults."""
    if assessment.kind == "workshop" and assessment.created_by_id is not None:
        facilitator = db.session.get(User, assessment.created_by_id)
        if facilitator is not None and has_branding(facilitator):
            return brand_of(facilitator, "user")
    organisation = assessment.team.organisation
    return brand_of(organisation, "organisation" if has_branding(organisation) else "none")
