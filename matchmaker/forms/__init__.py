"""Form classes: the one validation source for pages and for JSON bodies."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import wtforms
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from matchmaker import privacy
from matchmaker.errors import Invalid


@lru_cache(maxsize=4)
def _translations(locales: tuple[str, ...]):
    from wtforms.i18n import get_translations

    return get_translations(list(locales))


class ChineseMeta:
    """WTForms' own Chinese messages for its built-in validators (loaded once)."""

    locales = ("zh",)

    def get_translations(self, form):
        return _translations(tuple(self.locales))


class BaseForm(FlaskForm):
    """Page forms carry a CSRF token; the same class validates JSON with csrf=False."""

    class Meta(ChineseMeta):
        pass

    @classmethod
    def from_json(cls, payload: dict) -> "BaseForm":
        return cls(formdata=MultiDict(flatten(payload)), meta={"csrf": False})

    def validated(self) -> "BaseForm":
        """The form itself when valid, else Invalid with one message per field."""
        if not self.validate():
            raise Invalid(first_errors(self.errors))
        return self


class SubForm(wtforms.Form):
    """A nested form (FormField): no CSRF of its own, the same Chinese messages."""

    class Meta(ChineseMeta):
        pass


def clean_text(value):
    """Full-width folded and surrounding spaces removed; any script kept as entered."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


class ListField(wtforms.Field):
    """A list of short texts: repeated JSON values, or one comma-separated page input."""

    widget = wtforms.widgets.TextInput()

    def process_formdata(self, valuelist):
        items = []
        for value in valuelist:
            items += [clean_text(part) for part in str(value).replace("，", ",").split(",")]
        self.data = [item for item in items if item]

    def _value(self):
        return ", ".join(self.data or [])


class MultiChoiceField(wtforms.SelectMultipleField):
    """Several codes from a vocabulary; an unknown one is named in the message."""

    def pre_validate(self, form):
        allowed = {choice.value for choice in self.choices}
        unknown = [value for value in self.data or [] if value not in allowed]
        if unknown:
            raise wtforms.validators.ValidationError("无效的选项:" + "、".join(map(str, unknown)))


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


def personal_check(problem_of):
    """A validator that normalises an ID number or phone and says what is wrong with it."""

    def check(form, field) -> None:
        if field.data:
            field.data = privacy.normalise(field.data)
            problem = problem_of(field.data)
            if problem:
                raise wtforms.validators.ValidationError(problem)

    return check


id_number_check = personal_check(privacy.id_number_problem)
phone_check = personal_check(privacy.phone_problem)
