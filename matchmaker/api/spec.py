"""Endpoint documentation kept on the view functions, from which openapi.json is generated.
A route's roles are not written here: the generator reads those auth.roles_required enforces."""
from __future__ import annotations

from dataclasses import dataclass, field

from wtforms import fields as wtf

LIST_ENVELOPE = ("items", "page", "per_page", "total")


@dataclass
class Doc:
    summary: str
    body: type | None = None  # a form class: its fields are the JSON body
    response: dict | None = None  # a JSON schema of the success body
    status: int = 200
    public: bool = False
    query: dict[str, str] = field(default_factory=dict)  # name → description
    errors: tuple[int, ...] = ()
    #: multipart form fields of an upload: name → "file" or "string"
    upload: dict[str, str] = field(default_factory=dict)


def documented(summary: str, **kwargs):
    """Attach the endpoint's documentation to the view; openapi.json reads it from there."""

    def decorate(view):
        view.__api_doc__ = Doc(summary, **kwargs)
        return view

    return decorate


def obj(required: tuple[str, ...] = (), **properties) -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def string(**extra) -> dict:
    return {"type": "string", **extra}


def number(nullable: bool = False) -> dict:
    return {"type": ["number", "null"] if nullable else "number"}


def integer(nullable: bool = False) -> dict:
    return {"type": ["integer", "null"] if nullable else "integer"}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def page_of(item: dict) -> dict:
    return obj(LIST_ENVELOPE, items=array(item), page=integer(), per_page=integer(),
               total=integer())


def form_schema(form_class: type) -> dict:
    """The JSON schema of a form's fields (names, types, required, choices)."""
    form = form_class(meta={"csrf": False})
    properties, required = {}, []
    for item in form:
        properties[item.name] = _field_schema(item)
        if item.flags.required:
            required.append(item.name)
    return obj(tuple(required), **properties)


def _field_schema(item) -> dict:
    schema: dict = {"description": str(item.label.text)}
    if isinstance(item, wtf.FieldList):
        inner = item.unbound_field
        if issubclass(inner.field_class, wtf.FormField):
            schema.update(array(form_schema(inner.args[0])))
        else:
            schema.update(array({"type": "string"}))
    elif isinstance(item, wtf.FormField):
        schema.update(form_schema(item.form_class))
    elif isinstance(item, wtf.SelectMultipleField):
        schema.update(array({"type": "string", "enum": [c.value for c in item.choices]}))
    elif isinstance(item, wtf.SelectField):
        schema.update(type="string", enum=[c.value for c in item.choices])
    elif hasattr(item, "json_schema"):  # the bounded numbers of matchmaker.forms
        schema.update(item.json_schema())
    elif isinstance(item, wtf.IntegerField):
        schema["type"] = "integer"
    elif isinstance(item, (wtf.FloatField, wtf.DecimalField)):
        schema["type"] = "number"
    elif isinstance(item, wtf.BooleanField):
        schema["type"] = "boolean"
    elif isinstance(item, wtf.DateField):
        schema.update(type="string", format="date")
    else:
        schema["type"] = "string"
    return schema
