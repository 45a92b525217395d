"""Assessment instruments as data: versioned definition files, and the crosswalk between them.

Each instrument is a JSON file (in `instruments/` here, and in CASEBRIDGE_INSTRUMENTS_DIR for a
deployment's own): its code and version, its domains with the codes of their indicators, its rating
scale and overall judgement scale (both ordered, lowest first) and its review interval. Casebridge ships
domain names, indicator codes and scales only: the wording of a licensed instrument's indicators is a
deployment's own file (CASEBRIDGE_INSTRUMENT_WORDING_DIR, `{"code", "version", "indicators": {code:
wording}}`), and everything works without it. The crosswalk (`crosswalk.json`) maps each instrument's
domains onto a few common domains, an aid to reading assessments side by side, not a score.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Domain:
    code: str
    name: str
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Instrument:
    code: str
    version: str
    name: str
    purpose: str
    licensed: bool
    domains: tuple[Domain, ...]
    rating_scale: tuple[str, ...]
    overall_scale: tuple[str, ...]
    review_interval_days: int
    wording: tuple[tuple[str, str], ...] = ()  # (indicator code, wording), from a licensed deployment's file

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"

    @property
    def indicators(self) -> list[str]:
        return [code for domain in self.domains for code in domain.indicators]

    def words(self, indicator: str) -> str:
        return dict(self.wording).get(indicator, "")


def _instrument(raw: dict, where: str) -> Instrument:
    try:
        domains = tuple(Domain(str(d["code"]), str(d["name"]), tuple(str(i) for i in d["indicators"]))
                        for d in raw["domains"])
        found = Instrument(str(raw["code"]), str(raw["version"]), str(raw["name"]), str(raw.get("purpose", "")),
                           bool(raw.get("licensed", False)), domains, tuple(str(v) for v in raw["rating_scale"]),
                           tuple(str(v) for v in raw["overall_scale"]), int(raw["review_interval_days"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{where}: {exc!r} is missing or malformed") from None
    codes = [d.code for d in found.domains]
    if not codes or len(set(codes)) != len(codes) or len(set(found.indicators)) != len(found.indicators):
        raise ImproperlyConfigured(f"{where}: domains and indicators need distinct codes")
    for scale in (found.rating_scale, found.overall_scale):
        if len(scale) < 2 or len(set(scale)) != len(scale):
            raise ImproperlyConfigured(f"{where}: a scale needs at least two distinct values, lowest first")
    if found.review_interval_days <= 0:
        raise ImproperlyConfigured(f"{where}: the review interval is a positive number of days")
    return found


def _files(directory) -> list[Path]:
    return sorted(Path(directory).glob("*.json")) if directory else []


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"{path}: {exc}") from None


@cache
def _registry(own: str, wording: str) -> dict[str, Instrument]:
    found = {}
    for path in [*_files(HERE / "instruments"), *_files(own)]:
        instrument = _instrument(_read(path), str(path))
        found[instrument.key] = instrument
    for path in _files(wording):
        raw = _read(path)
        key = f"{raw.get('code')}@{raw.get('version')}"
        if key not in found or not isinstance(raw.get("indicators"), dict):
            raise ImproperlyConfigured(f"{path}: wording for an unknown instrument {key}")
        base = found[key]
        found[key] = Instrument(**{**base.__dict__, "wording": tuple(
            (code, str(text)) for code, text in raw["indicators"].items() if code in base.indicators)})
    return found


def registry() -> dict[str, Instrument]:
    """Every instrument in force, by `code@version`."""
    return _registry(str(settings.CASEBRIDGE_INSTRUMENTS_DIR or ""),
                     str(settings.CASEBRIDGE_INSTRUMENT_WORDING_DIR or ""))


def get(key: str) -> Instrument | None:
    return registry().get(key)


@dataclass(frozen=True)
class Crosswalk:
    version: str
    note: str
    common: tuple[tuple[str, str], ...]  # (code, name), in reading order
    maps: dict  # instrument code -> {domain code: common code}

    def common_of(self, instrument: Instrument, domain: str) -> str | None:
        return self.maps.get(instrument.code, {}).get(domain)


@cache
def crosswalk() -> Crosswalk:
    """The crosswalk, checked: every domain of every instrument maps onto a known common domain."""
    path = HERE / "crosswalk.json"
    raw = _read(path)
    common = tuple((str(c["code"]), str(c["name"])) for c in raw["common_domains"])
    known = {code for code, _name in common}
    walk = Crosswalk(str(raw["version"]), str(raw.get("note", "")), common, raw["maps"])
    for instrument in registry().values():
        for domain in instrument.domains:
            target = walk.common_of(instrument, domain.code)
            if target not in known:
                raise ImproperlyConfigured(f"{path}: {instrument.key} domain {domain.code} maps to no common domain")
    return walk
