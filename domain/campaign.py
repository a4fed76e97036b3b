"""The campaign file: indicators, targets, reporting rules, scoring.

A campaign is described by a YAML file (``campaigns/*.yaml``) that the people running the
campaign edit by hand, so every error message names the file, the line and the field, in
Vietnamese: ``lao-cai-2025.yaml, dòng 42, indicators[3].kind: giá trị 'percentt' không hợp
lệ (cho phép: percent, amount, ...)``.
"""

import re
from collections.abc import Collection, Sequence
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

UnitKind = Literal["department", "agency", "commune", "ward", "enterprise"]
Frequency = Literal["weekly", "monthly", "quarterly"]
ValueKind = Literal["percent", "amount", "count", "ratio", "years", "yes_no", "milestone"]
Direction = Literal["higher", "lower", "target_band", "maintain"]
Aggregation = Literal["sum", "weighted_average", "province_only", "all_units", "count_done"]
Accumulation = Literal["period", "ytd", "level"]
"""How a unit's figures for successive periods make its figure so far: ``ytd`` is cumulative
from the start of the year (the latest counts), ``level`` a stock or rate at the end of the
period (the latest counts), ``period`` the period's own figure (a total adds up over the
periods, a rate or growth is the latest)."""
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)  # fmt: skip
"""In the order of ``date.weekday()``."""

CHOICE_KINDS: frozenset[str] = frozenset({"yes_no", "milestone"})
"""Kinds answered by picking an option rather than typing a figure."""

_SNAKE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"
_SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_NUMBER = r"^[1-9][0-9]*[a-z]?$"
_AUDIENCE = r"^(everyone|(block|cluster|kind|role|units):.+)$"
_PATTERN_HINTS = {
    _SNAKE: "chữ thường không dấu, chữ số và dấu gạch dưới, ví dụ grdp_growth",
    _SLUG: "chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ so-tai-chinh",
    _NUMBER: "số thứ tự, có thể kèm một chữ cái, ví dụ 2a",
    _AUDIENCE: "everyone, hoặc block:, cluster:, kind:, role:, units: kèm tên, ví dụ block:Khối kinh tế",
}

Text = Annotated[str, Field(min_length=1)]
SnakeCode = Annotated[str, Field(pattern=_SNAKE)]
SlugCode = Annotated[str, Field(pattern=_SLUG)]
NonNegative = Annotated[int, Field(ge=0)]
_T = TypeVar("_T")

SHORT_LABEL = 32
"""Characters of an indicator's short label: a button on a phone."""


class SpecError(ValueError):
    """A validation failure that knows which field, below the object being validated, is wrong.

    Pydantic reports errors raised by model validators at the model itself; ``loc`` lets the
    file loader point at the offending field and line instead.
    """

    def __init__(self, message: str, *loc: str | int) -> None:
        super().__init__(message)
        self.loc = loc


class CampaignFileError(ValueError):
    """A campaign file that cannot be used; the message is meant for the person editing it."""


def _first_repeat(values: Sequence[object]) -> int | None:
    """The index of the first value equal to an earlier one, or None when all differ."""
    return next((i for i, value in enumerate(values) if value in values[:i]), None)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReportersSpec(_Frozen):
    """Who reports an indicator: every unit of the given kinds, plus the listed unit codes."""

    kinds: list[UnitKind] = []
    units: list[SlugCode] = []

    @model_validator(mode="after")
    def _someone_reports(self) -> "ReportersSpec":
        if not self.kinds and not self.units:
            raise SpecError("cần ít nhất một loại đơn vị (kinds) hoặc một đơn vị (units) báo cáo")
        return self


class OptionSpec(_Frozen):
    """One answer of a yes/no or milestone indicator, and the figure it stands for."""

    code: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: Text
    value: Decimal


class TotalSpec(_Frozen):
    """A department reports the province's figure while units report their parts (budget
    revenue, jobs): which of the two is the province's; the other is shown beside it as a
    check, never added to it."""

    unit: SlugCode
    """The unit (one of ``reporters.units``) whose figure is the province total."""
    counts: Literal["unit", "parts"] = "unit"


class IndicatorSpec(_Frozen):
    code: SnakeCode
    number: Annotated[str, Field(pattern=_NUMBER)]
    name: Text
    short: Annotated[str, Field(min_length=1, max_length=SHORT_LABEL)] | None = None
    """The name on a button, where the full name is too long for a phone."""
    unit: Text
    kind: ValueKind
    direction: Direction
    aggregation: Aggregation
    accumulation: Accumulation
    target: Decimal
    minimum: Decimal | None = Decimal(0)
    maximum: Decimal | None = None
    decimals: Annotated[int, Field(ge=0, le=6)] = 2
    plausible: tuple[Decimal, Decimal] | None = None
    """The usual range [low, high] where the directive implies one: outside it a figure is
    questioned, never refused (minimum and maximum are what is possible at all)."""
    options: list[OptionSpec] = []
    hint: str | None = None
    reporters: ReportersSpec
    total: TotalSpec | None = None
    weighted_by: SnakeCode | None = None
    """For a weighted average: the indicator whose latest figure weighs each unit's (its
    population, its dossiers); none: every unit counts alike."""

    @field_validator("plausible", mode="before")
    @classmethod
    def _two_bounds(cls, value: object) -> object:
        if value is not None and not (isinstance(value, list | tuple) and len(value) == 2):
            raise SpecError("cần đúng hai số [thấp, cao], ví dụ [-10, 20]")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> "IndicatorSpec":
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise SpecError(f"không được lớn hơn maximum ({self.maximum})", "minimum")
        if (self.minimum is not None and self.target < self.minimum) or (
            self.maximum is not None and self.target > self.maximum
        ):
            raise SpecError("nằm ngoài khoảng minimum–maximum", "target")
        if self.plausible is not None:
            self._check_plausible(*self.plausible)
        if self.kind in CHOICE_KINDS:
            if not self.options:
                raise SpecError(f"loại '{self.kind}' cần danh sách phương án trả lời", "options")
            index = _first_repeat([option.code for option in self.options])
            if index is not None:
                code = self.options[index].code
                raise SpecError(f"mã phương án '{code}' bị trùng", "options", index, "code")
            if self.target not in {option.value for option in self.options}:
                raise SpecError("phải bằng giá trị của một phương án trả lời", "target")
        elif self.options:
            raise SpecError(
                f"loại '{self.kind}' không dùng phương án trả lời (chỉ yes_no, milestone)",
                "options",
            )
        self._check_roll_up()
        return self

    def _check_roll_up(self) -> None:
        if self.total is not None:
            if self.aggregation not in ("sum", "weighted_average"):
                raise SpecError("chỉ dùng với aggregation sum hoặc weighted_average", "total")
            if self.total.unit not in self.reporters.units:
                raise SpecError(
                    f"đơn vị '{self.total.unit}' phải có trong reporters.units", "total", "unit"
                )
        if self.weighted_by is not None and self.aggregation != "weighted_average":
            raise SpecError("chỉ dùng với aggregation weighted_average", "weighted_by")

    def _check_plausible(self, low: Decimal, high: Decimal) -> None:
        if low >= high:
            raise SpecError(f"cận dưới ({low}) phải nhỏ hơn cận trên ({high})", "plausible")
        if (self.minimum is not None and low < self.minimum) or (
            self.maximum is not None and high > self.maximum
        ):
            raise SpecError("phải nằm trong khoảng minimum–maximum", "plausible")
        if not low <= self.target <= high:
            raise SpecError(f"phải chứa chỉ tiêu ({self.target})", "plausible")


class ReportingSpec(_Frozen):
    """When a period's figures are due, when they count as on time, and when the period closes.

    Days are whole local days in the campaign's time zone: a deadline is the end of its day.
    """

    frequency: Frequency = "monthly"
    deadline_days: NonNegative
    """Figures for a period are due by the end of the ``deadline_days``-th day after its last day."""
    grace_days: NonNegative = 0
    """A first value is on time when it arrives by the end of the deadline day + ``grace_days``."""
    lock_days: NonNegative = 30
    """The period takes figures until the end of the ``lock_days``-th day after the deadline."""

    @model_validator(mode="after")
    def _grace_within_lock(self) -> "ReportingSpec":
        if self.grace_days > self.lock_days:
            raise SpecError(f"không được lớn hơn lock_days ({self.lock_days})", "grace_days")
        return self


class HolidaySpec(_Frozen):
    """A public holiday: one day, or the days from ``day`` to ``until`` inclusive."""

    day: date
    until: date | None = None
    name: Text

    @model_validator(mode="after")
    def _until_after_day(self) -> "HolidaySpec":
        if self.until is not None and self.until < self.day:
            raise SpecError(f"ngày kết thúc trước ngày bắt đầu ({self.day:%d/%m/%Y})", "until")
        return self

    def days(self) -> list[date]:
        last = self.until or self.day
        return [self.day + timedelta(days=n) for n in range((last - self.day).days + 1)]


class EscalationSpec(_Frozen):
    head_after_days: Annotated[int, Field(ge=1)] = 5
    """The unit's head is told once the unit is this many days overdue."""
    admin_list_at: time = time(8, 30)
    """The daily list of late units goes to the admins at this time on working days."""


class SnoozeSpec(_Frozen):
    later_hours: Annotated[int, Field(ge=1, le=12)] = 2
    """ "Nhắc lại sau 2 giờ": the reminder comes back this many hours later."""
    tomorrow_at: time = time(8)
    """ "Ngày mai": the reminder comes back at this time on the next working day."""


class UpdateSpec(_Frozen):
    """A recurring campaign update: every week on ``weekday`` at ``at``, during the campaign."""

    code: Annotated[str, Field(pattern=_SLUG, max_length=30)]
    """Short, as it is part of the sending's key."""
    weekday: Weekday
    at: time
    to: Annotated[str, Field(pattern=_AUDIENCE)] = "everyone"
    text: Text


class ReminderSpec(_Frozen):
    """When reminders, escalations and recurring updates go out; the defaults are the issue's."""

    send_at: time = time(8)
    days_before_deadline: list[Annotated[int, Field(ge=1)]] = [3, 1]
    on_deadline: bool = True
    days_after_deadline: list[Annotated[int, Field(ge=1)]] = [1, 3]
    escalation: EscalationSpec = EscalationSpec()
    quiet_start: time = time(21)
    quiet_end: time = time(7)
    weekend: list[Weekday] = ["saturday", "sunday"]
    holidays: list[HolidaySpec] = []
    snooze: SnoozeSpec = SnoozeSpec()
    updates: list[UpdateSpec] = []

    @field_validator("days_before_deadline", "days_after_deadline", "weekend")
    @classmethod
    def _no_repeats(cls, values: list[_T]) -> list[_T]:
        index = _first_repeat(values)
        if index is not None:
            raise SpecError(f"giá trị {values[index]!r} bị lặp", index)
        return values

    @field_validator("weekend")
    @classmethod
    def _some_working_day(cls, days: list[Weekday]) -> list[Weekday]:
        if len(days) == len(WEEKDAYS):
            raise SpecError("phải còn ít nhất một ngày làm việc trong tuần")
        return days

    @field_validator("updates")
    @classmethod
    def _unique_update_codes(cls, updates: list[UpdateSpec]) -> list[UpdateSpec]:
        index = _first_repeat([update.code for update in updates])
        if index is not None:
            raise SpecError(f"mã thông báo '{updates[index].code}' bị trùng", index, "code")
        return updates

    @model_validator(mode="after")
    def _sent_outside_quiet_hours(self) -> "ReminderSpec":
        if self.quiet_start == self.quiet_end:
            raise SpecError("giờ bắt đầu và kết thúc giờ yên lặng trùng nhau", "quiet_end")
        sending: list[tuple[time, tuple[str | int, ...]]] = [
            (self.send_at, ("send_at",)),
            (self.escalation.admin_list_at, ("escalation", "admin_list_at")),
            (self.snooze.tomorrow_at, ("snooze", "tomorrow_at")),
        ]
        sending += [(u.at, ("updates", i, "at")) for i, u in enumerate(self.updates)]
        for moment, loc in sending:
            if self.is_quiet(moment):
                raise SpecError(
                    f"{moment:%H:%M} nằm trong giờ yên lặng"
                    f" ({self.quiet_start:%H:%M}–{self.quiet_end:%H:%M})",
                    *loc,
                )
        return self

    def is_quiet(self, moment: time) -> bool:
        """Whether a local time of day is in the quiet hours, which may run past midnight."""
        start, end = self.quiet_start, self.quiet_end
        if start < end:
            return start <= moment < end
        return moment >= start or moment < end

    def holiday_dates(self) -> frozenset[date]:
        return frozenset(day for holiday in self.holidays for day in holiday.days())


class WeeklyDigestSpec(_Frozen):
    """The unit's standing to its focal points (reporters and head) every week."""

    weekday: Weekday = "monday"
    at: time = time(8)


class MonthlyDigestSpec(_Frozen):
    """The province summary to the admins every month."""

    day: Annotated[int, Field(ge=1, le=28)] = 6
    """Day of the month (at most 28, so every month has it); by default the day after the
    reporting deadline, when the month's figures are in."""
    at: time = time(8)


class DigestSpec(_Frozen):
    """Standing digests, sent like reminders (shifted off weekends, holidays and quiet hours);
    ``null`` turns one off."""

    weekly: WeeklyDigestSpec | None = WeeklyDigestSpec()
    monthly: MonthlyDigestSpec | None = MonthlyDigestSpec()


DeliveredKind = Literal["document", "photo"]


class DeliverableSpec(_Frozen):
    """A one-off piece of work units hand in (an implementation plan): who owes it, by when,
    and what counts as delivered. A document is a PDF, DOCX or XLSX file."""

    code: Annotated[str, Field(pattern=_SNAKE, max_length=40)]
    """Short, as it is part of reminders' keys and buttons."""
    name: Text
    owed_by: Annotated[str, Field(pattern=_AUDIENCE)] = "everyone"
    """everyone, kind:<unit kind>, block:<name>, cluster:<name> or units:<code>,<code>."""
    due: date
    accepts: Annotated[list[DeliveredKind], Field(min_length=1)] = ["document", "photo"]
    text: Literal["none", "optional", "required"] = "optional"
    """A short text with the file: not asked, asked and skippable, or needed."""

    @field_validator("owed_by")
    @classmethod
    def _units_not_people(cls, value: str) -> str:
        if value.startswith("role:"):
            raise SpecError("đơn vị nộp không chọn theo vai trò (role:), chỉ theo đơn vị")
        return value


class ScoringSpec(_Frozen):
    """How a unit's score is made (``domain.standings.unit_score``)."""

    target_points: Annotated[Decimal, Field(ge=0)]
    """For the targets: the weighted share of each target reached, at most 100% each."""
    management_points: Annotated[Decimal, Field(ge=0)]
    """For organising the campaign: completeness and timeliness of the unit's reports. A unit
    with no target of its own gets all its points (target_points too) from these."""
    bonus_cap: Annotated[Decimal, Field(ge=0)]
    """At most this many extra points for exceeding targets."""
    over_achievement_cap: Annotated[Decimal, Field(ge=100)] = Decimal(120)
    """Percent of a target beyond which exceeding it earns no more bonus."""
    completeness_share: Annotated[Decimal, Field(ge=0, le=100)] = Decimal(50)
    """Percent of the organising points for completeness; the rest is for timeliness."""
    weights: dict[SnakeCode, Annotated[Decimal, Field(gt=0)]] = {}
    """Weight of an indicator among the targets (indicator code → weight; 1 when not listed)."""


CommendationForm = Literal["bang_khen", "giay_khen", "co_thi_dua"]
"""Bằng khen, Giấy khen, Cờ thi đua: the forms of commendation a rule proposes."""
Percent = Annotated[Decimal, Field(ge=0, le=100)]


class CommendationRuleSpec(_Frozen):
    """Which units a form of commendation is proposed for: every condition given must hold."""

    code: SlugCode
    name: Text
    form: CommendationForm
    leads_group: bool = False
    """First in its block or cluster (a tie for first counts; a unit in none never leads)."""
    all_targets_met: bool = False
    """Every indicator with a target of its own met (a unit with none cannot meet this)."""
    min_timeliness: Percent | None = None
    """At least this percent of the expected figures arrived on time."""
    min_completeness: Percent | None = None
    min_score: Annotated[Decimal, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _some_condition(self) -> "CommendationRuleSpec":
        limits = (self.min_timeliness, self.min_completeness, self.min_score)
        if not self.leads_group and not self.all_targets_met and limits == (None, None, None):
            raise SpecError(
                "cần ít nhất một điều kiện (leads_group, all_targets_met, min_timeliness,"
                " min_completeness, min_score)"
            )
        return self


class BudgetRevenueRuleSpec(_Frozen):
    """The units that fully met the budget revenue task (target 9), which the directive asks
    Sở Tài chính with Thuế tỉnh to propose for commendation."""

    indicator: SnakeCode
    form: CommendationForm
    proposed_by: Annotated[list[SlugCode], Field(min_length=1)]
    """The units that propose them (shown with the list)."""


class CommendationsSpec(_Frozen):
    rules: list[CommendationRuleSpec] = []
    """Tried in order: a unit is proposed under the first rule it meets."""
    budget_revenue: BudgetRevenueRuleSpec | None = None

    @field_validator("rules")
    @classmethod
    def _unique_rule_codes(cls, rules: list[CommendationRuleSpec]) -> list[CommendationRuleSpec]:
        repeat = _first_repeat([rule.code for rule in rules])
        if repeat is not None:
            raise SpecError(f"mã quy tắc '{rules[repeat].code}' bị trùng", repeat, "code")
        return rules


class CampaignSpec(_Frozen):
    code: SlugCode
    name: Text
    theme: Text
    motto: Text
    issuer: Text
    year: int
    timezone: str = "Asia/Ho_Chi_Minh"
    starts: date
    ends: date
    reporting: ReportingSpec
    reminders: ReminderSpec
    scoring: ScoringSpec
    digests: DigestSpec = DigestSpec()
    commendations: CommendationsSpec = CommendationsSpec()
    indicators: Annotated[list[IndicatorSpec], Field(min_length=1)]
    deliverables: list[DeliverableSpec] = []

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise SpecError(f"múi giờ '{value}' không tồn tại") from None
        return value

    @field_validator("indicators")
    @classmethod
    def _unique_codes(cls, indicators: list[IndicatorSpec]) -> list[IndicatorSpec]:
        first_index: dict[str, int] = {}
        for index, indicator in enumerate(indicators):
            if indicator.code in first_index:
                raise SpecError(
                    f"mã chỉ tiêu '{indicator.code}' bị trùng"
                    f" (đã dùng ở indicators[{first_index[indicator.code]}])",
                    index,
                    "code",
                )
            first_index[indicator.code] = index
        return indicators

    @model_validator(mode="after")
    def _known_codes(self) -> "CampaignSpec":
        codes = {indicator.code for indicator in self.indicators}
        for code in self.scoring.weights:
            if code not in codes:
                raise SpecError(f"không có chỉ tiêu mã '{code}'", "scoring", "weights", code)
        revenue = self.commendations.budget_revenue
        if revenue is not None and revenue.indicator not in codes:
            raise SpecError(
                f"không có chỉ tiêu mã '{revenue.indicator}'",
                "commendations",
                "budget_revenue",
                "indicator",
            )
        for index, indicator in enumerate(self.indicators):
            if indicator.weighted_by is not None and indicator.weighted_by not in codes:
                raise SpecError(
                    f"không có chỉ tiêu mã '{indicator.weighted_by}'",
                    "indicators",
                    index,
                    "weighted_by",
                )
        return self

    @model_validator(mode="after")
    def _ends_after_starts(self) -> "CampaignSpec":
        if self.ends < self.starts:
            raise SpecError(f"ngày kết thúc trước ngày bắt đầu ({self.starts:%d/%m/%Y})", "ends")
        return self

    @field_validator("deliverables")
    @classmethod
    def _unique_deliverables(cls, deliverables: list[DeliverableSpec]) -> list[DeliverableSpec]:
        index = _first_repeat([deliverable.code for deliverable in deliverables])
        if index is not None:
            code = deliverables[index].code
            raise SpecError(f"mã sản phẩm '{code}' bị trùng", index, "code")
        return deliverables

    @model_validator(mode="after")
    def _deliverables_due_in_campaign(self) -> "CampaignSpec":
        for index, deliverable in enumerate(self.deliverables):
            if not self.starts <= deliverable.due <= self.ends:
                raise SpecError(
                    f"hạn nộp {deliverable.due:%d/%m/%Y} nằm ngoài thời gian phong trào"
                    f" ({self.starts:%d/%m/%Y}–{self.ends:%d/%m/%Y})",
                    "deliverables",
                    index,
                    "due",
                )
        return self

    def deliverable(self, code: str) -> DeliverableSpec | None:
        return next((d for d in self.deliverables if d.code == code), None)

    @model_validator(mode="after")
    def _reminders_before_lock(self) -> "CampaignSpec":
        """A reminder or escalation after the period closes could only say it is too late."""
        lock_days = self.reporting.lock_days
        reminders = self.reminders
        late: list[tuple[int, tuple[str | int, ...]]] = [
            (days, ("days_after_deadline", index))
            for index, days in enumerate(reminders.days_after_deadline)
        ]
        late.append((reminders.escalation.head_after_days, ("escalation", "head_after_days")))
        for days, loc in late:
            if days > lock_days:
                raise SpecError(
                    f"{days} ngày sau hạn thì kỳ đã khóa (reporting.lock_days: {lock_days})",
                    "reminders",
                    *loc,
                )
        return self

    @model_validator(mode="after")
    def _digests_outside_quiet_hours(self) -> "CampaignSpec":
        reminders = self.reminders
        for name, digest in (("weekly", self.digests.weekly), ("monthly", self.digests.monthly)):
            if digest is not None and reminders.is_quiet(digest.at):
                raise SpecError(
                    f"{digest.at:%H:%M} nằm trong giờ yên lặng"
                    f" (reminders: {reminders.quiet_start:%H:%M}–{reminders.quiet_end:%H:%M})",
                    "digests",
                    name,
                    "at",
                )
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def indicator(self, code: str) -> IndicatorSpec:
        """The indicator with this code; KeyError if the campaign has none."""
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)


# --- Loading ---------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads decimals exactly and keeps "21:00" a string.

    YAML 1.1 reads ``21:00`` as the base-60 integer 1260, which pydantic would then accept as
    the time 00:21:00.
    """


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    if ":" in node.value:
        return str(node.value)
    return loader.construct_yaml_int(node)


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal | float | str:
    text = str(node.value)
    if ":" in text:
        return text
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:  # .inf, .nan
        return loader.construct_yaml_float(node)


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    """An impossible date such as 2025-13-01 stays a string, for pydantic to report with its line."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)

_YAML_PROBLEMS = {
    "mapping values are not allowed here": "dấu ':' không đúng chỗ (kiểm tra thụt lề)",
    "expected <block end>": "thụt lề không khớp với các dòng trên",
    "could not find expected ':'": "thiếu dấu ':' sau tên trường",
    "found character '\\t'": "không dùng ký tự tab để thụt lề",
    "found unexpected end of stream": "tệp kết thúc khi chưa đóng dấu nháy hoặc ngoặc",
    "found undefined alias": "tham chiếu (*) tới neo (&) không tồn tại",
    "but found another document": "tệp chỉ được chứa một tài liệu YAML (thừa dòng '---')",
    "expected ',' or": "thiếu dấu ',' hoặc dấu đóng ngoặc",
}


def _syntax_error(source: str, error: yaml.MarkedYAMLError) -> CampaignFileError:
    problem = error.problem or ""
    text = next(
        (vi for en, vi in _YAML_PROBLEMS.items() if problem.startswith(en)),
        f"lỗi cú pháp YAML ({problem})",
    )
    mark = error.problem_mark or error.context_mark
    where = f", dòng {mark.line + 1}" if mark is not None else ""
    return CampaignFileError(f"{source}{where}: {text}")


def _check_duplicate_keys(source: str, node: yaml.Node) -> None:
    """PyYAML silently keeps the last of two equal keys; in a hand-edited file that is a mistake."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                line = key.start_mark.line + 1
                if key.value in seen:
                    raise CampaignFileError(
                        f"{source}, dòng {line}: trường '{key.value}' bị lặp"
                        f" (đã có ở dòng {seen[key.value]})"
                    )
                seen[key.value] = line
            _check_duplicate_keys(source, value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(source, item)


def _line_of(root: yaml.Node, loc: Sequence[int | str]) -> int:
    """The line of the deepest node along ``loc`` that exists in the file (1-based).

    A field inside a mapping points at its key's line; a missing field at the line where
    the enclosing object starts.
    """
    node, mark = root, root.start_mark
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            entries = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
            found = [(k.start_mark, v) for k, v in entries if k.value == part]
            if not found:
                break
            mark, node = found[-1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
            mark = node.start_mark
        else:
            break
    return mark.line + 1


def _field_path(loc: Sequence[int | str]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else part
    return path


def _allowed(expected: str) -> str:
    return ", ".join(re.findall(r"'([^']*)'", expected))


def _describe(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    given = error.get("input")
    if kind == "missing":
        return "thiếu trường bắt buộc"
    if kind == "extra_forbidden":
        return "trường không có trong mẫu tệp chiến dịch (kiểm tra chính tả)"
    if kind == "literal_error":
        return f"giá trị {given!r} không hợp lệ (cho phép: {_allowed(ctx['expected'])})"
    if kind == "value_error":
        return str(ctx["error"])
    if kind == "string_type":
        return 'phải là văn bản (số dùng làm văn bản thì đặt trong dấu nháy, ví dụ "1")'
    if kind == "string_too_short":
        return "không được để trống"
    if kind == "string_too_long":
        return f"dài quá {ctx['max_length']} ký tự"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(ctx["pattern"], ctx["pattern"])
        return f"giá trị {given!r} không đúng định dạng ({hint})"
    if kind == "too_short":
        return f"cần ít nhất {ctx['min_length']} phần tử"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"giá trị {given!r} phải là số nguyên"
    if kind.startswith("decimal_") or kind == "finite_number":
        return f"giá trị {given!r} phải là số (dấu chấm thập phân, ví dụ 8.5)"
    if kind.startswith("date_"):
        return f"giá trị {given!r} phải là ngày dạng YYYY-MM-DD"
    if kind.startswith("time_"):
        return f"giá trị {given!r} phải là giờ dạng HH:MM"
    if kind == "greater_than_equal":
        return f"phải lớn hơn hoặc bằng {ctx['ge']}"
    if kind == "less_than_equal":
        return f"phải nhỏ hơn hoặc bằng {ctx['le']}"
    if kind == "list_type":
        return "phải là danh sách (mỗi phần tử bắt đầu bằng '- ')"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return "phải là một nhóm trường dạng 'tên: giá trị'"
    return f"giá trị {given!r} không hợp lệ ({error['msg']})"


def _located(error: ErrorDetails) -> tuple[int | str, ...]:
    """The error's field path, extended by the ``loc`` of a SpecError raised in a validator."""
    cause = (error.get("ctx") or {}).get("error")
    extra = cause.loc if isinstance(cause, SpecError) else ()
    return (*error["loc"], *extra)


def parse_campaign(text: str, source: str) -> CampaignSpec:
    """Parse and validate campaign YAML; ``source`` names the file in error messages."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise CampaignFileError(f"{source}: tệp trống")
        _check_duplicate_keys(source, root)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(source, error) from None
    finally:
        loader.dispose()
    try:
        return CampaignSpec.model_validate(data)
    except ValidationError as invalid:
        problems = sorted(_problem(root, error) for error in invalid.errors())
        raise CampaignFileError(
            "\n".join(f"{source}, dòng {line}{text}" for line, text in problems)
        ) from None


def _problem(root: yaml.Node, error: ErrorDetails) -> tuple[int, str]:
    """The line of a validation error and its text after the line number."""
    loc = _located(error)
    path = _field_path(loc)
    return _line_of(root, loc), f", {path}: {_describe(error)}" if path else f": {_describe(error)}"


def load_campaign(path: Path) -> CampaignSpec:
    """Read and validate a campaign file; CampaignFileError names the file, line and field."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CampaignFileError(f"{path.name}: tệp không phải văn bản UTF-8") from None
    return parse_campaign(text, path.name)


def unknown_reporter_units(path: Path, spec: CampaignSpec, known: Collection[str]) -> list[str]:
    """Each reporter unit code of the file that is not in ``known``, named by file, line and field."""
    root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_Loader)
    problems: list[str] = []
    if root is None:  # an empty file has no campaign to check
        return problems
    for index, indicator in enumerate(spec.indicators):
        for position, code in enumerate(indicator.reporters.units):
            if code not in known:
                loc = ("indicators", index, "reporters", "units", position)
                problems.append(
                    f"{path.name}, dòng {_line_of(root, loc)}, {_field_path(loc)}:"
                    f" không có đơn vị mã '{code}'"
                )
    return problems
