"""The signed-in home page: the user's organisations."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...services import organisations
from ...services.errors import Invalid
from .forms import OrganisationForm

bp = Blueprint("orgs", __name__)


@bp.route("/home", methods=["GET", "POST"])
@login_required
def home() -> str | Response:
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisations.create_organisation(current_user, form.name.data)
        except Invalid as error:
            form.name.errors.append(error.message)
        else:
            return redirect(url_for("orgs.home"))
    return render_template("orgs/home.html", memberships=organisations.organisations_of(current_user), form=form)
