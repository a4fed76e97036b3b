"""`thidua`: run the bot, load a campaign, manage units and invites."""

import argparse
import asyncio
import contextlib
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bot.app import DEMO_CLOCK, App, make_clock, prepare, settle
from bot.logs import setup_logging
from bot.settings import Settings
from domain.campaign import CampaignFileError, load_campaign
from domain.invites import display_code
from domain.units_file import read_units_file
from storage import repo
from storage.campaigns import list_units, read_catalog, save_campaign, save_units
from storage.models import Identity, Unit
from storage.repo import create_invites

ROLES = ("reporter", "head", "admin", "viewer")
DEMO_UNIT = "phuong-sa-pa"
CONSOLE = "console"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="thidua", description="Trợ lý báo cáo thi đua.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the bot (console chat when no token is set)")
    campaign = commands.add_parser("campaign").add_subparsers(dest="action", required=True)
    campaign.add_parser("load", help="load or update a campaign file").add_argument(
        "path", type=Path
    )
    units = commands.add_parser("units").add_subparsers(dest="action", required=True)
    units.add_parser("list", help="print every unit: code, kind, block or cluster, name")
    units.add_parser("import", help="import units (CSV or XLSX)").add_argument("path", type=Path)
    invite = commands.add_parser("invite").add_subparsers(dest="action", required=True)
    create = invite.add_parser("create", help="print new invite codes, one a line")
    create.add_argument("--unit", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--count", type=int, default=1)
    create.add_argument("--days", type=int, default=14)
    args = parser.parse_args(argv)
    settings = Settings()
    serving = args.command == "run" and bool(settings.telegram_bot_token or settings.zalo_bot_token)
    setup_logging(settings.log_level or ("INFO" if serving else "WARNING"), settings.secrets())
    action = getattr(args, "action", None)
    handler = {
        ("run", None): _run,
        ("campaign", "load"): _campaign_load,
        ("units", "list"): _units_list,
        ("units", "import"): _units_import,
        ("invite", "create"): _invite_create,
    }[(args.command, action)]
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(handler(settings, args))


def _fail(message: str) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(1)


async def _app(settings: Settings) -> App:
    return await prepare(settings, make_clock(settings))


async def _run(settings: Settings, _args: argparse.Namespace) -> None:
    if settings.telegram_bot_token is not None or settings.zalo_bot_token is not None:
        from bot.serve import serve

        app = await _app(settings)
        settle()
        await serve(settings, app)
        return
    from bot.channels.console import DEMO_USER, ConsoleChannel, chat

    app = await prepare(settings, make_clock(settings, DEMO_CLOCK))
    app.delivery.register(ConsoleChannel())
    unit_name = await _demo_person(app, DEMO_USER)
    catalog = app.conversations.catalog
    moment = app.clock.now().astimezone(DEMO_CLOCK.tzinfo).strftime("%H:%M %d/%m/%Y")
    settle()
    banner = (
        f"Trợ lý báo cáo thi đua – bản chạy thử trên máy (không có TELEGRAM_BOT_TOKEN).\n"
        f"Đợt thi đua: {catalog.campaign.name if catalog else '—'}\n"
        f"Bạn là cán bộ báo cáo của {unit_name}. Đồng hồ thử nghiệm bắt đầu lúc {moment}"
        f" (trong thời gian đợt thi đua; đặt THIDUA_CLOCK để đổi).\n"
        f"Gõ /baocao để báo cáo, /help để xem lệnh, /thoat để thoát."
    )
    await chat(app.conversations, banner)


async def _demo_person(app: App, user_id: str) -> str:
    """The console's user: a reporter of a ward with many indicators, joined once by invite."""
    async with app.sessions.begin() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == DEMO_UNIT))
        if unit is None:
            unit = await session.scalar(select(Unit).order_by(Unit.id).limit(1))
        assert unit is not None
        if await session.get(Identity, (CONSOLE, user_id)) is None:
            now = app.clock.now()
            (code,) = await create_invites(session, unit, "reporter", 1, timedelta(days=1), now)
            invite = await repo.invite(session, code)
            assert invite is not None
            await repo.join(
                session, invite, CONSOLE, user_id, user_id, "Cán bộ thử nghiệm", "vi", now
            )
        return unit.name


async def _campaign_load(settings: Settings, args: argparse.Namespace) -> None:
    try:
        spec = load_campaign(args.path)
    except CampaignFileError as error:
        _fail(str(error))
        return
    app = await _app(settings)
    async with app.sessions.begin() as session:
        added, updated = await save_campaign(session, spec, app.clock.now())
    print(f"{spec.code}: {len(spec.indicators)} chỉ tiêu ({added} mới, {updated} cập nhật)")


async def _units_list(settings: Settings, _args: argparse.Namespace) -> None:
    app = await _app(settings)
    async with app.sessions() as session:
        for unit, group in await list_units(session):
            print(f"{unit.code}\t{unit.kind}\t{group.name if group else '-'}\t{unit.name}")


async def _units_import(settings: Settings, args: argparse.Namespace) -> None:
    units = read_units_file(args.path)
    app = await _app(settings)
    async with app.sessions() as session:
        catalog = await read_catalog(session)
    known = set(catalog.indicator_ids) if catalog else set()
    unknown = sorted({code for row in units.rows for code in row.targets} - known)
    problems = [error.message for error in units.errors]
    problems += [f"chỉ tiêu '{code}' không có trong đợt thi đua" for code in unknown]
    if problems:
        _fail("Không nhập gì, vì tệp có lỗi:\n" + "\n".join(problems))
    async with app.sessions.begin() as session:
        added, updated = await save_units(session, units.rows)
    print(f"Đã nhập {len(units.rows)} đơn vị ({added} mới, {updated} cập nhật)")


async def _invite_create(settings: Settings, args: argparse.Namespace) -> None:
    if not 1 <= args.count <= 1000:
        _fail("--count phải từ 1 đến 1000")
    app = await _app(settings)
    async with app.sessions.begin() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == args.unit))
        if unit is None:
            _fail(f"Không có đơn vị mã '{args.unit}'. Xem danh sách: thidua units list")
            return
        codes = await create_invites(
            session, unit, args.role, args.count, timedelta(days=args.days), app.clock.now()
        )
    print(
        f"# {len(codes)} mã mời cho {unit.name}, vai trò {args.role}, hạn {args.days} ngày",
        file=sys.stderr,
    )
    for code in codes:
        print(display_code(code))


if __name__ == "__main__":
    main()
