"""Settings from MATCHMAKER_* environment variables, converted to their types; defaults in one place."""
import re
from pathlib import Path

from flask import Flask

import matchmaker
from matchmaker.config import ENVIRONMENT, defaults, from_environment

PACKAGE = Path(matchmaker.__file__).parent
#: `config.get("KEY", default)` / `config.get("KEY") or default` on an app's configuration
DEFAULT_AT_CALL = re.compile(r"config\.get\(\"[A-Z_]+\"(?:, |\) or )")
READ = re.compile(r"config(?:\[|\.get\()[\"']([A-Z_]+)[\"']")
#: keys create_app sets itself (generated secrets, the database URL from the environment)
SET_BY_THE_FACTORY = {"SECRET_KEY", "DATA_KEY"}
#: keys that are unset unless configured, and mean "not configured" when missing
OPTIONAL = {"MATCH_WEIGHTS"}


def test_environment_settings_take_their_types():
    found = from_environment({
        "MATCHMAKER_CLAIM_DAYS": "14", "MATCHMAKER_TAKEOVER_ANSWER_DAYS": "3",
        "MATCHMAKER_MATCH_DEFAULT_RADIUS_KM": "35.5",
        "MATCHMAKER_MATCH_WEIGHTS": '{"distance": 0.5, "fairness": 0.2}',
        "MATCHMAKER_GEOCODER": "nominatim", "MATCHMAKER_REDIS_URL": ""})
    assert found == {"CLAIM_DAYS": 14, "TAKEOVER_ANSWER_DAYS": 3, "MATCH_DEFAULT_RADIUS_KM": 35.5,
                     "MATCH_WEIGHTS": {"distance": 0.5, "fairness": 0.2},
                     "GEOCODER": "nominatim"}


def _sources():
    return {path.relative_to(PACKAGE): path.read_text(encoding="utf-8")
            for path in PACKAGE.rglob("*.py")}


def test_no_default_is_written_where_a_setting_is_read():
    """A setting's default lives in config.defaults() only (issue 17), never at a call site."""
    written = {str(path): DEFAULT_AT_CALL.findall(text) for path, text in _sources().items()
               if path.name != "config.py"}
    assert {path: found for path, found in written.items() if found} == {}


def test_every_setting_read_or_given_by_the_environment_has_a_default():
    known = set(defaults("/tmp")) | set(Flask.default_config) | SET_BY_THE_FACTORY | OPTIONAL
    read = {key for text in _sources().values() for key in READ.findall(text)}
    assert read - known == set()
    assert set(ENVIRONMENT.values()) - known == set()
