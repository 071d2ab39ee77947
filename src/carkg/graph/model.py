"""The allow-list: the only labels and relationship types carkg ever puts into a Cypher string.

Values always travel as parameters; where a label or type must vary (tags on any entity, generic
lookups) it is checked against these enums first.
"""

from __future__ import annotations

from enum import StrEnum


class NodeLabel(StrEnum):
    CUSTOMER_RECORD = "CustomerRecord"
    PERSON = "Person"
    PHONE = "Phone"
    ID_DOCUMENT = "IdDocument"
    DEVICE = "Device"
    WECHAT_ACCOUNT = "WeChatAccount"
    VEHICLE = "Vehicle"
    VEHICLE_MODEL = "VehicleModel"
    BRAND = "Brand"
    DEALER = "Dealer"
    ADVISOR = "Advisor"
    ORDER = "Order"
    SERVICE_VISIT = "ServiceVisit"
    LEAD = "Lead"
    LEAD_ACTIVITY = "LeadActivity"
    LEAD_SCORE = "LeadScore"
    CHANNEL = "Channel"
    MATERIAL = "Material"
    EVENT_GROUP = "EventGroup"
    EVENT = "Event"
    CHAT_MESSAGE = "ChatMessage"
    TAG = "Tag"
    TAG_ASSIGNMENT = "TagAssignment"
    TAG_CHANGE = "TagChange"
    REVIEW_CASE = "ReviewCase"
    MATCH_DECISION = "MatchDecision"
    SEGMENT = "Segment"
    SEGMENT_VERSION = "SegmentVersion"
    SEGMENT_RUN = "SegmentRun"


class RelType(StrEnum):
    HAS_PHONE = "HAS_PHONE"
    HAS_ID = "HAS_ID"
    USES_DEVICE = "USES_DEVICE"
    HAS_WECHAT = "HAS_WECHAT"
    OWNS = "OWNS"
    OF_MODEL = "OF_MODEL"
    OF_BRAND = "OF_BRAND"
    SELLS = "SELLS"
    WORKS_AT = "WORKS_AT"
    CUSTOMER_OF = "CUSTOMER_OF"
    SERVED_BY = "SERVED_BY"
    PLACED = "PLACED"
    FOR_VEHICLE = "FOR_VEHICLE"
    HAD_SERVICE = "HAD_SERVICE"
    AT_DEALER = "AT_DEALER"
    HAS_LEAD = "HAS_LEAD"
    HAD = "HAD"
    SCORED = "SCORED"
    VIA = "VIA"
    INTERESTED_IN = "INTERESTED_IN"
    ASSIGNED_TO = "ASSIGNED_TO"
    PERFORMED = "PERFORMED"
    ON = "ON"
    WITH_CUSTOMER = "WITH_CUSTOMER"
    WITH_ADVISOR = "WITH_ADVISOR"
    FEATURES = "FEATURES"
    RESOLVED_TO = "RESOLVED_TO"
    OF_TAG = "OF_TAG"
    TAGS = "TAGS"
    TAGS_FROM = "TAGS_FROM"
    TAGS_TO = "TAGS_TO"
    OF_ASSIGNMENT = "OF_ASSIGNMENT"
    ENGAGED_WITH = "ENGAGED_WITH"
    MATCHES = "MATCHES"
    SAME_HOUSEHOLD = "SAME_HOUSEHOLD"
    CONCERNS = "CONCERNS"
    BETWEEN = "BETWEEN"
    HAS_VERSION = "HAS_VERSION"
    HAS_RUN = "HAS_RUN"
    INCLUDES = "INCLUDES"


# The natural key of each node label: what MERGE matches on and what the API calls an id.
NODE_KEYS: dict[NodeLabel, str] = {
    NodeLabel.CUSTOMER_RECORD: "key",
    NodeLabel.PERSON: "oneId",
    NodeLabel.PHONE: "e164",
    NodeLabel.ID_DOCUMENT: "hash",
    NodeLabel.DEVICE: "deviceId",
    NodeLabel.WECHAT_ACCOUNT: "unionId",
    NodeLabel.VEHICLE: "vin",
    NodeLabel.VEHICLE_MODEL: "code",
    NodeLabel.BRAND: "code",
    NodeLabel.DEALER: "dealerId",
    NodeLabel.ADVISOR: "advisorId",
    NodeLabel.ORDER: "orderId",
    NodeLabel.SERVICE_VISIT: "serviceId",
    NodeLabel.LEAD: "leadId",
    NodeLabel.LEAD_ACTIVITY: "activityId",
    NodeLabel.CHANNEL: "code",
    NodeLabel.MATERIAL: "materialId",
    NodeLabel.EVENT_GROUP: "groupId",
    NodeLabel.EVENT: "eventId",
    NodeLabel.CHAT_MESSAGE: "messageId",
    NodeLabel.TAG: "code",
    NodeLabel.TAG_ASSIGNMENT: "id",
    NodeLabel.REVIEW_CASE: "caseId",
    NodeLabel.MATCH_DECISION: "id",
    NodeLabel.SEGMENT: "id",
    NodeLabel.SEGMENT_RUN: "runId",
}
