"""The codes each kind allows: which offer kinds fit which need kinds, and each kind's categories.

One place for services, forms, seeding and the pure matching engine, so it imports nothing but
the labels (no Flask, no database). The labels themselves stay in matchmaker.labels.
"""
from __future__ import annotations

from matchmaker import labels

#: which offer kinds may serve a need of each kind (claims, notices, matching)
FITS = {"service": ("service",), "goods": ("goods",), "funds": ("funds",), "job": ("job",),
        "produce": ("purchase",), "wish": ("wish_adoption", "goods")}

#: the category vocabulary of a need of each kind (a county may narrow the wishes')
NEED_CATEGORIES = {"service": labels.SERVICE_CATEGORY, "goods": labels.WISH_CATEGORY,
                   "funds": labels.WISH_CATEGORY, "job": labels.JOB_CATEGORY,
                   "produce": labels.PRODUCE_CATEGORY, "wish": labels.WISH_CATEGORY}

#: the category vocabulary of an offer of each kind: that of the needs it fits
OFFER_CATEGORIES = {"service": labels.SERVICE_CATEGORY, "goods": labels.WISH_CATEGORY,
                    "funds": labels.WISH_CATEGORY, "job": labels.JOB_CATEGORY,
                    "purchase": labels.PRODUCE_CATEGORY, "wish_adoption": labels.WISH_CATEGORY}

#: the job categories in a fixed order, the bits of the engine's skill masks
JOB_CATEGORIES = tuple(labels.JOB_CATEGORY)
