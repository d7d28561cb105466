"""Form classes: the one validation source for pages and for JSON bodies."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import wtforms
from flask import current_app, has_app_context
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from matchmaker import limits, privacy
from matchmaker.config import MONEY_MAX_YUAN
from matchmaker.errors import Invalid
from matchmaker.validation import normalise_text


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
        """The form filled from a JSON object whose values have the shapes the fields take."""
        form = cls(formdata=MultiDict(flatten(payload)), meta={"csrf": False})
        problems = shape_problems(form, payload)
        if problems:
            raise Invalid(problems)
        return form

    def validated(self) -> "BaseForm":
        """The form itself when valid, else Invalid with one message per field."""
        if not self.validate():
            raise Invalid(first_errors(self.errors))
        return self


class SubForm(wtforms.Form):
    """A nested form (FormField): no CSRF of its own, the same Chinese messages."""

    class Meta(ChineseMeta):
        pass


#: the text filter of the forms is the one normaliser of matchmaker.validation
clean_text = normalise_text


def _parts(valuelist) -> list[str]:
    """Repeated values, each possibly a comma-separated page input, split and trimmed."""
    parts = [part.strip() for value in valuelist
             for part in str(value).replace("，", ",").split(",")]
    return [part for part in parts if part]


def _too_many(count: int) -> None:
    if count > limits.MAX_LIST_ITEMS:
        raise ValueError(f"最多填写{limits.MAX_LIST_ITEMS}项")


class ListField(wtforms.Field):
    """A list of short texts: repeated JSON values, or one comma-separated page input."""

    widget = wtforms.widgets.TextInput()

    def __init__(self, label=None, validators=None, max_chars: int = 64, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.max_chars = max_chars

    def process_formdata(self, valuelist):
        items = [clean_text(part) for part in _parts(valuelist)]
        self.data = list(dict.fromkeys(item for item in items if item))
        _too_many(len(self.data))
        if any(len(item) > self.max_chars for item in self.data):
            raise ValueError(f"每项不能超过{self.max_chars}个字")

    def _value(self):
        return ", ".join(self.data or [])


class IdListField(wtforms.Field):
    """A list of ids: repeated JSON values, or one comma-separated page input; duplicates once."""

    widget = wtforms.widgets.TextInput()

    def process_formdata(self, valuelist):
        parts = _parts(valuelist)
        self.data = None
        _too_many(len(parts))
        if not all(part.isascii() and part.isdigit() and 1 <= int(part) <= limits.MAX_ID
                   for part in parts):
            raise ValueError("编号须为正整数")
        self.data = list(dict.fromkeys(int(part) for part in parts))

    def _value(self):
        return ", ".join(map(str, self.data or []))


def _decimal(text) -> Decimal:
    """A finite number from form text or JSON; NaN, Infinity and 1e400 are ValueErrors."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation as exc:
        raise ValueError("须为数字") from exc
    if not value.is_finite():
        raise ValueError("须为有限的数字")
    return value


class NumberField(wtforms.DecimalField):
    """A number within [low, high]: every number of every form, checked here and nowhere else.

    `kind` says what `data` holds: "int" (ids, counts), "float" (quantities, coordinates) or
    "decimal" (money, hours). The range is compared as Decimal, so 0.01 元 is not below 0.01.
    `high=None` is the configured money ceiling (MONEY_MAX_YUAN). `message` says what is wrong
    below the range, `range_message` anywhere outside it.
    """

    def __init__(self, label=None, validators=None, *, kind: str = "decimal", low=None,
                 high=None, message: str | None = None, range_message: str | None = None,
                 **kwargs):
        super().__init__(label, validators, places=2 if kind == "decimal" else None, **kwargs)
        self.kind, self.low, self.high = kind, low, high
        self.message, self.range_message = message or range_message, range_message

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = None
        value = _decimal(valuelist[0])
        if self.kind == "int" and value != value.to_integral_value():
            raise ValueError("须为整数")
        self.exact = value
        self.data = {"int": int, "float": float}.get(self.kind, Decimal)(value)

    def pre_validate(self, form):
        if self.data is None:
            return
        exact = getattr(self, "exact", None)
        exact = Decimal(str(self.data)) if exact is None else exact
        high = money_max() if self.high is None else Decimal(str(self.high))
        if self.low is not None and exact < Decimal(str(self.low)):
            raise wtforms.validators.ValidationError(self.message or f"不能小于{self.low}")
        if exact > high:
            raise wtforms.validators.ValidationError(self.range_message or f"不能超过{_plain(high)}")


    def json_schema(self) -> dict:
        """The type and range for the OpenAPI document."""
        high = money_max() if self.high is None else self.high
        schema = {"type": "integer" if self.kind == "int" else "number", "maximum": _plain(high)}
        return schema if self.low is None else {**schema, "minimum": _plain(self.low)}


def _plain(number):
    """A bound as JSON writes a number: an int when whole, else a float."""
    return int(number) if number == int(number) else float(number)


def money_max() -> Decimal:
    """The configured ceiling of one amount in 元 (MONEY_MAX_YUAN)."""
    return Decimal(current_app.config["MONEY_MAX_YUAN"] if has_app_context() else MONEY_MAX_YUAN)


def IdField(label, validators=None, **kwargs) -> NumberField:  # noqa: N802  (named as a field)
    """A row's id: a positive integer no larger than the id column holds."""
    return NumberField(label, validators, kind="int", low=1, high=limits.MAX_ID,
                       message="编号须为正整数", **kwargs)


def MoneyField(label, validators=None, low=0, message=None, **kwargs):  # noqa: N802
    """An amount in 元: at least `low`, at most the configured ceiling, two places."""
    return NumberField(label, validators, low=low, message=message or f"{label}不能为负数",
                       **kwargs)


def QuantityField(label, validators=None, low=0.01, message=None, **kwargs):  # noqa: N802
    """A quantity (units, households, wishes): more than 0 and at most MAX_QUANTITY."""
    return NumberField(label, validators, kind="float", low=low, high=limits.MAX_QUANTITY,
                       message=message or f"{label}须大于0", **kwargs)


def CountField(label, validators=None, low=0, high=limits.MAX_COUNT, message=None,  # noqa: N802
               **kwargs):
    """A whole count (openings, people, months) within [low, high]."""
    return NumberField(label, validators, kind="int", low=low, high=high, message=message,
                       **kwargs)


class DateField(wtforms.DateField):
    """A date in the plausible range of limits (a birth date may be older: `earliest`)."""

    def __init__(self, label=None, validators=None, earliest: date = limits.EARLIEST_DATE,
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        self.earliest = earliest

    def pre_validate(self, form):
        problem = self.data and limits.date_problem(self.data, self.earliest)
        if problem:
            raise wtforms.validators.ValidationError(problem)


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


#: fields that take several values (a JSON list); every other field takes one
MULTIPLE = (ListField, IdListField, wtforms.SelectMultipleField)


def shape_problems(form, payload: dict, prefix: str = "") -> dict[str, str]:
    """{field: problem} for JSON values of the wrong shape: a list or object where the field
    takes one value, more than MAX_LIST_ITEMS items, a text over MAX_TEXT_CHARS."""
    problems: dict[str, str] = {}
    fields = form._fields if hasattr(form, "_fields") else {}
    for key, value in payload.items():
        field = fields.get(key)
        if field is not None and value is not None:
            problems.update(_shape_problem(field, value, f"{prefix}{key}"))
    return problems


def _shape_problem(field, value, name: str) -> dict[str, str]:
    if isinstance(field, wtforms.FormField):
        if not isinstance(value, dict):
            return {name: "须为对象"}
        return shape_problems(field.form, value, f"{name}.")
    if isinstance(field, (wtforms.FieldList, *MULTIPLE)):
        return _list_problems(field, value, name)
    return _scalar_problem(value, name)


def _scalar_problem(value, name: str) -> dict[str, str]:
    if isinstance(value, (list, dict)):
        return {name: "须为单个值,不能是列表或对象"}
    if isinstance(value, str) and len(value) > limits.MAX_TEXT_CHARS:
        return {name: f"不能超过{limits.MAX_TEXT_CHARS}个字"}
    return {}


def _list_problems(field, value, name: str) -> dict[str, str]:
    if not isinstance(value, list):  # one value for a list of values: one page input, "a, b"
        return _scalar_problem(value, name) if isinstance(field, MULTIPLE) else {name: "须为列表"}
    items = value
    if len(items) > limits.MAX_LIST_ITEMS:
        return {name: f"最多填写{limits.MAX_LIST_ITEMS}项"}
    template = _entry_template(field)
    problems: dict[str, str] = {}
    for index, item in enumerate(items):
        if item is not None:
            problems.update(_shape_problem(template, item, f"{name}[{index}]")
                            if template is not None else _scalar_problem(item, f"{name}[{index}]"))
    return problems


def _entry_template(field):
    """A FieldList's entry field (an unbound copy, for its shape), None for a list of values."""
    if not isinstance(field, wtforms.FieldList):
        return None
    entry = field.unbound_field.bind(form=None, name="_", _meta=field.meta,
                                     translations=field._translations)
    if isinstance(entry, wtforms.FormField):
        entry.process(None)
    return entry


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
