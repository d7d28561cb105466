"""ID numbers and phones: validation, encryption at rest, keyed hashes, masks."""
from datetime import date

import pytest

from matchmaker import privacy

VALID_ID = "11010519491231002X"  # the GB 11643 standard's own example


def test_standard_example_id_number_is_valid():
    assert privacy.id_number_problem(VALID_ID) is None
    assert privacy.id_birth_date(VALID_ID) == date(1949, 12, 31)


@pytest.mark.parametrize("number, problem", [
    ("110105194912310021", "校验码"),
    ("110105194913310028", "出生日期"),
    ("11010519491231002", "18位"),
    ("1101051949123100XX", "18位"),
])
def test_invalid_id_numbers_say_why(number, problem):
    assert problem in privacy.id_number_problem(number)


def test_future_birth_date_is_refused():
    assert "出生日期" in privacy.id_number_problem("110105203001010016",
                                                  today=date(2026, 11, 22))


def test_full_width_and_spaces_are_normalised():
    assert privacy.normalise(" １１０１０５１９４９１２３１００２ｘ ") == VALID_ID


@pytest.mark.parametrize("phone, ok", [("13812345678", True), ("12812345678", False),
                                       ("0799-683", False), ("07996831234", True)])
def test_phone_numbers(phone, ok):
    assert (privacy.phone_problem(privacy.normalise(phone)) is None) is ok


def test_masks():
    assert privacy.mask_id_number(VALID_ID) == "110105********002X"
    assert privacy.mask_phone("13812345678") == "138****5678"


@pytest.fixture
def keyed_app():
    from flask import Flask

    app = Flask(__name__)
    app.config["DATA_KEY"] = "k1"
    with app.app_context():
        yield app


def test_encryption_round_trips_and_hides_the_value(keyed_app):
    token = privacy.encrypt(VALID_ID)
    assert VALID_ID not in token and privacy.decrypt(token) == VALID_ID


def test_keyed_hash_finds_the_same_number_however_typed(keyed_app):
    assert privacy.keyed_hash("id_number", VALID_ID) == privacy.keyed_hash(
        "id_number", " 11010519491231002x")


def test_another_key_cannot_decrypt_or_match(keyed_app):
    token, digest = privacy.protect("id_number", VALID_ID)
    keyed_app.config["DATA_KEY"] = "k2"
    with pytest.raises(ValueError):
        privacy.decrypt(token)
    assert privacy.keyed_hash("id_number", VALID_ID) != digest
