"""Campaign updates: who an audience names, and when one should go out. No I/O.

An audience is written two ways. Strictly, as the command line and the campaign file write
it: ``everyone``, ``block:Khối kinh tế``, ``cluster:…``, ``kind:commune``, ``role:head``,
``units:so-tai-chinh,so-y-te``. Loosely, as an admin types it in the chat: "tat ca",
"khoi kinh te", "bat xat", "cac xa", "lanh dao", "so tai chinh, so y te"; then it can name
several things at once ("bat xat" is a cluster and a commune), and the admin picks one.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from domain.text import fold

AudienceKind = Literal["everyone", "block", "cluster", "kind", "role", "units"]
KINDS: dict[str, tuple[str, ...]] = {
    # unit kind → how people call units of that kind
    "department": ("so", "cac so", "so nganh"),
    "agency": ("co quan", "cac co quan", "nganh"),
    "commune": ("xa", "cac xa"),
    "ward": ("phuong", "cac phuong"),
    "enterprise": ("doanh nghiep", "cac doanh nghiep"),
}
ROLES: dict[str, tuple[str, ...]] = {
    "reporter": ("can bo bao cao", "dau moi", "reporter", "reporters"),
    "head": ("lanh dao", "lanh dao don vi", "truong don vi", "head", "heads"),
    "admin": ("quan tri", "admin", "admins"),
    "viewer": ("nguoi theo doi", "viewer", "viewers"),
}
EVERYONE = ("everyone", "all", "tat ca", "moi nguoi", "toan bo")
MIN_PART = 3  # letters of a name typed before a part of it picks anything
MAX_TEXT = 20_000  # characters of one update


@dataclass(frozen=True)
class Audience:
    """Who an update is for: everyone, or the units or people of these codes."""

    kind: AudienceKind
    codes: tuple[str, ...] = ()
    label: str = ""  # how the preview and the report name it

    @property
    def spec(self) -> str:
        """The strict form, kept with the update: "block:khoi-kinh-te"."""
        return "everyone" if self.kind == "everyone" else f"{self.kind}:{','.join(self.codes)}"

    @classmethod
    def from_spec(cls, spec: str, label: str = "") -> "Audience":
        """The audience of a strict form written with codes, as `spec` gives it."""
        kind, _, codes = spec.partition(":")
        return cls(kind, tuple(codes.split(",")) if codes else (), label)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Named:
    """Something an audience can name: a block or cluster, or a unit."""

    code: str
    name: str


@dataclass(frozen=True)
class Directory:
    """The names an audience is matched against."""

    blocks: tuple[Named, ...]
    clusters: tuple[Named, ...]
    units: tuple[Named, ...]


@dataclass(frozen=True)
class Unknown:
    """Nothing of that name; `what` is the kind of thing that was looked for."""

    what: str
    typed: str


Reading = Audience | list[Audience] | Unknown
"""One audience; several it may be (the admin picks one); or a name that matches nothing."""


def read_audience(typed: str, directory: Directory) -> Reading:
    """An audience from what was typed, strictly or loosely (module docstring)."""
    text = typed.strip()
    prefix, colon, rest = text.partition(":")
    if colon and fold(prefix) in ("block", "cluster", "kind", "role", "units"):
        return _strict(fold(prefix), rest.strip(), directory)
    folded = fold(text)
    if folded in EVERYONE:
        return Audience("everyone", (), "")
    if re.search(r"[,;\n]", text):
        return _units([part for part in re.split(r"[,;\n]", text) if part.strip()], directory)
    return _loose(text, directory)


def _strict(prefix: str, rest: str, directory: Directory) -> Audience | Unknown:
    if prefix in ("kind", "role"):
        table = KINDS if prefix == "kind" else ROLES
        code = next((c for c, names in table.items() if fold(rest) in (c, *names)), None)
        return Audience(prefix, (code,), code) if code else Unknown(prefix, rest)  # type: ignore[arg-type]
    if prefix == "units":
        return _units([part for part in re.split(r"[,;]", rest) if part.strip()], directory)
    group = _exactly(rest, directory.blocks if prefix == "block" else directory.clusters)
    if group is None:
        return Unknown(prefix, rest)
    return Audience(prefix, (group.code,), group.name)  # type: ignore[arg-type]


def _exactly(typed: str, named: tuple[Named, ...]) -> Named | None:
    """By code or by name, whatever the diacritics and case."""
    folded = fold(typed)
    return next((n for n in named if folded in (n.code, fold(n.name))), None)


def _units(parts: list[str], directory: Directory) -> Audience | Unknown:
    """Units named one by one: each must name exactly one unit."""
    found: list[Named] = []
    for part in parts:
        matches = matching(part, directory.units)
        if len(matches) != 1:
            return Unknown("units", part.strip())
        if matches[0] not in found:
            found.append(matches[0])
    return Audience("units", tuple(u.code for u in found), ", ".join(u.name for u in found))


def matching(typed: str, named: tuple[Named, ...]) -> list[Named]:
    """Names equal to what was typed, else names holding each of its words ("cum bat xat"
    for "Cụm các xã Bát Xát")."""
    folded = fold(typed)
    exact = [n for n in named if folded in (n.code, fold(n.name))]
    if exact or len(folded) < MIN_PART:
        return exact
    wanted = set(_words(folded))
    return [n for n in named if wanted <= set(_words(fold(n.name)))]


def _words(folded: str) -> list[str]:
    return re.findall(r"\w+", folded)


def _loose(text: str, directory: Directory) -> Reading:
    folded = fold(text)
    for kind, table in (("kind", KINDS), ("role", ROLES)):
        for code, names in table.items():
            if folded in names:
                return Audience(kind, (code,), code)  # type: ignore[arg-type]
    candidates = [
        Audience("block", (n.code,), n.name) for n in matching(text, directory.blocks)
    ] + [Audience("cluster", (n.code,), n.name) for n in matching(text, directory.clusters)]
    candidates += [Audience("units", (n.code,), n.name) for n in matching(text, directory.units)]
    exact = [a for a in candidates if fold(a.label) == folded or a.codes == (folded,)]
    if len(exact) == 1:
        return exact[0]
    if len(candidates) == 1:
        return candidates[0]
    return candidates or Unknown("any", text)


_MOMENT = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2})[:hg](\d{2})$")


def read_moment(typed: str, zone: ZoneInfo) -> datetime | None:
    """ "15/11/2025 08:00" (also "8h00") on the campaign's wall clock; None if not a date and time."""
    found = _MOMENT.match(fold(typed))
    if found is None:
        return None
    day, month, year, hour, minute = (int(part) for part in found.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=zone)
    except ValueError:  # 31/02, 25:00
        return None


def units_named(typed: str, directory: Directory) -> list[Named]:
    """The units a typed code or name means ("sa pa" is Phường Sa Pa), whatever the
    diacritics; several when it fits several."""
    return matching(typed, directory.units)
