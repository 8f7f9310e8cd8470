"""Configuration: safe defaults for local use, overridden by a mapping (tests) and then by
`CDCOACH_*` environment variables (e.g. CDCOACH_DATABASE_URL, CDCOACH_SECRET_KEY)."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

DEV_SECRET = "dev-only-secret-change-me"


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the message says what to set."""


def defaults(app: Flask) -> dict[str, Any]:
    return {
        "SECRET_KEY": DEV_SECRET,
        "DATABASE_URL": "sqlite:///" + os.path.join(app.instance_path, "cdcoach.sqlite"),
        "PRODUCTION": False,
        "QUESTIONNAIRES_DIR": None,  # None: the folder shipped with the app
        "LANGUAGES": ["en", "zh"],
        "BABEL_DEFAULT_LOCALE": "en",
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    }


def configure(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_mapping(defaults(app))
    if overrides:
        app.config.from_mapping(overrides)
    app.config.from_prefixed_env("CDCOACH")
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if app.config["PRODUCTION"]:
        if app.config["SECRET_KEY"] in (None, "", DEV_SECRET):
            raise ConfigError("CDCOACH_SECRET_KEY must be set to a long random value in production")
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
