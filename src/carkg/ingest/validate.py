"""One source file through its pydantic row model: good rows out as parameters, bad rows to the rejects file.

Both ways into the graph use this — the transactional loader (`pipeline.Loader`) and the bulk import
(`carkg.ingest.bulk`) — so they see the same rows, reject the same rows for the same reasons and
normalise values the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from carkg.identifiers import IdentifierError, ModelCatalog
from carkg.ingest.mapping import SourceMapping
from carkg.ingest.readers import BrokenRow, RawRow, read_rows
from carkg.ingest.rows import ROW_MODELS, Row

REJECT_COLUMNS = ["source", "file", "line", "column", "field", "reason", "value"]
# Rejected ID numbers are written masked: the rejects file must not become a store of raw IDs.
SENSITIVE_FIELDS = {"id_number"}


@dataclass
class SourceReport:
    source: str
    file: str
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    duplicates: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    seconds: float = 0.0
    missing: bool = False


@dataclass
class LoadReport:
    sources: list[SourceReport] = field(default_factory=list)
    rejects_path: Path | None = None

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.sources)

    def total(self, attr: str) -> int:
        return sum(getattr(s, attr) for s in self.sources)


@dataclass(frozen=True)
class Reject:
    line: int
    column: str
    field: str
    reason: str
    value: str


class RowValidator:
    """Validates rows of any source; `key` is the installation's secret for the ID-number hashes."""

    def __init__(self, *, key: bytes, catalog: ModelCatalog) -> None:
        self.key = key
        self.catalog = catalog

    def rows(
        self,
        mapping: SourceMapping,
        path: Path,
        report: SourceReport,
        reject: Callable[[list[Any]], object],
        tick: Callable[[], object] = lambda: None,
    ) -> Iterator[dict[str, Any]]:
        """The file's good rows as parameters, in file order; `reject` gets one rejects-file row per problem.

        Append-only facts (`mapping.immutable_key`) keep only the first row per id in the file; the
        later ones are counted in `report.duplicates`.
        """
        model = ROW_MODELS[mapping.row]
        seen_ids: set[Any] = set()
        id_field = mapping.immutable_key
        for item in read_rows(path, mapping, required=required_fields(model)):
            report.read += 1
            tick()
            params, problems = self.validate(model, item, mapping.name)
            if problems:
                report.rejected += 1
                for p in problems:
                    reject([mapping.name, mapping.file, p.line, p.column, p.field, p.reason, p.value])
                continue
            assert params is not None
            if id_field is not None:
                if params[id_field] in seen_ids:
                    report.duplicates += 1
                    continue
                seen_ids.add(params[id_field])
            yield params

    def validate(
        self, model: type[Row], item: RawRow | BrokenRow, source: str
    ) -> tuple[dict[str, Any] | None, list[Reject]]:
        if isinstance(item, BrokenRow):
            return None, [Reject(item.line, "", "(row)", item.reason, "")]
        context = {"catalog": self.catalog, "system": _catalog_system(source)}
        try:
            row = model.model_validate(item.data, context=context)
        except ValidationError as exc:
            return None, [_reject_from(item, err) for err in exc.errors()]
        except IdentifierError as exc:  # raised outside a field validator
            return None, [Reject(item.line, "", "(row)", str(exc), "")]
        return row.params(self.key), []


def _reject_from(item: RawRow, err: Any) -> Reject:
    field_name = ".".join(str(p) for p in err["loc"]) or "(row)"
    field = str(err["loc"][0]) if err["loc"] else ""
    value = item.data.get(field) if field else ""
    if field in SENSITIVE_FIELDS and value:
        value = _mask_raw(str(value))
    reason = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        reason = "required field is missing"
    column = item.columns.get(field, field)
    return Reject(item.line, column, field_name, reason, "" if value is None else str(value)[:200])


def _mask_raw(value: str) -> str:
    return value[:6] + "*" * max(len(value) - 10, 0) + value[-4:] if len(value) > 10 else "*" * len(value)


def required_fields(model: type[Row]) -> set[str]:
    return {name for name, f in model.model_fields.items() if f.is_required()}


def _catalog_system(source: str) -> str | None:
    return {"dms_orders": "sales", "aftersales": "aftersales"}.get(source)
