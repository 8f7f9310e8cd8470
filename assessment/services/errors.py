"""What a use case can refuse, mapped by the web layer to 404, 403, 400 and 409."""

from __future__ import annotations


class ServiceError(Exception):
    status = 400

    def __init__(self, message: object = ""):
        super().__init__(message)
        self.message = str(message) if message else ""


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Invalid(ServiceError):
    """Bad input: the message says what to fix."""

    status = 400


class Conflict(ServiceError):
    """Someone else changed it first, or the state does not allow it now."""

    status = 409
