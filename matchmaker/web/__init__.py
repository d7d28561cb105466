"""The pages: template globals, security headers, and the app-wide error handlers (matchmaker.http)
registered for every page and API call."""
from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from matchmaker.errors import DomainError
from matchmaker.http import handle_domain, handle_http, handle_unexpected

#: no inline scripts or styles, nothing from other sites, no framing
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'self'; "
                           "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint and not request.endpoint.startswith("static"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Error pages, security headers and template globals for every page."""
    from flask_babel import get_locale

    app.after_request(add_security_headers)
    from matchmaker import labels

    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["labels"] = {name: getattr(labels, name) for name in dir(labels)
                                       if name.isupper()}
    app.jinja_env.globals["has_page"] = lambda endpoint: endpoint in app.view_functions
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(DomainError, handle_domain)
    app.register_error_handler(Exception, handle_unexpected)
