// carkg schema: constraints and indexes. Applied idempotently at start-up (`carkg schema apply`).
// Every natural key has a uniqueness constraint, which is also the index MERGE uses.

// -- source records and resolved persons --------------------------------------------------------
CREATE CONSTRAINT customer_record_key IF NOT EXISTS FOR (n:CustomerRecord) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT person_one_id IF NOT EXISTS FOR (n:Person) REQUIRE n.oneId IS UNIQUE;
CREATE INDEX customer_record_system IF NOT EXISTS FOR (n:CustomerRecord) ON (n.system);
CREATE CONSTRAINT review_case_id IF NOT EXISTS FOR (n:ReviewCase) REQUIRE n.caseId IS UNIQUE;
CREATE CONSTRAINT match_decision_id IF NOT EXISTS FOR (n:MatchDecision) REQUIRE n.id IS UNIQUE;
CREATE INDEX customer_record_name_pinyin IF NOT EXISTS FOR (n:CustomerRecord) ON (n.namePinyin);
// households (identity/households): records that share a written address
CREATE INDEX customer_record_address IF NOT EXISTS FOR (n:CustomerRecord) ON (n.address);
CREATE INDEX review_case_status_score IF NOT EXISTS FOR (n:ReviewCase) ON (n.status, n.score);

// -- identifiers ----------------------------------------------------------------------------------
CREATE CONSTRAINT phone_e164 IF NOT EXISTS FOR (n:Phone) REQUIRE n.e164 IS UNIQUE;
CREATE CONSTRAINT id_document_hash IF NOT EXISTS FOR (n:IdDocument) REQUIRE n.hash IS UNIQUE;
CREATE CONSTRAINT device_id IF NOT EXISTS FOR (n:Device) REQUIRE n.deviceId IS UNIQUE;
CREATE CONSTRAINT wechat_union_id IF NOT EXISTS FOR (n:WeChatAccount) REQUIRE n.unionId IS UNIQUE;

// -- vehicles and the catalogue -------------------------------------------------------------------
CREATE CONSTRAINT vehicle_vin IF NOT EXISTS FOR (n:Vehicle) REQUIRE n.vin IS UNIQUE;
CREATE CONSTRAINT vehicle_model_code IF NOT EXISTS FOR (n:VehicleModel) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT brand_code IF NOT EXISTS FOR (n:Brand) REQUIRE n.code IS UNIQUE;

// -- dealer network -------------------------------------------------------------------------------
CREATE CONSTRAINT dealer_id IF NOT EXISTS FOR (n:Dealer) REQUIRE n.dealerId IS UNIQUE;
CREATE CONSTRAINT advisor_id IF NOT EXISTS FOR (n:Advisor) REQUIRE n.advisorId IS UNIQUE;
CREATE CONSTRAINT city_name IF NOT EXISTS FOR (n:City) REQUIRE n.name IS UNIQUE;
// Dealers near a customer: `point.distance(d.location, home) < $radius` is answered from this index.
CREATE POINT INDEX dealer_location IF NOT EXISTS FOR (n:Dealer) ON (n.location);

// -- commerce and behaviour -----------------------------------------------------------------------
CREATE CONSTRAINT order_id IF NOT EXISTS FOR (n:Order) REQUIRE n.orderId IS UNIQUE;
CREATE CONSTRAINT service_visit_id IF NOT EXISTS FOR (n:ServiceVisit) REQUIRE n.serviceId IS UNIQUE;
CREATE CONSTRAINT lead_id IF NOT EXISTS FOR (n:Lead) REQUIRE n.leadId IS UNIQUE;
CREATE CONSTRAINT lead_activity_id IF NOT EXISTS FOR (n:LeadActivity) REQUIRE n.activityId IS UNIQUE;
CREATE CONSTRAINT channel_code IF NOT EXISTS FOR (n:Channel) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT material_id IF NOT EXISTS FOR (n:Material) REQUIRE n.materialId IS UNIQUE;
CREATE CONSTRAINT event_group_id IF NOT EXISTS FOR (n:EventGroup) REQUIRE n.groupId IS UNIQUE;
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.eventId IS UNIQUE;
CREATE CONSTRAINT chat_message_id IF NOT EXISTS FOR (n:ChatMessage) REQUIRE n.messageId IS UNIQUE;
CREATE INDEX event_type_at IF NOT EXISTS FOR (n:Event) ON (n.type, n.at);
CREATE INDEX lead_stage IF NOT EXISTS FOR (n:Lead) ON (n.stage);

// -- tags -----------------------------------------------------------------------------------------
CREATE CONSTRAINT tag_code IF NOT EXISTS FOR (n:Tag) REQUIRE n.code IS UNIQUE;
CREATE CONSTRAINT tag_assignment_id IF NOT EXISTS FOR (n:TagAssignment) REQUIRE n.id IS UNIQUE;
CREATE INDEX tag_assignment_code IF NOT EXISTS FOR (n:TagAssignment) ON (n.tagCode);
// pages of one tag in id order straight from the index (tags/tagged_entities), without sorting them all
CREATE INDEX tag_assignment_code_id IF NOT EXISTS FOR (n:TagAssignment) ON (n.tagCode, n.id);
CREATE INDEX tag_assignment_expires IF NOT EXISTS FOR (n:TagAssignment) ON (n.expiresAt);
CREATE INDEX tag_scope_owner IF NOT EXISTS FOR (n:Tag) ON (n.scope, n.ownerId);
CREATE INDEX tag_change_at IF NOT EXISTS FOR (n:TagChange) ON (n.at);
CREATE CONSTRAINT segment_id IF NOT EXISTS FOR (n:Segment) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT segment_version IF NOT EXISTS FOR (n:SegmentVersion) REQUIRE (n.segmentId, n.version) IS UNIQUE;
CREATE CONSTRAINT segment_run_id IF NOT EXISTS FOR (n:SegmentRun) REQUIRE n.runId IS UNIQUE;


// -- API access and audit -------------------------------------------------------------------------
CREATE CONSTRAINT api_token_hash IF NOT EXISTS FOR (n:ApiToken) REQUIRE n.hash IS UNIQUE;
CREATE CONSTRAINT api_token_name IF NOT EXISTS FOR (n:ApiToken) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT audit_entry_id IF NOT EXISTS FOR (n:AuditEntry) REQUIRE n.id IS UNIQUE;
CREATE INDEX audit_entry_at IF NOT EXISTS FOR (n:AuditEntry) ON (n.at);
