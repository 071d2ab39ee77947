"""The GraphQL schema: each capability contributes its root fields; guard rails wrap them all."""

from __future__ import annotations

import strawberry
from strawberry import relay
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.types import ExecutionContext

from carkg.api.advisors import AdvisorMutation, AdvisorQuery
from carkg.api.customers import CustomerQuery
from carkg.api.errors import ApiError
from carkg.api.events import EventsMutation, EventsSubscription
from carkg.api.identity import IdentityMutation, IdentityQuery
from carkg.api.leads import LeadQuery
from carkg.api.limits import IntrospectionNeedsToken, limit_extensions
from carkg.api.metrics import QueryCount
from carkg.api.network import NetworkQuery
from carkg.api.privacy import PrivacyMutation, PrivacyQuery
from carkg.api.segments import SegmentMutation, SegmentQuery
from carkg.api.system import SystemQuery
from carkg.api.tags import TagMutation, TagQuery
from carkg.api.types.catalog import Advisor, Brand, Dealer, Material, VehicleModel
from carkg.api.types.identifiers import Device, IdDocument, Phone, WeChatAccount
from carkg.api.types.identity import ReviewCase
from carkg.api.types.leads import Lead
from carkg.api.types.persons import Customer
from carkg.api.types.records import CustomerRecord, Vehicle
from carkg.api.types.tags import Tag
from carkg.settings import ApiSettings
from graphql import GraphQLError


@strawberry.type
class Query(SystemQuery, CustomerQuery, NetworkQuery, PrivacyQuery, IdentityQuery, TagQuery, SegmentQuery,
            LeadQuery, AdvisorQuery):
    node: relay.Node | None = relay.node(description="Any object by its global id.")


@strawberry.type
class Mutation(PrivacyMutation, IdentityMutation, TagMutation, SegmentMutation, EventsMutation,
               AdvisorMutation):
    pass


@strawberry.type
class Subscription(EventsSubscription):
    pass

NODE_TYPES = [CustomerRecord, Customer, Phone, IdDocument, Device, WeChatAccount, Vehicle, VehicleModel, Brand, Advisor,
              Dealer, Lead, Material, ReviewCase, Tag]


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Errors meant for the caller — a refused argument, a missing right, a document too large — are the
        caller's answer, not the service's failure: strawberry would log each with a stack trace (and the
        document). Only unexpected ones are logged; `carkg.api.errors.classify` adds the request id."""
        unexpected = [e for e in errors if e.original_error is not None and not isinstance(e.original_error, ApiError)
                      and not isinstance(e.original_error, GraphQLError)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def build_schema(settings: ApiSettings) -> strawberry.Schema:
    """Built once per process (relay fields cannot be bound to two schemas); the limits come from the
    environment at start-up (CARKG_API_MAX_*)."""
    return Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=NODE_TYPES,
        # Apps send the same few documents again and again: parse and validate each once.
        extensions=[*limit_extensions(settings), IntrospectionNeedsToken, lambda: ParserCache(maxsize=512),
                    lambda: ValidationCache(maxsize=512), QueryCount],
    )


schema = build_schema(ApiSettings())
