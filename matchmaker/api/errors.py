"""API.md's error format for every failure under /api/v1: never an HTML page, never a 500 for bad input."""
from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from matchmaker import auth
from matchmaker.api import bp
from matchmaker.extensions import csrf

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "bad_request",
         422: "invalid", 429: "rate_limited", 503: "unavailable"}
MESSAGES = {400: "请求格式不正确", 401: "请先登录", 403: "没有权限", 404: "找不到该对象",
            405: "不支持该请求方法", 409: "与现有数据冲突", 413: "上传内容过大",
            415: "请求格式不正确", 422: "填写的内容有误", 429: "请求过于频繁,请稍后再试",
            500: "服务器内部错误,请稍后再试", 503: "服务暂不可用,请稍后再试"}


def error_response(status: int, message: str | None = None, code: str | None = None,
                   fields: dict[str, str] | None = None):
    body = {"code": code or CODES.get(status, "error"), "message": message or MESSAGES.get(status, "")}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = status
    return response

csrf.exempt(bp)


@bp.before_request
def protect_cookie_sessions():
    """Calls with a valid bearer token need no CSRF token; browser calls riding the session
    cookie do (an invalid or foreign token in the header changes nothing)."""
    if request.method not in ("GET", "HEAD", "OPTIONS") and not auth.authenticated_by_bearer():
        if current_user.is_authenticated:
            csrf.protect()


@bp.errorhandler(CSRFError)
def csrf_error(exc: CSRFError):
    return error_response(400, "缺少或无效的CSRF令牌", "csrf_failed")
