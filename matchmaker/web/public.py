"""Public pages, no login: the micro-wish board, one wish and how to help, certificate checks."""
from flask import Blueprint, abort, render_template, request

from matchmaker.extensions import db
from matchmaker.models import NeedKind
from matchmaker.serializers import public_need
from matchmaker.services.records import certificates
from matchmaker.impact import figures as impact
from matchmaker.impact import overview
from matchmaker.services.market.need_queries import public_need_by_id, public_needs
from matchmaker.services.regions import region_by_code

bp = Blueprint("public", __name__)


def _filters() -> dict:
    args = {"kind": NeedKind.WISH.value, "status": "open"}
    for key in ("region", "category"):
        if request.args.get(key):
            args[key] = request.args[key]
    return args


def _counts(args: dict) -> dict[str, int]:
    """Posted and lit wishes under the board's filters, by the dashboard's own definition."""
    scope = impact.Scope(region=region_by_code(args["region"]) if args.get("region") else None)
    return {"posted": impact.wish_count(scope, category=args.get("category")),
            "lit": impact.wish_count(scope, lit=True, category=args.get("category"))}


@bp.get("/wishes")
def list_wishes():
    args = _filters()
    wishes = db.session.scalars(public_needs(args).limit(200)).all()
    return render_template("public/wishes_list.html", wishes=[public_need(w) for w in wishes],
                           **_counts(args), places=overview.places_with_wishes())


@bp.get("/wishes/<int:need_id>")
def show_wish(need_id: int):
    """One public wish, with how to help through the platform (never the household's contact)."""
    need = public_need_by_id(need_id, NeedKind.WISH.value)
    if need is None:
        abort(404)
    return render_template("public/wish_show.html", wish=public_need(need))


@bp.get("/certificates/check")
def check_certificate():
    """Anyone may check a service certificate's number; only what it states is shown."""
    number = request.args.get("number", "").strip()
    found = certificates.check(number) if number else None
    return render_template("public/certificate_check.html", number=number, found=found)
