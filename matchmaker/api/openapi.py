"""GET /api/v1/openapi.json, generated from the URL map and the views' documentation."""
from __future__ import annotations

import re

from flask import current_app, jsonify

from matchmaker.api import bp
from matchmaker.api.spec import Doc, documented, obj, string
from matchmaker.http import CODES
from matchmaker.limits import MAX_ID

PATH_ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")
#: the list arguments of paginate(): positive integers, anything else is a 400
PAGE_ARGUMENTS = {"page", "per_page"}
ERROR = obj(("error",), error=obj(("code", "message"), code=string(), message=string(),
                                  fields={"type": "object",
                                          "additionalProperties": {"type": "string"}}))


@bp.get("/openapi.json")
@documented("本接口文档(OpenAPI 3)", public=True, response={"type": "object"})
def openapi_document():
    return jsonify(build_document())


def build_document() -> dict:
    paths: dict[str, dict] = {}
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.endpoint.startswith(bp.name + "."):
            continue
        view = current_app.view_functions[rule.endpoint]
        doc = getattr(view, "__api_doc__", None) or Doc(rule.endpoint)
        path = PATH_ARGUMENT.sub(r"{\2}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(rule, method, doc,
                                                                    enforced_roles(view))
    return {
        "openapi": "3.1.0",
        "info": {"title": "matchmaker API", "version": "1"},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def enforced_roles(view) -> tuple[str, ...]:
    """The roles auth.roles_required lets through to this view (empty: no role check)."""
    return tuple(str(role) for role in getattr(view, "__roles__", ()))


def _operation(rule, method: str, doc: Doc, roles: tuple[str, ...]) -> dict:
    operation = {"operationId": f"{method.lower()}_{rule.endpoint.split('.', 1)[1]}",
                 "summary": doc.summary, "parameters": _parameters(rule, doc),
                 "responses": _responses(rule, doc)}
    if not doc.public:
        operation["security"] = [{"bearer": []}]
    if roles:
        operation["description"] = "角色: " + ", ".join(roles)
    if doc.upload:
        operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {
            "schema": _upload_schema(doc.upload)}}}
    if doc.body is not None and method in ("POST", "PUT", "PATCH"):
        from matchmaker.api.spec import form_schema

        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": form_schema(doc.body)}}}
    return operation


def _upload_schema(fields: dict[str, str]) -> dict:
    properties = {name: {"type": "string", "format": "binary"} if kind == "file"
                  else {"type": "string"} for name, kind in fields.items()}
    return {"type": "object", "properties": properties,
            "required": [name for name, kind in fields.items() if kind == "file"]}


def _parameters(rule, doc: Doc) -> list[dict]:
    params = [{"name": name, "in": "path", "required": True,
               "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}
               if converter == "int" else {"type": "string"}}
              for converter, name in PATH_ARGUMENT.findall(rule.rule)]
    params += [{"name": name, "in": "query", "required": False, "description": text,
                "schema": {"type": "integer", "minimum": 1} if name in PAGE_ARGUMENTS
                else {"type": "string"}} for name, text in doc.query.items()]
    return params


def _responses(rule, doc: Doc) -> dict:
    ok = {"description": "OK"}
    if doc.response is not None:
        ok["content"] = {"application/json": {"schema": doc.response}}
    responses = {str(doc.status): ok}
    codes = set(doc.errors) | ({400, 422} if doc.body else set())
    codes |= set() if doc.public else {401, 403}
    codes |= {404} if rule.arguments else set()  # an object named in the path may not exist
    codes |= {400} if PAGE_ARGUMENTS & doc.query.keys() else set()
    for status in sorted(codes):
        responses[str(status)] = {"description": CODES.get(status, "error"), "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return responses
