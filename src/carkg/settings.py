"""Configuration from the environment (and `.env`), read once at the edges."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from carkg.paths import PROJECT_ROOT


class Neo4jSettings(BaseSettings):
    """An external server; when `uri` is empty carkg runs its own local one."""

    model_config = SettingsConfigDict(env_prefix="NEO4J_", env_file=".env", extra="ignore")

    uri: str = ""
    user: str = "neo4j"
    password: str = ""
    database: str = "neo4j"


class LocalServerSettings(BaseSettings):
    """The project's own Neo4j: where it lives, which ports, how much memory."""

    model_config = SettingsConfigDict(env_prefix="CARKG_NEO4J_", env_file=".env", extra="ignore")

    home: Path = Field(default=PROJECT_ROOT / ".carkg" / "neo4j")
    dist: Path = Field(default=PROJECT_ROOT / ".carkg" / "dist")
    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = "4g"
    pagecache: str = "4g"
    tx_memory_max: str = "2g"
    guide_hosts: str = "localhost,127.0.0.1"  # where Browser may `:play` guides from (carkg's own /guide)


class Settings(BaseSettings):
    """Everything else: secrets, API binding, demo size."""

    model_config = SettingsConfigDict(env_prefix="CARKG_", env_file=".env", extra="ignore")

    state_dir: Path = Field(default=PROJECT_ROOT / ".carkg")
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    batch_size: int = 5000
    demo_customers: int = 20_000
    demo_seed: int = 42
    lead_models: Path | None = None  # CARKG_LEAD_MODELS: where lead models live (default: state_dir/models/leads)

    @property
    def secret_key_path(self) -> Path:
        return self.state_dir / "secret.key"

    @property
    def lead_models_dir(self) -> Path:
        """Where `carkg leads train` saves models and the API's live re-scoring reads the latest."""
        return self.lead_models or self.state_dir / "models" / "leads"


class ApiSettings(BaseSettings):
    """The GraphQL API's guard rails and where its callers' identities come from."""

    model_config = SettingsConfigDict(env_prefix="CARKG_API_", env_file=".env", extra="ignore")

    timeout_seconds: float = 10.0
    max_depth: int = 10
    max_aliases: int = 20
    max_tokens: int = 4000
    max_complexity: int = 5000
    max_page_size: int = 100
    max_in_flight: int = 200  # requests in flight per worker beyond which new ones get 503 + Retry-After
    token_cache_seconds: float = 30.0  # a revoked token stops working within this time
    # JWT from an app's own issuer (optional): HS256 shared secret or a JWKS URL, plus issuer/audience.
    jwt_secret: str = ""
    jwt_jwks_url: str = ""
    jwt_issuer: str = ""
    jwt_audience: str = "carkg"


class IdentitySettings(BaseSettings):
    """One ID resolution: identifier hygiene, Fellegi–Sunter thresholds, candidate limits."""

    model_config = SettingsConfigDict(env_prefix="CARKG_IDENTITY_", env_file=".env", extra="ignore")

    link_threshold: float = 12.0  # total match weight (log2 m/u) at or above which two records are linked
    name_only_link_threshold: float = 13.0  # a pair sharing no identifier (name + dealer only) links at this
    review_threshold: float = 6.0  # between this and link_threshold: a ReviewCase for a steward
    max_distinct_names: int = 5  # an identifier on records with more distinct names than this is suspect
    max_group: int = 50  # identifier groups larger than this never produce candidate pairs
    max_name_records: int = 20  # a name on more records than this never proposes a pair on its own
    max_block: int = 30  # a blocking key (identity.blocking) on more records than this proposes nothing
    # 'fixed': the documented weights (identity.weights); 'estimated': EM over this graph's candidate pairs
    # with the fixed ones as priors (identity.em). Estimated weights move with the data, so records resolved
    # incrementally in batches can end unlike one full run; fixed weights keep that promise.
    weights: Literal["fixed", "estimated"] = "fixed"
    test_numbers: list[str] = Field(default_factory=lambda: [
        "13800138000", "13900000000", "18888888888", "13888888888", "13000000000", "18600000000",
        "13999999999", "13111111111", "18000000000",
    ])
    nickname_systems: list[str] = Field(default_factory=lambda: ["wecom"])  # names there are often nicknames
    batch_size: int = 10_000
