"""Everything the pages share, built once per app from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from raytranscribe.settings import Settings
from ui.audit import AuditLog
from ui.auth.accounts import Accounts
from ui.auth.sessions import LoginSessions
from ui.auth.store import Store, default_data_dir, default_key_file, open_store
from ui.auth.totp import TotpVault
from ui.engine_link import EngineLink


@dataclass
class AppContext:
    settings: Settings
    store: Store
    audit: AuditLog
    accounts: Accounts
    sessions: LoginSessions
    engine: EngineLink


def build_context(settings: Settings, engine_api: ModuleType | None = None) -> AppContext:
    ui_settings = settings.ui
    store = open_store(ui_settings.data_dir or default_data_dir())
    vault = TotpVault(ui_settings.key_file or default_key_file())
    audit = AuditLog(store)
    return AppContext(
        settings=settings,
        store=store,
        audit=audit,
        accounts=Accounts(store, vault, audit, ui_settings),
        sessions=LoginSessions(ui_settings.lock_after_min * 60, ui_settings.session_max_h * 3600, audit.record),
        engine=EngineLink(settings, engine_api),
    )
