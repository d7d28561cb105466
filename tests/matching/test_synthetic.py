"""Synthetic data: rows that a run can match, in a province of their own."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.services.market import match_runs as runs
from matchmaker.seeding.synthetic import PROVINCE_CODE, seed_synthetic
from matchmaker.models import MatchRun, Need, Offer, Region


def test_synthetic_needs_and_offers_are_matched_by_a_run(app):
    written = seed_synthetic(needs=400, offers=40, seed=3)
    assert written["needs"] == 400 and written["offers"] == 40
    assert db.session.scalar(select(func.count()).select_from(Need)) == 400
    assert db.session.scalar(select(func.count()).select_from(Offer)) == 40
    province = db.session.scalar(select(Region).where(Region.code == PROVINCE_CODE))
    counties = runs.county_ids_for(province.id)
    assert counties and all(db.session.get(Region, i).path.startswith(province.path)
                            for i in counties)
    made = runs.create_run(province.id)
    db.session.commit()
    runs.execute_run(made.id)
    finished = db.session.get(MatchRun, made.id)
    assert finished.status == "finished" and finished.proposals > 0
    assert finished.needs_considered <= 400


def test_synthetic_data_are_seeded_once(app):
    seed_synthetic(needs=50, offers=5)
    with pytest.raises(ValueError):
        seed_synthetic(needs=50, offers=5)
