"""Domain exceptions raised by services and turned into HTTP answers by the web and API layers."""
from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user can cause; `code` is the API's error code."""

    code = "error"
    status = 400

    def __init__(self, message: str = "", fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(DomainError):
    code, status = "not_found", 404


class UnknownRegion(NotFound):
    """No region has this 12-digit code: the one error of every look-up by code."""


class Forbidden(DomainError):
    code, status = "forbidden", 403


class Conflict(DomainError):
    code, status = "conflict", 409


class AlreadyClaimed(Conflict):
    code = "already_claimed"


class Duplicate(Conflict):
    code = "duplicate"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class Invalid(DomainError):
    """Bad field values: `fields` maps each field to the reason, in the user's language."""

    code, status = "invalid", 422

    def __init__(self, fields: dict[str, str] | str, message: str | None = None):
        if isinstance(fields, str):
            fields = {"_": fields}
        super().__init__(message or "; ".join(fields.values()), fields)
