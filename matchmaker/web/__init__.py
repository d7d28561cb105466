"""The pages: template globals, and friendly error pages that never show a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from matchmaker.errors import DomainError
from matchmaker.extensions import db

log = logging.getLogger("matchmaker.web")

TITLES = {400: _l("请求有误"), 401: _l("请先登录"), 403: _l("没有权限"), 404: _l("页面不存在"),
          405: _l("不支持该操作"), 409: _l("操作冲突"), 413: _l("上传文件过大"),
          422: _l("填写的内容有误"), 429: _l("操作过于频繁"), 500: _l("服务器出错了"),
          503: _l("服务暂不可用")}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _page(status: int, message: str | None = None):
    title = TITLES.get(status, _l("出错了"))
    return render_template("errors/error.html", status=status, title=title,
                           message=message), status


def handle_http(exc: HTTPException):
    status = exc.code or 500
    if _wants_json():
        from matchmaker.api.errors import error_response

        return error_response(status)
    if status == 401:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return _page(status)


def handle_domain(exc: DomainError):
    db.session.rollback()
    if _wants_json():
        from matchmaker.api.errors import error_response

        return error_response(exc.status, exc.message, exc.code, exc.fields or None)
    return _page(exc.status, exc.message)


def handle_unexpected(exc: Exception):
    db.session.rollback()
    log.exception("unexpected error on %s %s", request.method, request.path)
    if _wants_json():
        from matchmaker.api.errors import error_response

        return error_response(500, code="internal_error")
    return _page(500)


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
