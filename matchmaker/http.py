"""Error answers for the whole app: API.md's JSON body, `{"error": {"code", "message", "fields"}}`,
for a call under /api/, a friendly page (never a stack trace) for anything else. Used by the
API's handlers, the app-wide error handlers (registered by web.init_app), the login throttle and
the database-busy handler. Here, not in api/ or web/, so that neither layer imports the other."""
from __future__ import annotations

import logging

from flask import jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from matchmaker.errors import DomainError
from matchmaker.extensions import db

log = logging.getLogger("matchmaker.web")

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "bad_request",
         422: "invalid", 429: "rate_limited", 503: "unavailable"}
MESSAGES = {400: "请求格式不正确", 401: "请先登录", 403: "没有权限", 404: "找不到该对象",
            405: "不支持该请求方法", 409: "与现有数据冲突", 413: "上传内容过大",
            415: "请求格式不正确", 422: "填写的内容有误", 429: "请求过于频繁,请稍后再试",
            500: "服务器内部错误,请稍后再试", 503: "服务暂不可用,请稍后再试"}


def error_response(status: int, message: str | None = None, code: str | None = None,
                   fields: dict[str, str] | None = None):
    """The JSON error answer for `status`; code and message default to the status's."""
    body = {"code": code or CODES.get(status, "error"), "message": message or MESSAGES.get(status, "")}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = status
    return response


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
        return error_response(status)
    if status == 401:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return _page(status)


def handle_domain(exc: DomainError):
    db.session.rollback()
    if _wants_json():
        return error_response(exc.status, exc.message, exc.code, exc.fields or None)
    return _page(exc.status, exc.message)


def handle_unexpected(exc: Exception):
    db.session.rollback()
    log.exception("unexpected error on %s %s", request.method, request.path)
    if _wants_json():
        return error_response(500, code="internal_error")
    return _page(500)
