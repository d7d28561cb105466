"""The vocabularies: every kind of the model has its fits and categories, and they agree."""
from matchmaker import labels
from matchmaker.models import NeedKind, OfferKind
from matchmaker.vocabularies import FITS, JOB_CATEGORIES, NEED_CATEGORIES, OFFER_CATEGORIES


def test_every_kind_of_the_model_has_its_fits_and_its_categories():
    assert set(FITS) == set(NEED_CATEGORIES) == {kind.value for kind in NeedKind}
    assert set().union(*FITS.values()) == set(OFFER_CATEGORIES) == {k.value for k in OfferKind}


def test_an_offer_speaks_the_categories_of_every_need_kind_it_fits():
    for need_kind, offer_kinds in FITS.items():
        for offer_kind in offer_kinds:
            assert OFFER_CATEGORIES[offer_kind] == NEED_CATEGORIES[need_kind], offer_kind


def test_the_skill_bits_are_the_job_categories_in_the_labels_order():
    assert JOB_CATEGORIES == ("factory", "construction", "services", "agriculture", "domestic",
                              "public_welfare", "other")
    assert set(JOB_CATEGORIES) == set(labels.JOB_CATEGORY)
