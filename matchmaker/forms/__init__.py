"""Form classes: the one validation source for pages and for JSON bodies."""
from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from matchmaker.errors import Invalid


class BaseForm(FlaskForm):
    """Page forms carry a CSRF token; the same class validates JSON with csrf=False."""

    class Meta:
        # WTForms' own Chinese messages for its built-in validators
        locales = ("zh",)

        def get_translations(self, form):
            from wtforms.i18n import get_translations

            return get_translations(self.locales)

    @classmethod
    def from_json(cls, payload: dict) -> "BaseForm":
        return cls(formdata=MultiDict(flatten(payload)), meta={"csrf": False})

    def validated(self) -> "BaseForm":
        """The form itself when valid, else Invalid with one message per field."""
        if not self.validate():
            raise Invalid(first_errors(self.errors))
        return self


def choices(labels: dict[str, str]) -> list[SelectChoice]:
    """Select options from {code: label}: codes in the API, labels on the pages."""
    return [SelectChoice(value, label) for value, label in labels.items()]


def flatten(payload: dict, prefix: str = "") -> list[tuple[str, str]]:
    """JSON to form data: lists repeat a key, lists of objects become key-0-field (FieldList)."""
    pairs: list[tuple[str, str]] = []
    for key, value in payload.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            pairs += flatten(value, f"{name}-")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    pairs += flatten(item, f"{name}-{index}-")
                elif item is not None:
                    pairs.append((name, _text(item)))
        elif value is not None:
            pairs.append((name, _text(value)))
    return pairs


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def first_errors(errors: dict, prefix: str = "") -> dict[str, str]:
    """{field: first message}, nested FieldList/FormField errors as members[0].name."""
    found: dict[str, str] = {}
    for field, messages in errors.items():
        name = f"{prefix}{field}"
        if isinstance(messages, dict):
            found.update(first_errors(messages, f"{name}."))
        elif messages and isinstance(messages[0], (dict, list)):
            for index, item in enumerate(messages):
                if isinstance(item, dict) and item:
                    found.update(first_errors(item, f"{name}[{index}]."))
        elif messages:
            found[name] = str(messages[0])
    return found
