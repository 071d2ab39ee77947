"""Guard rails on the size of a request: depth, aliases, tokens and an estimated cost.

Depth, aliases and tokens use strawberry's own rules. The cost estimate is ours: every field
costs 1, and a field that takes `first` multiplies the cost of what it selects by that page size
(or the maximum page size when it is a variable), so a request asking for 100 customers ×
100 leads × … is refused before it runs, with a message saying its cost and the limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from strawberry.extensions import AddValidationRules, MaxTokensLimiter
from strawberry.extensions.base_extension import SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

from carkg.settings import ApiSettings
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)


def limit_extensions(settings: ApiSettings) -> list[Callable[[], SchemaExtension]]:
    """Factories (strawberry builds fresh extensions per request) over rule classes built ONCE: the
    validation cache is keyed by the rule classes, so new classes per request would defeat it."""
    rules = [
        depth_validator(settings.max_depth, None),
        alias_validator(settings.max_aliases),
        complexity_rule(settings.max_complexity, settings.max_page_size),
    ]
    return [lambda: MaxTokensLimiter(max_token_count=settings.max_tokens), lambda: AddValidationRules(rules)]


def complexity_rule(max_cost: int, default_page: int) -> type[ValidationRule]:
    class ComplexityRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            doc = context.document
            fragments = {d.name.value: d for d in doc.definitions if isinstance(d, FragmentDefinitionNode)}
            for op in doc.definitions:
                if not isinstance(op, OperationDefinitionNode):
                    continue
                cost = _cost(op.selection_set, fragments, default_page, frozenset())
                if cost > max_cost:
                    name = op.name.value if op.name else "anonymous"
                    context.report_error(
                        GraphQLError(f"'{name}': query complexity {cost} exceeds the limit of {max_cost}", [op])
                    )

    return ComplexityRule


def _cost(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    default_page: int,
    seen: frozenset[str],
) -> int:
    if selection_set is None:
        return 0
    total = 0
    for sel in selection_set.selections:
        if isinstance(sel, FieldNode):
            total += 1 + _page_size(sel, default_page) * _cost(sel.selection_set, fragments, default_page, seen)
        elif isinstance(sel, InlineFragmentNode):
            total += _cost(sel.selection_set, fragments, default_page, seen)
        elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen and sel.name.value in fragments:
            fragment = fragments[sel.name.value]
            total += _cost(fragment.selection_set, fragments, default_page, seen | {sel.name.value})
    return total


def _page_size(field: FieldNode, default_page: int) -> int:
    """A literal `first: 20` counts 20; a variable counts as the maximum page (variables are not known yet)."""
    for arg in field.arguments or ():
        if arg.name.value == "first":
            return max(1, int(arg.value.value)) if isinstance(arg.value, IntValueNode) else default_page
    return 1


class _NoIntrospection(ValidationRule):
    def enter_field(self, node: FieldNode, *_args: object) -> None:
        if node.name.value in ("__schema", "__type"):
            self.report_error(GraphQLError("introspection needs a token: send 'Authorization: Bearer <token>'",
                                           node, extensions={"code": "UNAUTHENTICATED"}))


class IntrospectionNeedsToken(SchemaExtension):
    """The schema is a map of what the graph holds: only a caller with a valid token may read it."""

    def on_operation(self) -> Iterator[None]:
        if getattr(self.execution_context.context, "principal", None) is None:
            self.execution_context.validation_rules = (*self.execution_context.validation_rules, _NoIntrospection)
        yield
