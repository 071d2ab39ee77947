"""The vehicle model catalogue: every source system's spelling of a car model, mapped to one code."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from carkg.identifiers.errors import IdentifierError

ANY_SYSTEM = "any"
_IGNORED = re.compile(r"[\s\-_\u2010-\u2015\u2212]+")


@dataclass(frozen=True, slots=True)
class Brand:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class VehicleModel:
    code: str
    brand_code: str
    name_zh: str
    name_en: str
    segment: str
    energy: str


@dataclass(frozen=True, slots=True)
class ModelAlias:
    alias: str
    model_code: str
    system: str = ANY_SYSTEM


def alias_key(text: str) -> str:
    """The form names are compared in: NFKC, case-folded, without spaces, hyphens or underscores."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text).casefold())


class ModelCatalog:
    """Resolves raw model names to canonical model codes.

    Lookup order for a name seen in `system`: model codes, that system's aliases, aliases for any
    system, the catalogue's own Chinese and English names, and finally other systems' aliases, which
    only count when they agree on one model (a sales spelling turning up in an after-sales export
    still means the same car).
    """

    def __init__(
        self, models: Iterable[VehicleModel], brands: Iterable[Brand], aliases: Iterable[ModelAlias]
    ) -> None:
        self._models = {m.code: m for m in models}
        self._brands = {b.code: b for b in brands}
        self._codes = {alias_key(code): code for code in self._models}
        self._names: dict[str, set[str]] = {}
        for model in self._models.values():
            for name in (model.name_zh, model.name_en):
                if name.strip():
                    self._names.setdefault(alias_key(name), set()).add(model.code)
        self._aliases: dict[str, dict[str, str]] = {}
        for alias in aliases:
            self._add_alias(alias)

    @classmethod
    def load(cls, reference_dir: Path) -> ModelCatalog:
        """Read `models.csv` and `model_aliases.csv` from `reference_dir`."""
        models: list[VehicleModel] = []
        brands: dict[str, Brand] = {}
        for row in _read_csv(reference_dir / "models.csv"):
            models.append(
                VehicleModel(
                    code=row["model_code"],
                    brand_code=row["brand_code"],
                    name_zh=row["model_name_zh"],
                    name_en=row["model_name_en"],
                    segment=row.get("segment") or "",
                    energy=row.get("energy") or "",
                )
            )
            brands.setdefault(row["brand_code"], Brand(code=row["brand_code"], name=row["brand_name"]))
        aliases = [
            ModelAlias(row["alias"], row["model_code"], (row.get("system") or ANY_SYSTEM).lower())
            for row in _read_csv(reference_dir / "model_aliases.csv")
        ]
        return cls(models, brands.values(), aliases)

    @property
    def models(self) -> tuple[VehicleModel, ...]:
        return tuple(self._models.values())

    @property
    def brands(self) -> tuple[Brand, ...]:
        return tuple(self._brands.values())

    def model(self, code: str) -> VehicleModel:
        """The catalogue entry for a canonical model code."""
        try:
            return self._models[code]
        except KeyError:
            raise IdentifierError(f"unknown model code {code!r}") from None

    def resolve(self, raw_name: str, system: str | None = None) -> str:
        """The canonical model code for `raw_name` as written by `system` (None: system unknown)."""
        key = alias_key(raw_name)
        if not key:
            raise IdentifierError("empty vehicle model name")
        if code := self._codes.get(key):
            return code
        spellings = self._aliases.get(key, {})
        for layer in (spellings.get((system or ANY_SYSTEM).lower()), spellings.get(ANY_SYSTEM)):
            if layer:
                return layer
        for candidates in (self._names.get(key, set()), set(spellings.values())):
            if len(candidates) == 1:
                return next(iter(candidates))
            if candidates:
                codes = ", ".join(sorted(candidates))
                raise IdentifierError(f"ambiguous vehicle model {raw_name!r}: could be {codes}")
        raise IdentifierError(f"unknown vehicle model {raw_name!r}")

    def _add_alias(self, alias: ModelAlias) -> None:
        # Reference data errors should stop a load, not silently send cars to the wrong model.
        if alias.model_code not in self._models:
            raise ValueError(f"alias {alias.alias!r} points at unknown model code {alias.model_code!r}")
        key = alias_key(alias.alias)
        if not key:
            raise ValueError(f"empty alias for model code {alias.model_code!r}")
        by_system = self._aliases.setdefault(key, {})
        existing = by_system.setdefault(alias.system, alias.model_code)
        if existing != alias.model_code:
            raise ValueError(
                f"alias {alias.alias!r} ({alias.system}) maps to both {existing!r} and {alias.model_code!r}"
            )


def _read_csv(path: Path) -> list[Mapping[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]
