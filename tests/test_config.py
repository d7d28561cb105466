"""Settings from MATCHMAKER_* environment variables, converted to their types."""
from matchmaker.config import from_environment


def test_environment_settings_take_their_types():
    found = from_environment({
        "MATCHMAKER_CLAIM_DAYS": "14", "MATCHMAKER_TAKEOVER_ANSWER_DAYS": "3",
        "MATCHMAKER_MATCH_DEFAULT_RADIUS_KM": "35.5",
        "MATCHMAKER_MATCH_WEIGHTS": '{"distance": 0.5, "fairness": 0.2}',
        "MATCHMAKER_GEOCODER": "nominatim", "MATCHMAKER_REDIS_URL": ""})
    assert found == {"CLAIM_DAYS": 14, "TAKEOVER_ANSWER_DAYS": 3, "MATCH_DEFAULT_RADIUS_KM": 35.5,
                     "MATCH_WEIGHTS": {"distance": 0.5, "fairness": 0.2},
                     "GEOCODER": "nominatim"}
