"""Branding: checked input (colour, PNG/JPEG logos by content and size), all or nothing, owners
only for an organisation's; whose branding a report uses; the PDF carries it and its cache key
changes with it."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image
from pypdf import PdfReader

from assessment.extensions import db
from assessment.services import branding, reports
from assessment.services.branding import MAX_LOGO_BYTES, BrandingInvalid, BrandInput
from assessment.services.errors import Forbidden, NotFound
from assessment.store.models import User
from tests.factories import make_user, org_with_roles
from tests.services.test_workshop_report import build_workshop, text_of


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (120, 40), noise: bool = False) -> bytes:
    image = Image.new("RGB", size, (31, 111, 139))
    if noise:  # incompressible pixels: a large file from a modest picture
        rng = random.Random(7)
        image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(size[0] * size[1])])
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def org(app):
    with app.test_request_context():
        yield org_with_roles()


def test_owner_sets_name_colour_and_logo(app, org):
    organisation, people = org
    logo = image_bytes("PNG")
    branding.set_organisation_branding(people["owner"], organisation.id, BrandInput(" Acme Consulting ", "#1F6F8B", logo))
    assert (organisation.brand_name, organisation.brand_color, organisation.brand_logo) == ("Acme Consulting", "#1f6f8b", logo)
    jpeg = image_bytes("JPEG")
    branding.set_organisation_branding(people["owner"], organisation.id, BrandInput("Acme", "", jpeg))
    assert (organisation.brand_name, organisation.brand_color, organisation.brand_logo) == ("Acme", None, jpeg)
    # no new upload keeps the logo; "remove" drops it
    branding.set_organisation_branding(people["owner"], organisation.id, BrandInput("Acme", "#000000"))
    assert organisation.brand_logo == jpeg
    branding.set_organisation_branding(people["owner"], organisation.id, BrandInput("Acme", "#000000", remove_logo=True))
    assert organisation.brand_logo is None


@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "#12345g", "1f6f8b", "#1f6f8b;}"])
def test_a_bad_colour_is_refused_and_nothing_is_saved(app, org, colour):
    organisation, people = org
    with pytest.raises(BrandingInvalid) as refused:
        branding.set_organisation_branding(people["owner"], organisation.id, BrandInput("New name", colour, image_bytes()))
    assert refused.value.field == "colour" and "#1f6f8b" in refused.value.message
    db.session.rollback()
    assert (organisation.brand_name, organisation.brand_color, organisation.brand_logo) == (None, None, None)


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        (SVG, "must be a PNG or JPEG"),  # SVG can carry scripts: refused whatever the file is called
        (b"GIF89a" + b"\0" * 100, "must be a PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"not really an image", "could not be read"),
        (image_bytes("PNG")[:-40], "could not be read"),  # truncated
        (image_bytes("JPEG")[:-200], "could not be read"),
        (image_bytes("PNG", (2001, 10)), "at most 2000 pixels"),
        (image_bytes("PNG", (400, 400), noise=True), "at most 300 KB"),  # 400*400*3 noisy bytes ~ 480 KB
    ],
)
def test_a_bad_logo_is_refused_and_nothing_is_saved(app, org, logo, message):
    organisation, people = org
    before = image_bytes("JPEG")
    branding.set_organisation_branding(people["owner"], organisation.id, BrandInput("Old", "#111111", before))
    with pytest.raises(BrandingInvalid) as refused:
        branding.set_organisation_branding(people["owner"], organisation.id, BrandInput("New", "#222222", logo))
    assert refused.value.field == "logo" and message in refused.value.message
    db.session.rollback()
    assert (organisation.brand_name, organisation.brand_color, organisation.brand_logo) == ("Old", "#111111", before)


def test_a_truncated_logo_is_refused_even_after_a_pdf_was_rendered(app):
    """WeasyPrint lets Pillow accept truncated images process-wide once it is imported."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    with pytest.raises(BrandingInvalid, match="could not be read"):
        branding.check_logo(image_bytes("PNG")[:-40])


def test_a_stored_file_of_another_type_is_left_out_not_shown(app):
    assert branding.logo_data_uri(SVG) is None and branding.logo_data_uri(None) is None
    assert branding.logo_data_uri(image_bytes("JPEG")).startswith("data:image/jpeg;base64,")


def test_the_size_limit_is_exact(app):
    assert len(image_bytes("PNG", (400, 400), noise=True)) > MAX_LOGO_BYTES
    small = image_bytes("PNG", (300, 300), noise=True)  # 300*300*3 = 270,000 bytes of noise, under 307,200
    assert len(small) <= MAX_LOGO_BYTES
    assert branding.check_logo(small) == small


def test_only_owners_set_the_organisations_branding(app, org):
    organisation, people = org
    for role in ("facilitator", "member", "viewer"):
        with pytest.raises(Forbidden):
            branding.set_organisation_branding(people[role], organisation.id, BrandInput("X", "#000000"))
    with pytest.raises(NotFound):
        branding.set_organisation_branding(make_user(), organisation.id, BrandInput("X", "#000000"))
    assert organisation.brand_name is None


def test_anyone_sets_their_own_branding(app):
    with app.test_request_context():
        user = make_user()
        branding.set_own_branding(user, BrandInput("Northwind", "#B4285A", image_bytes()))
        assert (user.brand_name, user.brand_color) == ("Northwind", "#b4285a")
        with pytest.raises(BrandingInvalid):
            branding.set_own_branding(user, BrandInput("Other", "nope"))
        db.session.rollback()
        assert user.brand_name == "Northwind"


def test_whose_branding_a_report_uses(app):
    from tests import results_scenario

    with app.test_request_context():
        scenario = results_scenario.build(app)
        assert branding.report_brand(scenario.assessment).source == "none"
        scenario.organisation.brand_name = "Org Brand"
        workshop = build_workshop(app)
        organisation = workshop.team.organisation
        organisation.brand_name, organisation.brand_color = "Org Brand", "#222222"
        db.session.commit()
        # the facilitator who created the workshop has no branding: the organisation's
        assert (branding.report_brand(workshop).source, branding.report_brand(workshop).name) == ("organisation", "Org Brand")
        facilitator = db.session.get(User, workshop.created_by_id)
        facilitator.brand_color = "#b4285a"  # any of the three counts as set, and is taken whole
        db.session.commit()
        used = branding.report_brand(workshop)
        assert (used.source, used.name, used.colour, used.logo) == ("user", "", "#b4285a", None)
        # a self-assessment started by a consultant still carries the organisation's branding
        scenario.assessment.created_by_id = facilitator.id
        db.session.commit()
        assert branding.report_brand(scenario.assessment).name == "Org Brand"


def test_the_pdf_shows_the_brand_and_its_cache_key_follows_the_logo(app):
    with app.test_request_context():
        workshop = build_workshop(app)
        facilitator = db.session.get(User, workshop.created_by_id)
        branding.set_own_branding(facilitator, BrandInput("Northwind Consulting", "#b4285a", image_bytes("PNG")))
        key = reports.input_key(workshop, "en", False)
        pdf, _ = reports.build_report(workshop, "en", show_names=False)
        cover = PdfReader(io.BytesIO(pdf)).pages[0]
        assert len(cover.images) == 1  # the logo, embedded (no network: a data: URI)
        assert "NORTHWIND CONSULTING" in text_of(pdf)  # the cover writes the brand in capitals
        branding.set_own_branding(facilitator, BrandInput("Northwind Consulting", "#b4285a", image_bytes("JPEG")))
        assert reports.input_key(workshop, "en", False) != key  # same name and colour, another logo
