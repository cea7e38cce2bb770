"""Settings, read from the environment with the ``EDUBRAIN_`` prefix.

With nothing set, EduBrain runs embedded: the operational database is
SQLite and the lake is a folder of Delta tables, both under
``EDUBRAIN_HOME`` (default ``./var``).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """EduBrain settings.

    Attributes:
        home: Folder holding the embedded database and the lake.
        database_url: SQLAlchemy URL of the operational database; defaults
            to SQLite inside ``home``. For PostgreSQL use
            ``postgresql+psycopg://user@host:5432/db``.
        db_pool_size: Connections kept open to a server database (PostgreSQL)
            per process.
        db_max_overflow: Extra connections a process may open under load.
        lake_uri: Folder (or object-store URI) of the lake; defaults to
            ``home/lake``.
        engine: Engine that runs the lake transforms: ``duckdb`` (embedded,
            the default) or ``spark`` (Apache Spark through PySpark).
        spark_master: Spark master URL when ``engine`` is ``spark``:
            ``local[2]`` (default, in-process), ``spark://host:7077``,
            ``yarn``, or ``sc://host:15002`` for Spark Connect.
        spark_driver_memory: Driver memory for a local Spark session.
        lang: Language of CLI messages, ``zh`` or ``en``.
        env: ``development`` or ``production``; production refuses a
            missing or short secret key.
        secret_key: Key signing access tokens (at least 32 characters).
            In development it defaults to a random key kept in
            ``home/secret.key``.
        access_token_minutes: Lifetime of an access token.
        refresh_token_days: Lifetime of a refresh token.
        login_max_failures: Failed logins within the lockout window that
            lock an account for that window.
        login_lockout_minutes: The throttling window.
        oidc_issuer: Issuer of OpenID Connect ID tokens accepted for login
            (optional; with ``oidc_audience`` and ``oidc_jwks_file``).
        oidc_audience: The client id the ID tokens must be issued to.
        oidc_jwks_file: The identity provider's public keys (JWKS), kept
            locally: EduBrain never fetches them at run time.
        oidc_username_claim: Claim naming the local user.
        pseudonym_key: HMAC key (32+ characters) of the pseudonyms that replace
            person identifiers in derived datasets; see docs/privacy.md.
        pseudonym_key_id: The key's id, stored with each derived dataset.
        max_upload_mb: Largest file the API and the web form accept for a
            submission, in MB; a larger body is refused (413) as it arrives.
        max_uncompressed_mb: Largest total uncompressed size of an XLSX's
            parts, in MB, checked from the zip directory before parsing.
        max_compression_ratio: Largest uncompressed / compressed size of an
            XLSX part over 1 MB (a zip bomb inflates ~1000 times).
        max_rows: Most data rows a submitted file may hold.
        max_columns: Most columns (header width) a submitted file may hold.
        hub_url: The hub (the city's EduBrain) that ``edubrain push`` and
            ``edubrain pull`` talk to, e.g. ``https://edubrain.example``.
        api_key: This node's API key at the hub (``ebk_…``, from
            ``edubrain token create`` on the hub).
        metrics_token: Bearer token of the Prometheus scraper for
            ``/metrics`` (a long random string). A city_admin's or an
            auditor's access token is accepted too; nobody else's.
        small_cell_min: Smallest cell (pupils) of an aggregate dataset shown
            to a reader whose scope does not cover the cell's organisation;
            smaller cells are suppressed (docs/privacy.md). 1 turns it off.
        public_url: The platform's public address, e.g. ``https://edubrain.example``: the credit bank's
            credentials point at their status lists under it (``/credentials/status/<list>``), so it must not
            change once credentials are issued. Default ``http://127.0.0.1:8000`` (development).
    """

    model_config = SettingsConfigDict(env_prefix="EDUBRAIN_", env_nested_delimiter="__")

    home: Path = Path("var")
    database_url: str | None = None
    db_pool_size: int = 5
    db_max_overflow: int = 10
    lake_uri: str | None = None
    engine: Literal["duckdb", "spark"] = "duckdb"
    spark_master: str = "local[2]"
    spark_driver_memory: str = "4g"
    lang: Literal["zh", "en"] = "zh"
    env: Literal["development", "production"] = "development"
    secret_key: SecretStr | None = None
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_file: Path | None = None
    oidc_username_claim: str = "preferred_username"
    pseudonym_key: SecretStr | None = None
    pseudonym_key_id: str | None = None
    max_upload_mb: int = 200
    max_uncompressed_mb: int = 256
    max_compression_ratio: int = 100
    max_rows: int = 5_000_000
    max_columns: int = 500
    hub_url: str | None = None
    api_key: SecretStr | None = None
    metrics_token: SecretStr | None = None
    small_cell_min: int = 10
    public_url: str = "http://127.0.0.1:8000"

    @cached_property
    def resolved_database_url(self) -> str:
        """The database URL, with the embedded SQLite default filled in."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'edubrain.db').resolve()}"

    @cached_property
    def resolved_lake_uri(self) -> str:
        """The lake location, with the embedded default filled in."""
        if self.lake_uri:
            return self.lake_uri
        return str((self.home / "lake").resolve())
