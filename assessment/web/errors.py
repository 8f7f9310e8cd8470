"""Error pages: a clear message in the user's language, never a traceback."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from ..services.errors import ServiceError


def register(app: Flask) -> None:
    app.register_error_handler(ServiceError, _refused)
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _unexpected)


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have access to this page."),
        404: _("This page does not exist, or it is not yours to see."),
        405: _("This action is not allowed here."),
        409: _("Someone else changed this at the same time. Reload to see the latest version."),
        413: _("The upload is too large."),
        500: _("Something went wrong on our side. Nothing you entered was lost; please try again."),
    }


def render_error(code: int, message: str | None = None) -> tuple[str, int]:
    text = message or _messages().get(code, _("The request could not be completed."))
    return render_template("error.html", code=code, message=text), code


def _refused(error: ServiceError) -> tuple[str, int]:
    """A use case said no: 404 and 403 with the standard text, others with the service's reason."""
    if error.status in (403, 404):
        return render_error(error.status)
    return render_error(error.status, error.message or None)


def _csrf(error: CSRFError) -> tuple[str, int]:
    return render_error(400, _("The form expired or was sent from elsewhere. Reload the page and try again."))


def _http(error: HTTPException) -> tuple[str, int]:
    return render_error(error.code or 500, None)


def _unexpected(error: Exception) -> tuple[str, int]:
    from flask import current_app

    current_app.logger.exception("unhandled error", exc_info=error)
    return render_error(InternalServerError.code)
