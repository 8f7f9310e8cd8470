"""Sign up, log in and passwords."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..store.models import User
from .errors import Invalid

MIN_PASSWORD = 8


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def sign_up(email: str, name: str, password: str, language: str | None = None) -> User:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise Invalid(_("Enter a valid email address."))
    if len(password) < MIN_PASSWORD:
        raise Invalid(_("Choose a password of at least %(count)d characters.", count=MIN_PASSWORD))
    if find_user(email):
        raise Invalid(_("An account with this email address already exists. Log in instead."))
    user = User(
        email=email, name=name.strip() or email.split("@")[0], password_hash=generate_password_hash(password), language=language
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user and check_password_hash(user.password_hash, password):
        return user
    return None


def change_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current):
        raise Invalid(_("The current password is not correct."))
    if len(new) < MIN_PASSWORD:
        raise Invalid(_("Choose a password of at least %(count)d characters.", count=MIN_PASSWORD))
    user.password_hash = generate_password_hash(new)
    db.session.commit()


def set_language(user: User, language: str) -> None:
    """Remember the user's language on the account (it follows them to other browsers)."""
    if user.language != language:
        user.language = language
        db.session.commit()
