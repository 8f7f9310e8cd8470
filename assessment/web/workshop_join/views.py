"""Workshop participants, no account: join with a code, answer the open dimension, follow the facilitator.

Every route here is public; a participant is known only by the token in the PARTICIPANT cookie
(HttpOnly, SameSite=Lax). Forms are plain posts (a load script can drive them): fetch a page
for the `csrf_token`, then post the fields named in each route's docstring.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from ...services import workshop_participants as participants
from ...services.errors import ServiceError
from .forms import JoinWorkshopForm, ParticipantAnswerForm

bp = Blueprint("workshop_join", __name__)
PARTICIPANT = "cdcoach_participant"
COOKIE_AGE = 2 * 24 * 3600  # a reconnect the next morning of a two-day workshop still finds the seat
POLL = "every 3s"


def _token() -> str | None:
    return request.cookies.get(PARTICIPANT)


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _join_page(form: JoinWorkshopForm, problem: str | None = None, status: int = 200) -> tuple[str, int]:
    seat = participants.participant(_token())  # already in a workshop: offer the way back
    back = seat is not None and seat.removed_at is None and seat.assessment.status in ("open", "paused")
    return render_template("workshop_join/join.html", form=form, problem=problem, back=back), status


@bp.route("/join", methods=["GET", "POST"])
def join() -> tuple[str, int] | HttpResponse:
    """GET: the join form (`?code=` fills it in). POST: `code`, `name` (optional), `role` (dev, test,
    ops, product, lead or other) and `csrf_token`; sets the participant cookie and redirects to
    /workshop, or shows the form again with what was wrong."""
    form = JoinWorkshopForm() if request.method == "POST" else JoinWorkshopForm(formdata=None, code=request.args.get("code", ""))
    if not form.validate_on_submit():
        return _join_page(form, status=400 if request.method == "POST" else 200)
    try:
        _response, token = participants.join(form.code.data, form.name.data, form.role.data, _token())
    except ServiceError as error:
        return _join_page(form, error.message, error.status)
    reply = redirect(url_for(".joined"))
    secure = bool(current_app.config.get("PRODUCTION"))
    reply.set_cookie(PARTICIPANT, token, max_age=COOKIE_AGE, httponly=True, samesite="Lax", secure=secure)
    flash(_("You are in. The group sees only the spread of answers; the facilitator leads from here."), "success")
    return reply


@bp.get("/join/<code>")
def join_code(code: str) -> tuple[str, int]:
    """The join form with the code filled in (the link and QR code of the facilitator's screen).

    A code that cannot admit anyone now says why at once, so nobody types a name in vain."""
    form = JoinWorkshopForm(formdata=None, code=code)
    try:
        participants.workshop_for_code(code)
    except ServiceError as error:
        return _join_page(form, error.message)
    return _join_page(form)


@bp.get("/workshop")
def joined() -> str | HttpResponse:
    """The participant's page: the open dimension's questions with their own answers, or why not now."""
    try:
        seat = participants.seat_of(_token())
    except ServiceError:
        flash(_("Join the workshop with its code first."), "info")
        return redirect(url_for(".join"))
    return render_template("workshop_join/seat.html", seat=seat, poll=POLL, form=ParticipantAnswerForm(formdata=None))


@bp.get("/workshop/poll")
def join_poll() -> str | tuple[str, int]:
    """htmx polls this: 204 (nothing to swap) while `?seen=` is still the page's state, else the new part."""
    try:
        if request.args.get("seen") == participants.seat_of(_token(), questions=False).key:
            return "", 204
        seat = participants.seat_of(_token())
    except ServiceError:
        return render_template("workshop_join/_gone.html")
    return render_template("workshop_join/_seat.html", seat=seat, poll=POLL, form=ParticipantAnswerForm(formdata=None))


@bp.post("/workshop/answers")
def join_answer() -> str | tuple[str, int] | HttpResponse:
    """Save one answer: `practice` (a practice id of the open dimension), `value` (0, 1, 2, 3, na or
    unknown) and `csrf_token`, with the participant cookie. htmx gets a small fragment; a plain
    post is redirected back to /workshop. Refusals say why (400, 403, 409)."""
    form = ParticipantAnswerForm()
    if not form.validate_on_submit():
        return _refused(_("Choose one of the answers."), 400)
    try:
        participants.answer(_token(), form.practice.data, form.value.data)
    except ServiceError as error:
        return _refused(error.message or _("The request could not be completed."), error.status)
    if not _is_htmx():
        return redirect(url_for(".joined", _anchor=f"p-{form.practice.data}"))
    return render_template("workshop_join/_saved.html")


def _refused(message: str, status: int) -> tuple[str, int] | HttpResponse:
    if not _is_htmx():
        flash(message, "error")
        return redirect(url_for(".joined"))
    return render_template("workshop_join/_refused.html", message=message), status
