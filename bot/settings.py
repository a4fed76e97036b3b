"""Settings from the environment and `.env` (see .env.example for every one)."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.delivery.engine import Rate

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CAMPAIGN = ROOT / "campaigns" / "lao-cai-2025.yaml"
BUNDLED_UNITS = ROOT / "campaigns" / "lao-cai-units.csv"
LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_path: str = "/telegram/webhook"
    zalo_bot_token: SecretStr | None = None
    zalo_api_url: str = "https://bot-api.zaloplatforms.com"
    zalo_webhook_secret: SecretStr | None = None
    zalo_webhook_path: str = "/zalo/webhook"
    webhook_base_url: str | None = None
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    database_url: str = "sqlite+aiosqlite:///thidua.db"
    thidua_clock: datetime | None = None
    thidua_campaign_file: Path = BUNDLED_CAMPAIGN
    thidua_units_file: Path = BUNDLED_UNITS
    log_level: str | None = None  # INFO for a running bot, WARNING for the console and commands
    # Messages a second the delivery engine sends, overall and to one chat (Telegram's limits).
    telegram_rate: float = 30.0
    telegram_chat_rate: float = 1.0
    zalo_rate: float = 10.0  # Zalo publishes no limit: a cautious default
    zalo_chat_rate: float = 1.0
    # Charts and exports the bot made, until sent, and (in its uploads/) the files people send;
    # empty: "files" beside the SQLite database.
    files_dir: Path | None = None
    # How long a link to one of them works (Zalo takes pictures and files only as links).
    file_link_hours: int = Field(default=24, ge=1, le=24 * 30)

    @field_validator("thidua_clock")
    @classmethod
    def _local_when_naive(cls, value: datetime | None) -> datetime | None:
        """A clock given without an offset is Vietnam time, as officials would write it."""
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=LOCAL_ZONE)
        return value

    @field_validator(
        "telegram_bot_token",
        "telegram_api_url",
        "telegram_webhook_secret",
        "zalo_bot_token",
        "zalo_webhook_secret",
        "webhook_base_url",
        "files_dir",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    def files_folder(self) -> Path:
        """FILES_DIR, else "files" beside a SQLite database file, else in the working folder."""
        if self.files_dir is not None:
            return self.files_dir
        try:
            url = make_url(self.database_url)
        except ArgumentError:  # reported when the database is opened
            return Path("files")
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return Path(url.database).parent / "files"
        return Path("files")

    def rates(self) -> dict[str, Rate]:
        return {
            "telegram": Rate(self.telegram_rate, self.telegram_chat_rate),
            "zalo": Rate(self.zalo_rate, self.zalo_chat_rate),
        }

    def secrets(self) -> list[str]:
        """Values that must never reach a log line."""
        values = (
            self.telegram_bot_token,
            self.telegram_webhook_secret,
            self.zalo_bot_token,
            self.zalo_webhook_secret,
        )
        secrets = [value.get_secret_value() for value in values if value is not None]
        try:
            password = make_url(self.database_url).password
        except ArgumentError:  # reported when the database is opened
            password = None
        return [*secrets, str(password)] if password else secrets
