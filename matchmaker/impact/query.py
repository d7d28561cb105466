"""The impact scope a query string names (?region=&from=&to=&organization=), read the same way by
the public dashboard page and the impact API. Here, beside the figures, so that neither layer
imports the other; the caller passes the arguments (request.args), nothing here reads the
request."""
from __future__ import annotations

from collections.abc import Mapping

from matchmaker import limits
from matchmaker.impact.figures import Scope
from matchmaker.services.regions import region_by_code


def scope_from_query(args: Mapping[str, str]) -> Scope:
    """Each parameter checked by matchmaker.limits; a wrong one raises Invalid (a 422)."""
    date_from, date_to = limits.parse_period(args)
    return Scope(region=region_by_code(args["region"]) if args.get("region") else None,
                 date_from=date_from, date_to=date_to,
                 organization_id=limits.parse_int(args.get("organization"), "organization"))
