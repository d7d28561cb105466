"""JSON bodies become form data so one form class validates pages and the API."""
import importlib
import pkgutil

import pytest
import wtforms

from matchmaker import forms
from matchmaker.errors import Invalid
from matchmaker.forms import BaseForm, NumberField, clean_text, first_errors, flatten
from matchmaker.forms.claims import PledgeForm
from matchmaker.validation import normalise_text


def test_flatten_repeats_list_keys_and_numbers_nested_objects():
    payload = {"name": "张", "skills": ["电工", "焊工"], "age": 3, "student": False,
               "members": [{"name": "李", "relation": "self"}], "skip": None}
    assert flatten(payload) == [
        ("name", "张"), ("skills", "电工"), ("skills", "焊工"), ("age", "3"),
        ("student", "false"), ("members-0-name", "李"), ("members-0-relation", "self")]


def test_first_errors_names_nested_fields():
    errors = {"name": ["请填写"], "members": [{}, {"id_number": ["校验码不正确", "x"]}]}
    assert first_errors(errors) == {"name": "请填写", "members[1].id_number": "校验码不正确"}


# -- issue 18: one normaliser, bounded numbers, shapes -----------------------------------------

def test_the_forms_text_filter_is_the_one_normaliser_and_drops_zero_width_characters():
    assert clean_text is normalise_text
    assert normalise_text("\u200b\u200d\ufeff\u2060") == ""
    assert normalise_text(" ＡＢ\u200bＣ ") == "ABC"


def form_classes() -> list[type]:
    """Every form class of matchmaker.forms' modules."""
    found = []
    for module in pkgutil.iter_modules(forms.__path__):
        loaded = importlib.import_module(f"matchmaker.forms.{module.name}")
        found += [value for value in vars(loaded).values() if isinstance(value, type)
                  and issubclass(value, wtforms.Form) and value.__module__ == loaded.__name__]
    return found


@pytest.mark.parametrize("form_class", form_classes(), ids=lambda cls: cls.__name__)
def test_every_number_of_every_form_is_a_bounded_number_field(app, form_class):
    with app.test_request_context():
        form = form_class(meta={"csrf": False}) if issubclass(form_class, BaseForm) else form_class()
        unbounded = [field.name for field in walk(form)
                     if isinstance(field, (wtforms.IntegerField, wtforms.FloatField,
                                           wtforms.DecimalField))
                     and not isinstance(field, NumberField)]
    assert not unbounded


def walk(form):
    for field in form:
        if isinstance(field, wtforms.FieldList):
            field.append_entry()
            yield from (sub for entry in field.entries for sub in (
                walk(entry.form) if isinstance(entry, wtforms.FormField) else [entry]))
        elif isinstance(field, wtforms.FormField):
            yield from walk(field.form)
        else:
            yield field


@pytest.mark.parametrize("value", ["0.01", 0.01, "0.1", 0.285])
def test_a_pledge_of_a_fen_or_more_is_valid(app, value):
    with app.test_request_context():
        assert PledgeForm.from_json({"amount_yuan": value}).validate()


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-inf", "1e400", 1e20, "0.001", 0])
def test_non_finite_or_implausible_amounts_are_refused(app, value):
    with app.test_request_context():
        form = PledgeForm.from_json({"amount_yuan": value})
        assert not form.validate() and form.amount_yuan.errors


def test_a_list_where_one_value_is_expected_is_refused_with_the_field_named(app):
    with app.test_request_context(), pytest.raises(Invalid) as refused:
        PledgeForm.from_json({"amount_yuan": [1, 2], "offer_id": {"id": 1}})
    assert set(refused.value.fields) == {"amount_yuan", "offer_id"}
