"""What each `cypher/ingest/*.cypher` file does to the graph, as operations on a `BulkGraph`.

One function per Cypher file, same order of statements, same properties. The Cypher files stay the
definition of the graph (incremental loads use them); the bulk-equivalence test loads the samples both
ways and compares the graphs, so a change to a Cypher file without the same change here fails it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carkg.graph.model import NodeLabel as L
from carkg.graph.model import RelType as R
from carkg.ingest.bulk.graph import BulkGraph, NodeRef, set_props

Row = dict[str, Any]
Translate = Callable[[BulkGraph, Row], None]


def _phone(g: BulkGraph, phone: Row) -> NodeRef:
    """`MERGE (p:Phone {e164}) ON CREATE SET p.masked = …, p.mobile = …`."""
    g.merge(L.PHONE, phone["e164"], {"masked": phone["masked"], "mobile": phone["mobile"]})
    return (L.PHONE, phone["e164"])


def _node(g: BulkGraph, label: L, key: str) -> NodeRef:
    g.merge(label, key)
    return (label, key)


def _record(g: BulkGraph, record: Row) -> NodeRef:
    """`MERGE (r:CustomerRecord {key}) SET r += row.record REMOVE r.stub`."""
    props = g.merge(L.CUSTOMER_RECORD, record["key"])
    set_props(props, record)
    props.pop("stub", None)
    return (L.CUSTOMER_RECORD, record["key"])


def _stub_record(g: BulkGraph, key: str, system: str, source_id: str) -> NodeRef:
    """`MERGE (r:CustomerRecord {key}) ON CREATE SET r.system = …, r.sourceId = …, r.stub = true`."""
    g.merge(L.CUSTOMER_RECORD, key, {"system": system, "sourceId": source_id, "stub": True})
    return (L.CUSTOMER_RECORD, key)


def catalog(g: BulkGraph, row: Row) -> None:
    b = (L.BRAND, row["brand_code"])
    set_props(g.merge(*b), {"name": row["brand_name"]})
    m = (L.VEHICLE_MODEL, row["model_code"])
    set_props(g.merge(*m), {"nameZh": row["name_zh"], "nameEn": row["name_en"], "segment": row["segment"],
                            "energy": row["energy"], "aliases": row["aliases"]})
    g.merge_rel(R.OF_BRAND, m, b)


def dealers(g: BulkGraph, row: Row) -> None:
    d = (L.DEALER, row["dealer_id"])
    # `location` (a point) is set after the import by `ingest/dealer_locations`: import files carry no points.
    set_props(g.merge(*d), {"name": row["dealer_name"], "city": row["city"], "latitude": row["latitude"],
                            "longitude": row["longitude"]})
    for code in row["brand_codes"]:
        g.merge_rel(R.SELLS, d, _node(g, L.BRAND, code))
    if row["front_desk_phone"] is not None:
        g.merge_rel(R.HAS_PHONE, d, _phone(g, row["front_desk_phone"]), update={"role": "front_desk"})


def advisors(g: BulkGraph, row: Row) -> None:
    a = (L.ADVISOR, row["advisor_id"])
    set_props(g.merge(*a), {"name": row["advisor_name"], "brandCode": row["brand_code"], "rating": row["rating"],
                            "languages": row["languages"], "services": row["services"],
                            "interests": row["interests"]})
    g.merge_rel(R.WORKS_AT, a, _node(g, L.DEALER, row["dealer_id"]))
    if row["mobile"] is not None:
        g.merge_rel(R.HAS_PHONE, a, _phone(g, row["mobile"]), update={"role": "advisor"})


def materials(g: BulkGraph, row: Row) -> None:
    m = (L.MATERIAL, row["material_id"])
    set_props(g.merge(*m), {"title": row["title"], "kind": row["kind"]})
    if row["model_code"] is not None:
        g.merge_rel(R.FEATURES, m, _node(g, L.VEHICLE_MODEL, row["model_code"]))


def event_groups(g: BulkGraph, row: Row) -> None:
    set_props(g.merge(L.EVENT_GROUP, row["group_id"]), {
        "name": row["name"], "campaign": row["campaign"], "eventDate": row["event_date"], "city": row["city"],
    })


def dms_customers(g: BulkGraph, row: Row) -> None:
    r = _record(g, row["record"])
    if row["phone"] is not None:
        g.merge_rel(R.HAS_PHONE, r, _phone(g, row["phone"]))
    if (doc := row["idDocument"]) is not None:
        g.merge(L.ID_DOCUMENT, doc["hash"], {"masked": doc["masked"], "kind": doc["kind"]})
        g.merge_rel(R.HAS_ID, r, (L.ID_DOCUMENT, doc["hash"]))
    if row["dealerId"] is not None:
        g.merge_rel(R.CUSTOMER_OF, r, _node(g, L.DEALER, row["dealerId"]))
    if row["advisorId"] is not None:
        g.merge_rel(R.SERVED_BY, r, _node(g, L.ADVISOR, row["advisorId"]))


def dms_orders(g: BulkGraph, row: Row) -> None:
    r = _stub_record(g, row["customer_key"], "dms", row["customer_id"])
    o = (L.ORDER, row["order_id"])
    set_props(g.merge(*o), {"date": row["order_date"], "priceYuan": row["price_yuan"]})
    v = _node(g, L.VEHICLE, row["vin"])
    g.merge_rel(R.PLACED, r, o)
    g.merge_rel(R.FOR_VEHICLE, o, v)
    g.merge_rel(R.OWNS, r, v, on_create={"since": row["order_date"], "source": "dms"})
    if row["model"] is not None:
        g.merge_rel(R.OF_MODEL, v, _node(g, L.VEHICLE_MODEL, row["model"]))


def aftersales(g: BulkGraph, row: Row) -> None:
    r = _record(g, row["record"])
    v = _node(g, L.VEHICLE, row["vin"])
    s = (L.SERVICE_VISIT, row["service_id"])
    set_props(g.merge(*s), {"date": row["service_date"], "mileageKm": row["mileage_km"], "type": row["service_type"]})
    g.merge_rel(R.HAD_SERVICE, r, s)
    g.merge_rel(R.FOR_VEHICLE, s, v)
    g.merge_rel(R.OWNS, r, v, on_create={"since": row["service_date"], "source": "aftersales"})
    if row["phone"] is not None:
        g.merge_rel(R.HAS_PHONE, r, _phone(g, row["phone"]))
    if row["model_name"] is not None:
        g.merge_rel(R.OF_MODEL, v, _node(g, L.VEHICLE_MODEL, row["model_name"]))
    if row["dealer_id"] is not None:
        g.merge_rel(R.AT_DEALER, s, _node(g, L.DEALER, row["dealer_id"]))


def leads(g: BulkGraph, row: Row) -> None:
    r = _record(g, row["record"])
    lead = (L.LEAD, row["lead_id"])
    set_props(g.merge(*lead), {"stage": row["stage"], "channel": row["channel"], "createdAt": row["created_at"],
                               "budgetYuan": row["budget_yuan"], "city": row["city"]})
    g.merge_rel(R.HAS_LEAD, r, lead)
    g.merge_rel(R.VIA, lead, _node(g, L.CHANNEL, row["channel"]))
    if row["phone"] is not None:
        g.merge_rel(R.HAS_PHONE, r, _phone(g, row["phone"]))
    if row["model"] is not None:
        g.merge_rel(R.INTERESTED_IN, lead, _node(g, L.VEHICLE_MODEL, row["model"]))
    if row["dealer_id"] is not None:
        g.merge_rel(R.AT_DEALER, lead, _node(g, L.DEALER, row["dealer_id"]))
    if row["advisor_id"] is not None:
        g.merge_rel(R.ASSIGNED_TO, lead, _node(g, L.ADVISOR, row["advisor_id"]))
    if row["device_id"] is not None:
        g.merge_rel(R.USES_DEVICE, r, _node(g, L.DEVICE, row["device_id"]))
    if row["unionid"] is not None:
        g.merge_rel(R.HAS_WECHAT, r, _node(g, L.WECHAT_ACCOUNT, row["unionid"]))


def lead_activities(g: BulkGraph, row: Row) -> None:
    if g.exists(L.LEAD_ACTIVITY, row["activity_id"]):  # OPTIONAL MATCH (known:LeadActivity …) … IS NULL
        return
    lead = _node(g, L.LEAD, row["lead_id"])
    g.create(L.LEAD_ACTIVITY, row["activity_id"], {"type": row["type"], "at": row["at"]})
    g.create_rel(R.HAD, lead, (L.LEAD_ACTIVITY, row["activity_id"]))


def wecom_contacts(g: BulkGraph, row: Row) -> None:
    r = _record(g, row["record"])
    g.merge_rel(R.SERVED_BY, r, _node(g, L.ADVISOR, row["advisor_id"]),
                on_create={"since": row["added_at"], "via": "wecom"})
    if row["unionid"] is not None:
        g.merge_rel(R.HAS_WECHAT, r, _node(g, L.WECHAT_ACCOUNT, row["unionid"]))
    if row["phone"] is not None:
        g.merge_rel(R.HAS_PHONE, r, _phone(g, row["phone"]))


def wecom_events(g: BulkGraph, row: Row) -> None:
    if g.exists(L.EVENT, row["event_id"]):  # OPTIONAL MATCH (known:Event …) WITH row WHERE known IS NULL
        return
    r = _stub_record(g, row["customer_key"], "wecom", row["external_userid"])
    e = (L.EVENT, row["event_id"])
    g.create(L.EVENT, row["event_id"], {"type": row["type"], "at": row["at"], "channel": row["channel"]})
    g.create_rel(R.PERFORMED, r, e)
    if row["material_id"] is not None:
        g.create_rel(R.ON, e, _node(g, L.MATERIAL, row["material_id"]))
    if row["group_id"] is not None:
        g.create_rel(R.ON, e, _node(g, L.EVENT_GROUP, row["group_id"]))


def chat_messages(g: BulkGraph, row: Row) -> None:
    if g.exists(L.CHAT_MESSAGE, row["message_id"]):  # OPTIONAL MATCH (known:ChatMessage …) … IS NULL
        return
    r = _stub_record(g, row["customer_key"], "wecom", row["external_userid"])
    a = _node(g, L.ADVISOR, row["advisor_id"])
    m = (L.CHAT_MESSAGE, row["message_id"])
    g.create(L.CHAT_MESSAGE, row["message_id"], {"direction": row["direction"], "text": row["text"], "at": row["at"]})
    g.create_rel(R.WITH_CUSTOMER, m, r)
    g.create_rel(R.WITH_ADVISOR, m, a)


# Keyed by the mapping's `cypher:` name, so a new source without a bulk translation is a clear error.
TRANSLATIONS: dict[str, Translate] = {
    "ingest/catalog": catalog,
    "ingest/dealers": dealers,
    "ingest/advisors": advisors,
    "ingest/materials": materials,
    "ingest/event_groups": event_groups,
    "ingest/dms_customers": dms_customers,
    "ingest/dms_orders": dms_orders,
    "ingest/aftersales": aftersales,
    "ingest/leads": leads,
    "ingest/lead_activities": lead_activities,
    "ingest/wecom_contacts": wecom_contacts,
    "ingest/wecom_events": wecom_events,
    "ingest/chat_messages": chat_messages,
}


def translation(cypher_name: str) -> Translate:
    try:
        return TRANSLATIONS[cypher_name]
    except KeyError:
        raise KeyError(
            f"no bulk translation for {cypher_name}.cypher; add one to carkg/ingest/bulk/sources.py "
            "(or load that source with the transactional loader)"
        ) from None
