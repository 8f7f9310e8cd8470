"""The branding form, shared by the organisation settings page and the account page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional

from ..services.branding import MAX_LOGO_BYTES, MAX_NAME, BrandingInvalid, BrandInput


class BrandingForm(FlaskForm):
    brand_name = StringField(_l("Brand name"), validators=[Optional(), Length(max=MAX_NAME)])
    brand_color = StringField(_l("Accent colour"), validators=[Optional(), Length(max=7)])
    logo = FileField(_l("Logo"))
    remove_logo = BooleanField(_l("Remove the logo"))

    def given(self) -> BrandInput:
        """The form's values for the service; the upload is read up to one byte past the limit, so
        the service can tell an oversized file without the whole of it in memory."""
        upload = self.logo.data
        logo = upload.read(MAX_LOGO_BYTES + 1) if upload and getattr(upload, "filename", "") else None
        return BrandInput(self.brand_name.data, self.brand_color.data, logo or None, bool(self.remove_logo.data))

    def show_error(self, error: BrandingInvalid) -> None:
        fields = {"name": self.brand_name, "colour": self.brand_color, "logo": self.logo}
        for name, message in error.problems.items():
            fields[name].errors = [*fields[name].errors, message]
