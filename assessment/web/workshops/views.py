"""Facilitator pages of a live workshop: create, control, live view, big screen, consensus, finish."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as HttpResponse

from ... import clock
from ...engine.catalog import Practice
from ...engine.periods import first_free, quarter_of
from ...language import current_language
from ...services import permissions, workshop_live, workshops
from ...services.errors import Conflict, Forbidden, Invalid, NotFound
from ...services.progress import progress_of
from ...services.teams import team_or_404
from ...services.workshop_consensus import ConsensusConflict, Recorded, current_consensus, record_consensus
from ...services.workshop_live import PracticeLive
from ...store.models import Assessment
from ..assessments.forms import ConfirmForm
from ..teams.forms import start_form
from ..teams.views import catalogs
from .forms import ConsensusForm, DimensionForm, StateForm
from .qr import qr_svg

bp = Blueprint("workshops", __name__)
WORKSHOP = "/assessments/<int:workshop_id>/workshop"
POLL = "every 3s"


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _join_url(workshop: Assessment) -> str:
    return url_for("workshop_join.join_code", code=workshop.join_code, _external=True)


def _new_form(team_id: int, submitted: bool = False) -> Any:
    """The team page's start form, its default period the first quarter without a workshop."""
    taken = {w.period for w in workshops.workshops_of_team(team_id)}
    form = start_form(catalogs(), first_free(quarter_of(clock.now().date()), taken), taken, submitted)
    if not submitted:
        form.questionnaire.data = "quick"  # 30 practices fit a one- or two-hour session; 110 rarely do
    return form


@bp.route("/teams/<int:team_id>/workshops/new", methods=["GET", "POST"])
@login_required
def new(team_id: int) -> str | tuple[str, int] | HttpResponse:
    """Set up a workshop for the team: questionnaire (full, quick or chosen dimensions) and period."""
    team, role = team_or_404(current_user, team_id)
    if not permissions.can_run_workshop(role):
        raise Forbidden()
    form = _new_form(team.id, submitted=request.method == "POST")
    if form.validate_on_submit():
        catalog = next(c for c in catalogs() if c.id == form.catalog.data)
        try:
            workshop = workshops.create_workshop(current_user, team.id, catalog, form.chosen_questionnaire(), form.period.data)
        except Invalid as error:
            form.questionnaire.errors = [*form.questionnaire.errors, error.message]
        else:
            flash(_("The workshop is ready. Open it when the group is in the room."), "success")
            return redirect(url_for(".control", workshop_id=workshop.id))
    status = 400 if form.errors else 200
    return render_template("workshops/new.html", team=team, form=form, catalog=catalogs()[0]), status


@bp.get(WORKSHOP)
@login_required
def control(workshop_id: int) -> str:
    """Code, join link and QR code, state buttons, the open dimension and the participants."""
    workshop = workshops.workshop_or_404(current_user, workshop_id)
    view = workshop_live.build_live_view(workshop, current_language())
    return render_template(
        "workshops/control.html",
        workshop=workshop,
        view=view,
        join_url=_join_url(workshop),
        qr=qr_svg(_join_url(workshop)),
        expired=workshop.join_expires_at is not None and workshop.join_expires_at <= clock.now(),
        participants=workshops.participants(workshop),
        dimension_form=_dimension_form(view),
        confirm=ConfirmForm(formdata=None),
    )


def _dimension_form(view: workshop_live.LiveView) -> DimensionForm:
    form = DimensionForm(formdata=None, dimension=view.dimension_id)
    form.dimension.choices = [(d.id, d.name) for d in view.dimensions]
    return form


@bp.post(WORKSHOP + "/state")
@login_required
def state(workshop_id: int) -> HttpResponse:
    """`action`: open, pause, resume or close."""
    form = StateForm()
    workshops.workshop_or_404(current_user, workshop_id)
    if not form.validate_on_submit():
        raise Invalid()
    workshop = workshops.change_state(current_user, workshop_id, form.action.data)
    messages = {
        "open": _("The workshop is open: participants can join with the code."),
        "pause": _("The workshop is paused: participants see a waiting message."),
        "resume": _("The workshop is open again."),
        "close": _("The workshop is closed: no more answers. Settle the remaining consensus, then finalize."),
    }
    flash(messages[form.action.data], "success")
    return redirect(url_for(".control", workshop_id=workshop.id))


@bp.post(WORKSHOP + "/dimension")
@login_required
def dimension(workshop_id: int) -> HttpResponse:
    """`dimension`: the dimension participants answer now."""
    workshops.workshop_or_404(current_user, workshop_id)
    form = DimensionForm()
    if not form.validate_on_submit():
        raise Invalid()
    workshops.open_dimension(current_user, workshop_id, form.dimension.data)
    back = request.form.get("back")
    return redirect(url_for(".live" if back == "live" else ".control", workshop_id=workshop_id))


@bp.post(WORKSHOP + "/participants/<int:response_id>/remove")
@login_required
def remove(workshop_id: int, response_id: int) -> HttpResponse:
    workshops.workshop_or_404(current_user, workshop_id)
    if not ConfirmForm().validate_on_submit():
        raise Invalid()
    workshops.remove_participant(current_user, workshop_id, response_id)
    flash(_("The participant is out of the workshop; their answers no longer count."), "success")
    return redirect(url_for(".control", workshop_id=workshop_id, _anchor="participants"))


@bp.post(WORKSHOP + "/finish")
@login_required
def finish(workshop_id: int) -> HttpResponse:
    """Finalize a closed workshop: it becomes a finalized assessment with results, roadmap and PDF."""
    workshops.workshop_or_404(current_user, workshop_id)
    if not ConfirmForm().validate_on_submit():
        raise Invalid()
    workshops.finish(current_user, workshop_id)
    flash(_("The workshop is finalized: its results, roadmap and report are ready."), "success")
    return redirect(url_for("results.show", assessment_id=workshop_id))


@bp.get(WORKSHOP + "/live")
@login_required
def live(workshop_id: int) -> str:
    """The open dimension as the group answers it; the list refreshes itself (live_update)."""
    view = workshop_live.live_view(current_user, workshop_id, current_language())
    return render_template("workshops/live.html", view=view, poll=POLL, dimension_form=_dimension_form(view))


@bp.get(WORKSHOP + "/live/update")
@login_required
def live_update(workshop_id: int) -> str | tuple[str, int]:
    """The live list as a fragment; 204 while it is unchanged since `?seen=`."""
    return _update(workshop_id, "workshops/_live.html")


def _update(workshop_id: int, template: str) -> str | tuple[str, int]:
    """A polled fragment: 204 (htmx swaps nothing) while the view is what the page has (`?seen=`)."""
    view = workshop_live.live_view(current_user, workshop_id, current_language())
    if request.args.get("seen") == view.key:
        return "", 204
    return render_template(template, view=view, poll=POLL)


@bp.get(WORKSHOP + "/screen")
@login_required
def screen(workshop_id: int) -> str:
    """For the projector: the join code and QR code, and the distributions; no names anywhere."""
    workshop = workshops.workshop_or_404(current_user, workshop_id)
    view = workshop_live.build_live_view(workshop, current_language())
    qr = qr_svg(_join_url(workshop))
    return render_template("workshops/screen.html", view=view, poll=POLL, qr=qr, join_url=_join_url(workshop))


@bp.get(WORKSHOP + "/screen/update")
@login_required
def screen_update(workshop_id: int) -> str | tuple[str, int]:
    """The big screen's distributions as a fragment; 204 while unchanged since `?seen=`."""
    return _update(workshop_id, "workshops/_screen.html")


@bp.route(WORKSHOP + "/consensus/<practice_id>", methods=["GET", "POST"])
@login_required
def consensus(workshop_id: int, practice_id: str) -> tuple[str, int] | tuple[str, int, dict[str, str]] | HttpResponse:
    """GET: the consensus form (a fragment for htmx). POST: `value` (0-3 or na), `note`, `version`
    (the consensus version the form was read at, 0 for none); a stale version is a conflict that
    shows what the other facilitator recorded and keeps this one's input in the form."""
    workshop = workshops.workshop_or_404(current_user, workshop_id)
    practice = _practice_or_404(workshop, practice_id)
    stats = workshop_live.practice_live(workshop, practice, current_language())
    theirs, status, saved = None, 200, False
    form = _consensus_form(current_consensus(workshop.id, practice_id), stats)
    if request.method == "POST":
        form = ConsensusForm()
        status = 400
        if form.validate_on_submit():
            try:
                record_consensus(current_user, workshop.id, practice_id, form.value.data, form.note.data, form.version.data)
            except ConsensusConflict as conflict:
                theirs, status = conflict.current, 409
                # Saving again now replaces theirs knowingly: the form moves on to their version.
                form.version.data = conflict.current.version if conflict.current else 0
                form.version.raw_data = [str(form.version.data)]
            except (Invalid, Conflict) as error:
                form.value.errors = [*form.value.errors, error.message]
                status = error.status
            else:
                if not _is_htmx():
                    flash(_("The agreed answer is recorded."), "success")
                    return redirect(url_for(".live", workshop_id=workshop.id))
                saved, status = True, 200
                stats = workshop_live.practice_live(workshop, practice, current_language())
                form = _consensus_form(current_consensus(workshop.id, practice_id), stats)
    context = {"workshop": workshop, "practice": practice, "stats": stats, "form": form, "theirs": theirs, "saved": saved}
    if _is_htmx():
        # htmx swaps only 2xx answers: the fragment itself says what went wrong. A save tells
        # the live list to refresh now rather than at its next poll.
        headers = {"HX-Trigger": "consensus-saved"} if saved else {}
        return render_template("workshops/_consensus.html", **context), 200, headers
    return render_template("workshops/consensus.html", **context), status


def _consensus_form(stored: Recorded | None, stats: PracticeLive) -> ConsensusForm:
    if stored is not None:
        return ConsensusForm(formdata=None, value=stored.value, note=stored.note, version=stored.version)
    return ConsensusForm(formdata=None, value=stats.default_consensus, note="", version=0)


def _practice_or_404(workshop: Assessment, practice_id: str) -> Practice:
    for page in progress_of(workshop, None).pages:
        for practice in page.practices:
            if practice.id == practice_id:
                return practice
    raise NotFound()
