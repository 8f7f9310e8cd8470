"""Sign up, log in, log out and the account page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from ...language import current_language
from ...services import accounts, branding
from ...services.branding import BrandingInvalid
from ...services.errors import Invalid
from ..branding import BrandingForm
from ..safety import safe_next
from .forms import LoginForm, PasswordForm, SignUpForm

bp = Blueprint("auth", __name__)


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("orgs.home"))
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            user = accounts.sign_up(form.email.data, form.name.data, form.password.data, current_language())
        except Invalid as error:
            form.email.errors.append(error.message)
        else:
            login_user(user)
            target = safe_next(request.args.get("next"))
            if target is None:  # coming from an invitation, the next page says what to do
                flash(_("Welcome to CD Coach. Start by creating your organisation."), "success")
            return redirect(target or url_for("orgs.home"))
    return render_template("auth/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("orgs.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("The email or the password is not correct."))
        else:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("orgs.home"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    return redirect(url_for("catalogs.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> str | Response:
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.new.data)
        except Invalid as error:
            form.current.errors.append(error.message)
        else:
            flash(_("Your password is changed."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(form, _own_branding_form())


def _own_branding_form() -> BrandingForm:
    return BrandingForm(formdata=None, brand_name=current_user.brand_name, brand_color=current_user.brand_color)


def _account_page(form: PasswordForm, branding_form: BrandingForm) -> str:
    logo = branding.logo_data_uri(current_user.brand_logo)
    return render_template("auth/account.html", form=form, branding_form=branding_form, logo=logo)


@bp.post("/account/branding")
@login_required
def own_branding() -> str | Response:
    """A consultant's own branding, for the PDFs of the workshops they run."""
    form = BrandingForm()
    if form.validate_on_submit():
        try:
            branding.set_own_branding(current_user, form.given())
        except BrandingInvalid as error:
            form.show_error(error)
        else:
            flash(_("Your branding is saved; the reports of the workshops you run use it."), "success")
            return redirect(url_for("auth.account", _anchor="branding"))
    return _account_page(PasswordForm(formdata=None), form)
