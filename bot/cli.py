"""`thidua`: run the bot, load a campaign, manage units and invites.

Every command ends on an operator's mistake or a dead network with one line on stderr, secrets
masked, and exit code 1 (2 for a wrong command line or a missing file); the traceback is shown
only with LOG_LEVEL=DEBUG, masked too.
"""

import argparse
import asyncio
import os
import re
import sys
import traceback
from collections.abc import Callable, Coroutine, Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn, TypeAlias
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from bot.app import DEMO_CLOCK, App, MigrationsPending, make_clock, prepare, settle
from bot.cli_texts import Texts, cli_texts
from bot.logs import Redact, setup_logging
from bot.settings import LOCAL_ZONE, Settings
from bot.tables import print_table, write_xlsx
from domain.broadcasts import MAX_TEXT, Audience, Unknown, read_audience
from domain.campaign import CampaignFileError, CampaignSpec, load_campaign, unknown_reporter_units
from domain.clock import Clock
from domain.invites import display_code
from domain.numbers import format_number
from domain.periods import (
    Period,
    days_left,
    deadline,
    find_period,
    local,
    lock_date,
    open_periods,
    started_periods,
)
from domain.standings import SHOWN_DECIMALS
from domain.units_file import match_groups, read_units_file
from handlers.broadcast import audience_label
from handlers.commendations import Cell, table
from handlers.export import periods_label, ready_text, write_export
from handlers.texts import t
from storage import broadcasts, commendations, owed, repo
from storage.campaigns import Catalog, list_units, read_catalog, save_campaign, save_units
from storage.db import make_engine, migrate, schema_revisions
from storage.models import Identity, Unit, UnitGroup
from storage.repo import create_invites

ROLES = ("reporter", "head", "admin", "viewer")
DEMO_UNIT = "phuong-sa-pa"
CONSOLE = "console"

Handler = Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, None]]


class Failure(Exception):
    """An operator's mistake or an unreachable service, said in one line."""


def main(argv: list[str] | None = None) -> None:
    args = build_parser(cli_texts()).parse_args(argv)
    handler: Handler = args.handler
    secrets: list[str] = []
    debug = os.environ.get("LOG_LEVEL", "").upper() == "DEBUG"
    try:
        settings = _settings()
        secrets = settings.secrets()
        serving = handler is _run and bool(settings.telegram_bot_token or settings.zalo_bot_token)
        level = settings.log_level or ("INFO" if serving else "WARNING")
        debug = level.upper() == "DEBUG"
        try:
            setup_logging(level, secrets, json_lines=serving)
        except ValueError as error:
            raise Failure(str(error)) from None
        asyncio.run(handler(settings, args))
        sys.stdout.flush()  # here, so that a closed pipe is noticed below
    except KeyboardInterrupt:
        pass
    except BrokenPipeError:
        # The reader has gone (`thidua units list | head`): nothing more to write, no noise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except Exception as error:
        scrub = Redact(secrets).scrub
        if debug:
            print(scrub("".join(traceback.format_exception(error))), file=sys.stderr, end="")
        print(scrub(f"thidua: {_one_line(error)}"), file=sys.stderr)
        raise SystemExit(1) from None


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as invalid:
        problems = [
            f"{'.'.join(map(str, error['loc'])).upper()}: {error['msg']} ({error['input']!r})"
            for error in invalid.errors()
        ]
        raise Failure("cấu hình sai: " + "; ".join(problems)) from None


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split())
    if isinstance(error, Failure | CampaignFileError):
        return text
    return f"{type(error).__name__}: {text} (LOG_LEVEL=DEBUG để xem chi tiết)"


def _fail(message: str, code: int = 1) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(code)


# --- The command line ------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse in the operator's language, with its errors in one line."""

    def __init__(
        self,
        prog: str | None = None,
        *,
        texts: Texts,
        description: str | None = None,
        epilog: str | None = None,
    ) -> None:
        super().__init__(
            prog,
            description=description,
            epilog=epilog,
            formatter_class=_formatter(texts["usage"]),
            add_help=False,
        )
        self.texts = texts
        self.arguments = self.add_argument_group(texts["arguments"])
        self.arguments.add_argument("-h", "--help", action="help", help=texts["help"])

    def error(self, message: str) -> NoReturn:
        for pattern, key in _ARGPARSE_ERRORS:
            found = pattern.fullmatch(message)
            if found:
                message = self.texts[key].format(**found.groupdict())
                break
        _fail(self.texts["error"].format(prog=self.prog, message=message), 2)


# argparse's own messages, said again in the operator's language; any other is kept as it is.
_ARGPARSE_ERRORS = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "required"),
    (
        re.compile(
            r"argument (?P<name>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"
        ),
        "choice",
    ),
    (re.compile(r"argument (?P<name>\S+): expected one argument"), "expected_one"),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), "unrecognized"),
    (re.compile(r"argument (?P<name>\S+): (?P<message>.+)"), "argument"),
)


def _formatter(usage: str) -> type[argparse.HelpFormatter]:
    class Formatter(argparse.RawDescriptionHelpFormatter):
        def add_usage(
            self,
            text: str | None,
            actions: Iterable[argparse.Action],
            groups: Iterable[argparse._MutuallyExclusiveGroup],
            prefix: str | None = None,
        ) -> None:
            super().add_usage(text, actions, groups, usage if prefix is None else prefix)

    return Formatter


def build_parser(texts: Texts) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="thidua",
        texts=texts,
        description=texts["thidua"],
        epilog=texts["thidua_examples"] + "\n\n" + texts["more"].format(prog="thidua"),
    )
    commands = _commands(parser)
    _command(commands, texts, "run", _run)
    campaign = _commands(_command(commands, texts, "campaign"))
    load = _command(campaign, texts, "campaign_load", _campaign_load).arguments
    load.add_argument("path", type=_file(texts), metavar=texts["file"], help=texts["campaign_path"])
    units = _commands(_command(commands, texts, "units"))
    _command(units, texts, "units_list", _units_list)
    imported = _command(units, texts, "units_import", _units_import).arguments
    imported.add_argument(
        "path", type=_file(texts), metavar=texts["file"], help=texts["units_path"]
    )
    invite = _commands(_command(commands, texts, "invite"))
    create = _command(invite, texts, "invite_create", _invite_create).arguments
    create.add_argument("--unit", required=True, metavar=texts["code"], help=texts["unit"])
    create.add_argument("--role", required=True, choices=ROLES, help=texts["role"])
    create.add_argument(
        "--count",
        type=_between(1, 1000, texts),
        default=1,
        metavar=texts["number"],
        help=texts["count"],
    )
    create.add_argument(
        "--days",
        type=_between(1, 90, texts),
        default=14,
        metavar=texts["number"],
        help=texts["days"],
    )
    period = _commands(_command(commands, texts, "period"))
    reopen = _command(period, texts, "period_reopen", _period_reopen).arguments
    reopen.add_argument("--unit", required=True, metavar=texts["code"], help=texts["unit"])
    reopen.add_argument("--period", required=True, metavar=texts["code"], help=texts["period_code"])
    reopen.add_argument(
        "--days",
        type=_between(1, 60, texts),
        default=7,
        metavar=texts["number"],
        help=texts["reopen_days"],
    )
    late = _command(commands, texts, "late", _late).arguments
    late.add_argument("--period", metavar=texts["code"], help=texts["period_code"])
    sent = _command(commands, texts, "broadcast", _broadcast).arguments
    sent.add_argument(
        "--text-file",
        required=True,
        type=_file(texts),
        metavar=texts["file"],
        help=texts["text_file"],
    )
    sent.add_argument("--to", required=True, metavar=texts["audience"], help=texts["to"])
    sent.add_argument("--at", metavar="ISO", help=texts["at"])
    exported = _command(commands, texts, "export", _export).arguments
    exported.add_argument("--out", type=Path, metavar=texts["file"], help=texts["out"])
    exported.add_argument("--period", metavar=texts["code"], help=texts["export_period"])
    commend = _command(commands, texts, "commendations", _commendations).arguments
    commend.add_argument("--out", type=Path, metavar=texts["file"], help=texts["commend_out"])
    database = _commands(_command(commands, texts, "db"))
    _command(database, texts, "db_upgrade", _db_upgrade)
    _command(database, texts, "db_check", _db_check)
    return parser


Commands: TypeAlias = "argparse._SubParsersAction[_Parser]"


def _commands(parser: _Parser) -> Commands:
    return parser.add_subparsers(
        title=parser.texts["commands"], metavar=parser.texts["command"], required=True
    )


def _command(commands: Commands, texts: Texts, key: str, handler: Handler | None = None) -> _Parser:
    """A command named by the last word of its texts key ("units_list" → "list")."""
    parser = commands.add_parser(
        key.rpartition("_")[2],
        texts=texts,
        help=texts[key],
        description=texts.get(f"{key}_about", texts[key]),
        epilog=texts.get(f"{key}_examples"),
    )
    if handler is not None:
        parser.set_defaults(handler=handler)
    return parser


def _between(low: int, high: int, texts: Texts) -> Callable[[str], int]:
    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(texts["not_int"].format(value=text)) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(texts["between"].format(low=low, high=high))
        return value

    return whole_number


def _file(texts: Texts) -> Callable[[str], Path]:
    def existing_file(text: str) -> Path:
        path = Path(text)
        if not path.exists():
            raise argparse.ArgumentTypeError(texts["no_file"].format(path=text))
        if not path.is_file():
            raise argparse.ArgumentTypeError(texts["not_a_file"].format(path=text))
        return path

    return existing_file


# --- The commands ----------------------------------------------------------------------------


DATABASE_ERRORS = (SQLAlchemyError, ConnectionError, TimeoutError)


async def _app(settings: Settings, clock: Clock | None = None, serving: bool = False) -> App:
    """The database migrated and the campaign read; one line if the database cannot be opened
    or its schema is behind on PostgreSQL, where a `serving` bot waits for the migrations."""
    try:
        if serving:
            from bot.serve import wait_for_schema

            await wait_for_schema(settings)
        return await prepare(settings, clock or make_clock(settings))
    except MigrationsPending as pending:
        raise Failure(str(pending)) from None
    except DATABASE_ERRORS as error:
        raise _unreachable(settings, error) from error


def _unreachable(settings: Settings, error: Exception) -> Failure:
    try:
        where = make_url(settings.database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return Failure(f"DATABASE_URL không đúng dạng: {error}")
    return Failure(f"không mở được cơ sở dữ liệu {where}: {_one_line(error)}")


async def _revisions(settings: Settings, upgrade: bool) -> tuple[str | None, str | None, str]:
    """The database's migration before and after (upgraded if asked), and the code's newest."""
    try:
        engine = make_engine(settings.database_url)
    except ArgumentError as error:
        raise _unreachable(settings, error) from error
    try:
        before, head = await schema_revisions(engine)
        if upgrade and before != head:
            await migrate(engine)
        after, _ = await schema_revisions(engine)
    except DATABASE_ERRORS as error:
        raise _unreachable(settings, error) from error
    finally:
        await engine.dispose()
    return before, after, head


async def _db_upgrade(settings: Settings, _args: argparse.Namespace) -> None:
    before, after, _head = await _revisions(settings, upgrade=True)
    if before == after:
        print(f"Cơ sở dữ liệu đã ở phiên bản mới nhất ({after}).")
    else:
        print(f"Đã nâng cơ sở dữ liệu từ phiên bản {before or 'trống'} lên {after}.")


async def _db_check(settings: Settings, _args: argparse.Namespace) -> None:
    current, _, head = await _revisions(settings, upgrade=False)
    if current == head:
        print(f"Cơ sở dữ liệu ở phiên bản mới nhất ({head}).")
        return
    _fail(f"Cơ sở dữ liệu ở phiên bản {current or 'trống'}, mã cần {head}: chạy thidua db upgrade.")


async def _run(settings: Settings, _args: argparse.Namespace) -> None:
    if settings.telegram_bot_token is not None or settings.zalo_bot_token is not None:
        from bot.serve import serve

        app = await _app(settings, serving=True)
        settle()
        await serve(settings, app)
        return
    from bot.channels.console import DEMO_USER, ConsoleChannel, StdinLines, chat
    from bot.serve import running

    app = await _app(settings, make_clock(settings, DEMO_CLOCK))
    app.delivery.register(ConsoleChannel())
    unit_name = await _demo_person(app, DEMO_USER)
    catalog = app.conversations.catalog
    now = app.clock.now()
    moment = now.astimezone(DEMO_CLOCK.tzinfo).strftime("%H:%M %d/%m/%Y")
    settle()
    banner = (
        f"Trợ lý báo cáo thi đua – bản chạy thử trên máy (không có TELEGRAM_BOT_TOKEN).\n"
        f"Đợt thi đua: {catalog.campaign.name if catalog else '—'}\n"
        f"Bạn là cán bộ báo cáo của {unit_name}. Đồng hồ thử nghiệm bắt đầu lúc {moment}"
        f" ({campaign_window(catalog.campaign, now) if catalog else ''}; đặt THIDUA_CLOCK để đổi).\n"
        f"Gõ /baocao để báo cáo, /help để xem lệnh, /thoat (hoặc Ctrl-C) để thoát."
    )
    async with running(app):  # reminders, as they come
        await chat(app.conversations, banner, StdinLines())


def campaign_window(campaign: CampaignSpec, now: datetime) -> str:
    """Where the moment falls against the campaign's dates, in the campaign's own timezone."""
    today = now.astimezone(ZoneInfo(campaign.timezone)).date()
    if today < campaign.starts:
        return f"trước khi đợt thi đua bắt đầu ngày {campaign.starts:%d/%m/%Y}"
    if today > campaign.ends:
        return f"sau khi đợt thi đua kết thúc ngày {campaign.ends:%d/%m/%Y}"
    return f"trong thời gian đợt thi đua, {campaign.starts:%d/%m/%Y}–{campaign.ends:%d/%m/%Y}"


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
        _fail(str(error))  # one line a problem, each naming its line and field
    app = await _app(settings)
    async with app.sessions.begin() as session:
        known = set(await session.scalars(select(Unit.code)))
        unknown = unknown_reporter_units(args.path, spec, known)
        if unknown:
            _fail(
                "Không nạp gì, vì tệp có mã đơn vị không có trong danh sách"
                " (xem: thidua units list):\n" + "\n".join(unknown)
            )
        changes = await save_campaign(session, spec, app.clock.now())
    print(
        f"{spec.code}: {len(spec.indicators)} chỉ tiêu"
        f" ({changes.added} mới, {changes.updated} cập nhật)"
    )
    for line in changes.lines:
        print(f"  {line}")


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
        rows = await session.execute(select(UnitGroup.code, UnitGroup.name))
        groups = {code: name for code, name in rows}
    matched, new_groups, typos = match_groups(units.rows, groups)
    known = set(catalog.indicator_ids) if catalog else set()
    unknown = sorted({code for row in matched for code in row.targets} - known)
    problems = [error.message for error in sorted([*units.errors, *typos], key=lambda e: e.row)]
    problems += [f"chỉ tiêu '{code}' không có trong đợt thi đua" for code in unknown]
    if problems:
        _fail("Không nhập gì, vì tệp có lỗi:\n" + "\n".join(problems))
    async with app.sessions.begin() as session:
        today = app.clock.now().astimezone(LOCAL_ZONE).date()
        added, updated = await save_units(session, matched, today)
    print(f"Đã nhập {len(matched)} đơn vị ({added} mới, {updated} cập nhật)")
    if new_groups:
        print("Khối/cụm mới: " + ", ".join(new_groups))


async def _invite_create(settings: Settings, args: argparse.Namespace) -> None:
    app = await _app(settings)
    now = app.clock.now()
    async with app.sessions.begin() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == args.unit))
        if unit is None:
            _fail(f"Không có đơn vị mã '{args.unit}'. Xem danh sách: thidua units list")
        codes = await create_invites(
            session, unit, args.role, args.count, timedelta(days=args.days), now
        )
    until = (now + timedelta(days=args.days)).astimezone(DEMO_CLOCK.tzinfo)
    print(
        f"# {len(codes)} mã mời cho {unit.name}, vai trò {t('vi', f'role_{args.role}')},"
        f" hạn {args.days} ngày (đến {until:%H:%M %d/%m/%Y})",
        file=sys.stderr,
    )
    for code in codes:
        print(display_code(code))


def _catalog(app: App) -> Catalog:
    if app.conversations.catalog is None:
        _fail("chưa nạp đợt thi đua nào (xem: thidua campaign load)")
    return app.conversations.catalog


def _period(catalog: Catalog, code: str) -> Period:
    period = find_period(code, catalog.campaign)
    if period is None:
        _fail(f"đợt thi đua không có kỳ '{code}' (ví dụ: 2025-09)")
    return period


async def _period_reopen(settings: Settings, args: argparse.Namespace) -> None:
    app = await _app(settings)
    catalog = _catalog(app)
    period = _period(catalog, args.period)
    campaign, now = catalog.campaign, app.clock.now()
    until = local(now, campaign.zone).date() + timedelta(days=args.days)
    lock = lock_date(period, campaign.reporting)
    if lock >= until:
        _fail(f"kỳ {period.label()} còn nhận số liệu đến hết ngày {lock:%d/%m/%Y}, chưa cần mở lại")
    async with app.sessions.begin() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == args.unit))
        if unit is None:
            _fail(f"Không có đơn vị mã '{args.unit}'. Xem danh sách: thidua units list")
        await owed.reopen(session, unit.id, period.code, until, now)
    print(f"Đã mở lại {period.label()} cho {unit.name} đến hết ngày {until:%d/%m/%Y}")


async def _late(settings: Settings, args: argparse.Namespace) -> None:
    app = await _app(settings)
    catalog, now = _catalog(app), app.clock.now()
    if args.period:
        periods = [_period(catalog, args.period)]
    else:
        periods = open_periods(now, catalog.campaign)  # all not yet locked
    async with app.sessions() as session:
        items = await owed.late(session, catalog, periods, now)
    if not items:
        print("Không có đơn vị nào nộp muộn.")
        return
    for period in sorted({item.period for item in items}):
        of_period = [item for item in items if item.period == period]
        overdue = -days_left(period, now, catalog.campaign)
        due = deadline(period, catalog.campaign.reporting)
        print(
            f"{period.label()} (hạn {due:%d/%m/%Y}, quá hạn {overdue} ngày):"
            f" {len(of_period)} đơn vị chưa nộp đủ"
        )
        for group in owed.by_group(of_period):
            print(f"  {group.name or 'Chưa xếp khối, cụm'}: {len(group.owed)} đơn vị")
            for item in group.owed:
                missing = f"thiếu {len(item.missing)}/{item.assigned} chỉ tiêu"
                print(f"    {item.unit.code}\t{item.unit.name}\t{missing}")


async def _broadcast(settings: Settings, args: argparse.Namespace) -> None:
    """Store a campaign update; the running bot queues its recipients when it is due."""
    text = args.text_file.read_text(encoding="utf-8").strip()
    if not text:
        _fail(f"Tệp {args.text_file} không có nội dung.")
    if len(text) > MAX_TEXT:
        _fail(f"Nội dung dài {len(text)} ký tự, quá giới hạn {MAX_TEXT}.")
    app = await _app(settings)
    now = app.clock.now()
    zone = (
        app.conversations.catalog.campaign.zone if app.conversations.catalog else DEMO_CLOCK.tzinfo
    )
    at = now
    if args.at:
        try:
            at = datetime.fromisoformat(args.at)
        except ValueError:
            _fail(f"--at {args.at}: không phải ngày giờ ISO, ví dụ 2025-11-15T08:00", 2)
        at = at if at.tzinfo else at.replace(tzinfo=zone)
        if at <= now:
            _fail(f"--at {args.at}: thời điểm này đã qua.")
    async with app.sessions.begin() as session:
        audience = read_audience(args.to, await broadcasts.directory(session))
        if isinstance(audience, Unknown):
            _fail(f"--to {args.to}: không tìm thấy “{audience.typed}”.")
        if isinstance(audience, list):
            options = ", ".join(option.spec for option in audience)
            _fail(f"--to {args.to}: có thể là {options}; hãy ghi rõ.")
        labelled = Audience(audience.kind, audience.codes, audience_label("vi", audience))
        count = len(await broadcasts.people(session, labelled))
        if count == 0:
            _fail(f"--to {args.to}: {labelled.label} chưa có ai tham gia bot.")
        number = await broadcasts.add(session, text, labelled, args.to, at, now)
    when = "ngay" if at == now else f"lúc {at.astimezone(zone):%H:%M %d/%m/%Y}"
    print(f"Thông báo #{number}: {count} người nhận ({labelled.label}), gửi {when}.")


async def _export(settings: Settings, args: argparse.Namespace) -> None:
    """The campaign's workbook: every report revision, completeness and timeliness."""
    if args.out and not args.out.parent.is_dir():
        _fail(f"--out {args.out}: không có thư mục '{args.out.parent}'", 2)
    app = await _app(settings)
    catalog, now = _catalog(app), app.clock.now()
    periods = (
        [_period(catalog, args.period)] if args.period else started_periods(now, catalog.campaign)
    )
    if not periods:
        _fail("đợt thi đua chưa có kỳ báo cáo nào, chưa có gì để xuất")
    today = local(now, catalog.campaign.zone).date()
    out: Path = args.out or Path(f"thidua-{args.period or f'{today:%Y-%m-%d}'}.xlsx")
    async with app.sessions() as session:
        written = await write_export(session, catalog, out, periods, now)
    label = periods_label("vi", periods, every=not args.period)
    print(f"Đã ghi {out}. " + ready_text("vi", written, label).removeprefix("📊 "))


async def _commendations(settings: Settings, args: argparse.Namespace) -> None:
    if args.out is not None and args.out.suffix.lower() != ".xlsx":
        _fail(f"--out {args.out}: tên tệp phải có đuôi .xlsx", 2)
    app = await _app(settings)
    catalog = _catalog(app)
    async with app.sessions() as session:
        found = await commendations.commendations(session, catalog, app.clock.now())
    if not found.periods.counted:
        _fail(f"đợt thi đua bắt đầu ngày {catalog.campaign.starts:%d/%m/%Y}, chưa có số liệu")
    headers, rows = table("vi", found)
    print(f"Đề xuất khen thưởng, số liệu đến {found.periods.counted[-1].label()}:")
    if not rows:
        print("Chưa có đơn vị nào đạt điều kiện khen thưởng.")
    else:
        print_table(headers, [[_shown(cell) for cell in row] for row in rows])
    if args.out is not None:
        await write_xlsx(args.out, "Đề xuất khen thưởng", headers, rows)
        print(f"Đã ghi {len(rows)} dòng vào {args.out}")


def _shown(cell: Cell) -> str:
    """A cell as the table prints it: numbers in Vietnamese format, stories one after another."""
    if cell is None:
        return "—"
    if isinstance(cell, Decimal | int):
        return format_number(Decimal(cell), SHOWN_DECIMALS)
    return cell.replace("\n", " · ")


if __name__ == "__main__":
    main()
