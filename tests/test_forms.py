"""JSON bodies become form data so one form class validates pages and the API."""
from matchmaker.forms import first_errors, flatten


def test_flatten_repeats_list_keys_and_numbers_nested_objects():
    payload = {"name": "张", "skills": ["电工", "焊工"], "age": 3, "student": False,
               "members": [{"name": "李", "relation": "self"}], "skip": None}
    assert flatten(payload) == [
        ("name", "张"), ("skills", "电工"), ("skills", "焊工"), ("age", "3"),
        ("student", "false"), ("members-0-name", "李"), ("members-0-relation", "self")]


def test_first_errors_names_nested_fields():
    errors = {"name": ["请填写"], "members": [{}, {"id_number": ["校验码不正确", "x"]}]}
    assert first_errors(errors) == {"name": "请填写", "members[1].id_number": "校验码不正确"}
