"""Donations (捐赠) of money and goods, and purchases of produce (消费扶贫) credited to sellers."""
from __future__ import annotations

from decimal import Decimal

from matchmaker.errors import Invalid
from matchmaker.extensions import db
from matchmaker.models import (
    Donation, DonationItem, NeedKind, OfferKind, Purchase, PurchaseShare, Region, User,
    donation_households, donation_needs, purchase_needs,
)
from matchmaker.services import audit
from matchmaker.services.market import offers
from matchmaker.services.records import verification as records
from matchmaker.services.records import rules
from matchmaker.services.records.delivery_choices import check_held_households
from matchmaker.services.registry.orgs import organization_of, own_team

DONATION_NEEDS = (NeedKind.GOODS, NeedKind.FUNDS, NeedKind.WISH)
DONATION_OFFERS = (OfferKind.GOODS, OfferKind.FUNDS, OfferKind.WISH_ADOPTION)
#: the end of the message for households of no need the organization holds (after their numbers)
NOT_HELD_RECIPIENT = "没有本组织认领或对接的物资、资金或微心愿需求:受赠农户只能是这些需求的农户"
NOT_HELD_SELLER = "没有本组织认领或对接的农产品待售需求:出售农户只能是这些需求的农户"


# -- donations ----------------------------------------------------------------------------------

def create_donation(data: dict, user: User) -> Donation:
    """Money or goods the organizer's organization delivered to a village's households.

    An offer named here is a reference only: claims and matches spend its capacity.
    """
    organization_id = organization_of(user, records.RECORDING)
    rules.check_organization(data, organization_id)
    donation = Donation(organization_id=organization_id, created_by_id=user.id,
                        late_entry=rules.is_late(data["date"]))
    links = _apply_donation(donation, data)
    db.session.add(donation)
    db.session.flush()
    _link_donation(donation, links)
    audit.record("donation.create", user.id, donation, goods=len(donation.goods),
                 late_entry=donation.late_entry)
    records.tell_verifiers(donation)
    return donation


def _apply_donation(donation: Donation, data: dict) -> dict[str, list[int]]:
    """Set the checked fields and goods lines; returns the households and needs to link."""
    team = own_team(donation.organization_id, data.get("team_id"))
    offer = offers.own_offer(donation.organization_id, data.get("offer_id"), DONATION_OFFERS,
                            "物资或资金")
    place = rules.place(data["village_code"])
    rules.not_in_future(data["date"])
    links = {"household_ids": rules.households_in(place, data.get("household_ids") or [],
                                                  "household_ids"),
             "need_ids": rules.needs_in(place, data.get("need_ids") or [], DONATION_NEEDS,
                                        "need_ids")}
    _check_recipients(donation, links["household_ids"])
    donation.team_id, donation.offer_id = team and team.id, offer and offer.id
    donation.village_id, donation.date = place.id, data["date"]
    donation.money_yuan = rules.cents(data.get("money_yuan")) or None
    donation.note = data.get("note") or None
    goods = [(line["item"], line["unit"], line["quantity"], rules.cents(line.get("value_yuan"))
              or Decimal(0)) for line in data.get("goods") or []]
    if goods != _goods(donation):
        donation.goods = [DonationItem(item=item, unit=unit, quantity=quantity, value_yuan=value)
                          for item, unit, quantity, value in goods]
    return links


def _check_recipients(donation: Donation, ids: list[int]) -> None:
    """Households of goods, funds or wish needs the organization holds; those already on the
    donation stay."""
    kept = donation_links(donation)["household_ids"] if donation.id is not None else []
    check_held_households(donation.organization_id, ids, DONATION_NEEDS, "household_ids",
                          NOT_HELD_RECIPIENT, kept)


def _goods(donation: Donation) -> list[tuple]:
    return [(line.item, line.unit, float(line.quantity), line.value_yuan)
            for line in donation.goods]


def _link_donation(donation: Donation, links: dict[str, list[int]]) -> None:
    records.replace_links(donation_households, donation.id, "household_id",
                          links["household_ids"])
    records.replace_links(donation_needs, donation.id, "need_id", links["need_ids"])


def donation_links(donation: Donation) -> dict[str, list[int]]:
    return {"household_ids": records.linked_ids(donation_households, donation.id,
                                                "household_id"),
            "need_ids": records.linked_ids(donation_needs, donation.id, "need_id")}


def donation_edit_data(donation: Donation) -> dict:
    data = {"team_id": donation.team_id, "offer_id": donation.offer_id,
            "village_code": db.session.get(Region, donation.village_id).code,
            "date": donation.date, "money_yuan": donation.money_yuan, "note": donation.note,
            "goods": [{"item": line.item, "unit": line.unit, "quantity": float(line.quantity),
                       "value_yuan": line.value_yuan} for line in donation.goods],
            **donation_links(donation)}
    return {key: value for key, value in data.items() if value is not None}


def update_donation(donation: Donation, data: dict, user: User) -> Donation:
    """Change a donation; a verified (or rejected) one goes back to pending."""
    before = _donation_state(donation)
    _link_donation(donation, _apply_donation(donation, data))
    db.session.flush()
    donation.late_entry = rules.is_late(donation.date, donation.created_at)
    records.record_changes(donation, before, _donation_state(donation), user)
    return donation


def _donation_state(donation: Donation) -> dict:
    return {"team_id": donation.team_id, "offer_id": donation.offer_id,
            "village_id": donation.village_id, "date": donation.date,
            "money_yuan": donation.money_yuan, "note": donation.note,
            "goods": _goods(donation), **donation_links(donation)}


# -- purchases ----------------------------------------------------------------------------------

def create_purchase(data: dict, user: User) -> Purchase:
    """Produce bought from households; its yuan is credited to the sellers, share by share."""
    organization_id = organization_of(user, records.RECORDING)
    rules.check_organization(data, organization_id)
    purchase = Purchase(organization_id=organization_id, created_by_id=user.id,
                        late_entry=rules.is_late(data["date"]))
    need_ids = _apply_purchase(purchase, data)
    db.session.add(purchase)
    db.session.flush()
    records.replace_links(purchase_needs, purchase.id, "need_id", need_ids)
    audit.record("purchase.create", user.id, purchase, sellers=len(purchase.sellers),
                 late_entry=purchase.late_entry)
    records.tell_verifiers(purchase)
    return purchase


def _apply_purchase(purchase: Purchase, data: dict) -> list[int]:
    """Set the checked fields and the sellers' shares; returns the needs to link."""
    offer = offers.own_offer(purchase.organization_id, data.get("offer_id"),
                            (OfferKind.PURCHASE,), "消费帮扶认购")
    place = rules.place(data["village_code"])
    rules.not_in_future(data["date"])
    yuan = rules.cents(data["yuan"])
    shares = _shares(place, data, yuan)
    _check_sellers(purchase, data, [household_id for household_id, _ in shares])
    need_ids = rules.needs_in(place, data.get("need_ids") or [], (NeedKind.PRODUCE,), "need_ids")
    purchase.offer_id = offer and offer.id
    purchase.village_id, purchase.date = place.id, data["date"]
    purchase.product, purchase.unit = data["product"], data["unit"]
    purchase.quantity, purchase.yuan = data["quantity"], yuan
    purchase.note = data.get("note") or None
    if shares != _sellers(purchase):
        if purchase.id is not None:  # the old shares go first: one share per household
            purchase.sellers.clear()
            db.session.flush()
        purchase.sellers = [PurchaseShare(household_id=household_id, yuan=share)
                            for household_id, share in shares]
    return need_ids


def _shares(place: Region, data: dict, yuan: Decimal) -> list[tuple[int, Decimal]]:
    """Each seller's part: as given (summing to the yuan), or the yuan split evenly to the 分."""
    if data.get("sellers"):
        shares = [(line["household_id"], rules.cents(line["yuan"])) for line in data["sellers"]]
        rules.households_in(place, [h for h, _ in shares], "sellers")
        total = sum((share for _, share in shares), Decimal(0))
        if total != yuan:
            raise Invalid({"sellers": f"各户所得合计{rules.plain(total)}元,"
                                      f"须等于认购金额{rules.plain(yuan)}元"})
        return shares
    ids = rules.households_in(place, data["household_ids"], "household_ids")
    fen, rest = divmod(int(yuan * 100), len(ids))
    return [(household_id, Decimal(fen + (1 if index < rest else 0)) / 100)
            for index, household_id in enumerate(ids)]


def _check_sellers(purchase: Purchase, data: dict, ids: list[int]) -> None:
    """Sellers are households of produce needs the organization holds; those already credited
    on the purchase stay (under the field the body named them in)."""
    field = "sellers" if data.get("sellers") else "household_ids"
    kept = [household_id for household_id, _ in _sellers(purchase)]
    check_held_households(purchase.organization_id, ids, (NeedKind.PRODUCE,), field,
                          NOT_HELD_SELLER, kept)


def _sellers(purchase: Purchase) -> list[tuple[int, Decimal]]:
    return [(share.household_id, share.yuan) for share in purchase.sellers]


def purchase_need_ids(purchase: Purchase) -> list[int]:
    return records.linked_ids(purchase_needs, purchase.id, "need_id")


def purchase_patch_data(purchase: Purchase, body: dict) -> dict:
    """The purchase as form data with the body merged in; new sellers replace the old ones."""
    data = purchase_edit_data(purchase)
    if "household_ids" in body:
        data.pop("sellers", None)
    return {**data, **body}


def purchase_edit_data(purchase: Purchase) -> dict:
    data = {"offer_id": purchase.offer_id,
            "village_code": db.session.get(Region, purchase.village_id).code,
            "date": purchase.date, "product": purchase.product, "unit": purchase.unit,
            "quantity": float(purchase.quantity), "yuan": purchase.yuan, "note": purchase.note,
            "sellers": [{"household_id": h, "yuan": y} for h, y in _sellers(purchase)],
            "need_ids": purchase_need_ids(purchase)}
    return {key: value for key, value in data.items() if value is not None}


def update_purchase(purchase: Purchase, data: dict, user: User) -> Purchase:
    """Change a purchase; a verified (or rejected) one goes back to pending."""
    before = _purchase_state(purchase)
    records.replace_links(purchase_needs, purchase.id, "need_id", _apply_purchase(purchase, data))
    db.session.flush()
    purchase.late_entry = rules.is_late(purchase.date, purchase.created_at)
    records.record_changes(purchase, before, _purchase_state(purchase), user)
    return purchase


def _purchase_state(purchase: Purchase) -> dict:
    return {"offer_id": purchase.offer_id, "village_id": purchase.village_id,
            "date": purchase.date, "product": purchase.product, "unit": purchase.unit,
            "quantity": float(purchase.quantity), "yuan": purchase.yuan, "note": purchase.note,
            "sellers": _sellers(purchase), "need_ids": purchase_need_ids(purchase)}
