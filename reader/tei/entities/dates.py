"""Date rules: find dates in running text and normalise them to ISO 8601.

Every rule yields a :class:`DateMatch` with character offsets into the text
and either ``when`` or ``from_``/``to``. Values follow the W3C datatypes TEI
accepts in ``@when``/``@from``/``@to``: ``1942-05-30``, ``1943-01``, ``1941``,
and, for a day or month without a year, ``--07-07`` (gMonthDay) or ``--03``
(gMonth).

Rules run from the most specific to the least; a later rule never takes text
an earlier one matched, so ``30 May 1942`` is one date, not a date and a year.

Digits of every script (Arabic-Indic ``١٩٤٠``, Persian ``۱۹۴۰``, Devanagari…) are read as the
ASCII digits they stand for: the values are ASCII, as ``@when`` requires, and the text keeps
its own digits (each is one character, so offsets do not move).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace


class _AsciiDigits(dict):
    """``str.translate`` table: every Unicode decimal digit to its ASCII digit, the rest unchanged
    (filled as characters are met, so no table of the whole of Unicode is built)."""

    def __missing__(self, code: int) -> int:
        value = unicodedata.decimal(chr(code), None) if code > 127 else None
        self[code] = code if value is None else ord("0") + value
        return self[code]


_ASCII_DIGITS = _AsciiDigits()


def ascii_digits(text: str) -> str:
    """``text`` with its decimal digits in ASCII, the same length (``"١٩٤٠"`` -> ``"1940"``)."""
    return text if text.isascii() else text.translate(_ASCII_DIGITS)


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
#: The months' names written in full ("May", "June", "July" are as short as abbreviations).
FULL_MONTHS = frozenset(n for n in MONTHS if len(n) > 4 or n in ("May", "June", "July"))
_MONTH = (
    r"(?:(?:"
    + "|".join(n for n in MONTHS if n in FULL_MONTHS)
    + r")|(?:"
    + "|".join(n for n in MONTHS if n not in FULL_MONTHS)
    + r")\.?)(?![a-z])"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1\d\d\d|20\d\d)"  # medieval years too: "in 1236", "(1558–1582)"
_DASH = r"\s?[-‐‑‒–—―]\s?"
_RANGE_WORD = r"(?:" + _DASH + r"|/|\s(?:to|and|until|till)\s)"  # "28/29 May 1903": a night's two days
_B = r"(?:(?<![\w./-])|(?<=(?<!\w)c\.))"  # nothing glued on the left (not an ISBN, a number, a URL) but "c."
_BM = r"(?<!\w)"  # before a month name ("mid-June 1940" is fine)
_E = r"(?![\w/]|[-‐‑‒–—―]\d)"  # nor on the right
#: Words of approximation, and the end of a clause right after the number: "around 1945." is a year, "around 1500
#: men" a quantity.
_APPROXIMATE = re.compile(r"(?:about|around|nearly|approximately|some)\s*$")
_CLAUSE_END = re.compile(r"[.;]?\s*$|[.;]\s|,\s(?!\d)")


def _quantity_before(before: str, text: str, end: int) -> bool:
    """A four-digit number counted by the words before it, unless an approximation ends its clause."""
    return bool(QUANTITY_WORDS.search(before)) and not (_APPROXIMATE.search(before) and _CLAUSE_END.match(text, end))


#: Words before a four-digit number that make it a quantity, not a year.
QUANTITY_WORDS = re.compile(
    r"(?:than|about|around|nearly|approximately|some|over|under|almost|No\.|ISBN|pp?\.|vol\.|"
    r"Resolution|[Nn]umber)\s*$"
)


#: A lower-case plural after a number below 1500 makes it a count ("1200 families"), not a medieval year.
_COUNTED_EARLY = re.compile(r"\s+[a-z]+s\b")

#: Words after a four-digit number that make it a count: "as 2000 were killed", "1500 men".
COUNTED = re.compile(
    r"\s+(?:(?:were|had\s+been)\s+(?:killed|wounded|captured|deported|arrested|executed)|men|women|soldiers|"
    r"people|troops|persons|officers|km|kilometres|kilometers|miles|tons|tonnes|inhabitants|civilians|prisoners|"
    r"casualties|dead)\b"
)


@dataclass(frozen=True)
class DateMatch:
    """A date found in a text: offsets, and the ISO 8601 value(s)."""

    start: int
    end: int
    text: str
    when: str | None = None
    from_: str | None = None
    to: str | None = None

    def attributes(self) -> dict[str, str]:
        if self.when is not None:
            return {"when": self.when}
        return {"from": self.from_, "to": self.to}


def _month(name: str) -> int:
    return MONTHS[name.rstrip(".")]


def _iso(year: str | None, month: int | None = None, day: str | int | None = None) -> str:
    day_n = int(re.match(r"\d+", str(day)).group()) if day is not None else None
    if year is None:
        return f"--{month:02d}" + (f"-{day_n:02d}" if day_n else "")
    out = f"{int(year):04d}"
    if month:
        out += f"-{month:02d}"
        if day_n:
            out += f"-{day_n:02d}"
    return out


def _full_year(first: str, second: str) -> str:
    """``1939``, ``40`` -> ``1940``: a two-digit end of a year range."""
    return first[: 4 - len(second)] + second if len(second) < 4 else second


def _valid(iso: str) -> bool:
    m = re.fullmatch(r"(?:(\d{4})|-)-?(\d\d)?-?(\d\d)?", iso)
    if not m:
        return True
    month = int(m.group(2)) if m.group(2) else 1
    day = int(m.group(3)) if m.group(3) else 1
    return 1 <= month <= 12 and 1 <= day <= 31


# Each rule: (pattern, function(match) -> dict of when/from_/to). Order matters.
_RULES: list[tuple[re.Pattern, callable]] = []


def rule(pattern: str):
    def register(fn):
        _RULES.append((re.compile(pattern), fn))
        return fn

    return register


def _listed_not_ranged(m) -> bool:
    """Days joined by "and" form a range only after "between", or when they follow each other ("5 and 6
    January 1870": two days running)."""
    joined_by_and = re.search(r"(\d+)\s+and\s+(\d+)", m.group())
    if joined_by_and is None or re.search(r"[Bb]etween\s+$", m.string[max(0, m.start() - 9) : m.start()]):
        return False
    return not ("m1" not in m.re.groupindex and int(joined_by_and[2]) == int(joined_by_and[1]) + 1)


_NIGHT = r"(?:(?P<night>the night of )|(?:the )?(?:days? of ))?"


@rule(_B + _NIGHT + rf"(?P<d1>{_DAY}){_RANGE_WORD}(?P<d2>{_DAY})\s(?P<m>{_MONTH})(?:,?\s(?P<y>{_YEAR}))?" + _E)
def _day_range_one_month(m):  # 13–14 June 1941, the night of 5–6 May
    if _listed_not_ranged(m):
        return None  # "on 18 and 21 June 1940": two days, not a range
    month = _month(m["m"])
    return {"from_": _iso(m["y"], month, m["d1"]), "to": _iso(m["y"], month, m["d2"])}


@rule(_BM + rf"(?P<m>{_MONTH})\s(?P<d1>{_DAY}){_RANGE_WORD}(?P<d2>{_DAY}),?\s(?P<y>{_YEAR})" + _E)
def _month_day_range(m):  # July 4–17, 1943
    month = _month(m["m"])
    return {"from_": _iso(m["y"], month, m["d1"]), "to": _iso(m["y"], month, m["d2"])}


@rule(_B + rf"(?P<d1>{_DAY})\s(?P<m1>{_MONTH}){_RANGE_WORD}(?P<d2>{_DAY})\s(?P<m2>{_MONTH}),?\s(?P<y>{_YEAR})" + _E)
def _day_month_range(m):  # 30 June – 2 July 1941
    if _listed_not_ranged(m):
        return None
    return {"from_": _iso(m["y"], _month(m["m1"]), m["d1"]), "to": _iso(m["y"], _month(m["m2"]), m["d2"])}


@rule(_B + rf"(?P<d>{_DAY})\s(?:of\s)?(?P<m>{_MONTH}),?\s(?P<y>{_YEAR})" + _E)
def _day_month_year(m):  # 30 May 1942
    return {"when": _iso(m["y"], _month(m["m"]), m["d"])}


@rule(_BM + rf"(?P<m>{_MONTH})\s(?P<d>{_DAY}),?\s(?P<y>{_YEAR})" + _E)
def _month_day_year(m):  # May 30, 1942
    return {"when": _iso(m["y"], _month(m["m"]), m["d"])}


@rule(r"(?<![\w./-])(?P<y>" + _YEAR + r")-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])" + _E)
def _iso_date(m):  # 2007-09-30
    return {"when": _iso(m["y"], int(m["m"]), m["d"])}


@rule(r"(?<![\w./-])(?P<d>[12]\d|3[01]|0?[1-9])\.(?P<m>1[0-2]|0?[1-9])\.(?P<y>" + _YEAR + r")" + _E)
def _dotted_date(m):  # 21.5.2007
    return {"when": _iso(m["y"], int(m["m"]), m["d"])}


@rule(_BM + rf"(?P<m1>{_MONTH})(?:{_DASH}|\s(?:and|to)\s)(?P<m2>{_MONTH}),?\s(?P<y>{_YEAR})" + _E)
def _month_range(m):  # July–August 1945, June and July 1941
    return {"from_": _iso(m["y"], _month(m["m1"])), "to": _iso(m["y"], _month(m["m2"]))}


@rule(_BM + rf"(?P<m>{_MONTH}),?\s(?P<y>{_YEAR})" + _E)
def _month_year(m):  # January 1943
    return {"when": _iso(m["y"], _month(m["m"]))}


@rule(_B + rf"(?:(?P<kw>[Ff]rom)\s|(?<=[Bb]etween\s))(?P<y1>{_YEAR})\s(?:to|until|till|and)\s(?P<y2>{_YEAR})" + _E)
def _from_to_years(m):  # from 1941 to 1944; between [1237 and 1290]
    if not m["kw"] and " and " not in m.group():
        return None
    return {"from_": m["y1"], "to": m["y2"]}


@rule(_B + rf"(?P<y1>{_YEAR}){_DASH}(?P<y2>{_YEAR}|\d\d|(?<=[-–])\d)" + _E)
def _year_range(m):  # 1941-1944, 1941—1945, 1939–40, 1852–5 (one digit only right after the dash)
    end = _full_year(m["y1"], m["y2"])
    if end <= m["y1"]:
        return None
    return {"from_": m["y1"], "to": end}


@rule(_BM + rf"(?P<m>{_MONTH})\s(?P<d1>{_DAY}){_RANGE_WORD}(?P<d2>{_DAY})" + _E + r"(?!,?\s\d)")
def _month_day_range_no_year(m):  # on June 25–26
    if _listed_not_ranged(m):
        return None
    month = _month(m["m"])
    return {"from_": _iso(None, month, m["d1"]), "to": _iso(None, month, m["d2"])}


@rule(_B + rf"(?P<d>{_DAY})\s(?P<m>{_MONTH})" + _E)
def _day_month(m):  # on 3 August (year left to the reader)
    return {"when": _iso(None, _month(m["m"]), m["d"])}


@rule(_BM + rf"(?P<m>{_MONTH})\s(?P<d>{_DAY})" + _E + r"(?!,?\s\d)")
def _month_day(m):  # July 7
    return {"when": _iso(None, _month(m["m"]), m["d"])}


@rule(
    r"\b(?:(?:[Ii]n|[Bb]y|[Ff]rom|[Ss]ince|[Uu]ntil|[Tt]ill|[Dd]uring|[Ee]arly|[Ll]ate)\s|[Mm]id-)(?P<span>(?P<m>"
    + "|".join(name for name in MONTHS if len(name) > 4 or name in ("May", "June", "July"))
    + r"))(?![\w-])(?!\s\d)"
)
def _bare_month(m):  # in March
    return {"when": _iso(None, _month(m["m"]))}


_UNIT_WORDS = "one two three four five six seven eight nine".split()
_TEEN_WORDS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TEN_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_UNITS = "|".join(_UNIT_WORDS)
_BELOW_100 = rf"(?:(?:{'|'.join(_TEN_WORDS)})(?:[- ](?:{_UNITS}))?|{'|'.join(_TEEN_WORDS)}|{_UNITS})"


def _number_below_100(words: str) -> int:
    parts = re.split(r"[- ]", words.lower())
    if parts[0] in _TEEN_WORDS:
        return 10 + _TEEN_WORDS.index(parts[0])
    if parts[0] in _TEN_WORDS:
        return 20 + 10 * _TEN_WORDS.index(parts[0]) + (_UNIT_WORDS.index(parts[1]) + 1 if len(parts) > 1 else 0)
    return _UNIT_WORDS.index(parts[0]) + 1


@rule(
    rf"(?<![\w-])(?:[Oo]ne\sthousand\s(?P<h>{_UNITS})\shundred|(?P<c>[Ee]leven|[Tt]welve|[Tt]hirteen|[Ff]ourteen|"
    rf"[Ff]ifteen|[Ss]ixteen|[Ss]eventeen|[Ee]ighteen|[Nn]ineteen)\shundred)(?:\sand\s(?P<r>{_BELOW_100}))?(?![\w-])"
)
def _year_in_words(m):  # the year one thousand seven hundred and seventy-five; eighteen hundred and fifty-nine
    """A year written in words, as older prose writes it: with its tens and units, or after "year"
    ("one thousand eight hundred men" is a number)."""
    if not m["r"] and not re.search(r"\byear\s$", m.string[max(0, m.start() - 5) : m.start()]):
        return None
    if _COUNTED_EARLY.match(m.string, m.end()):
        return None  # "one thousand six hundred and five soldiers"
    hundreds = 10 + _UNIT_WORDS.index(m["h"]) + 1 if m["h"] else 10 + _TEEN_WORDS.index(m["c"].lower())
    return {"when": f"{hundreds * 100 + (_number_below_100(m['r']) if m['r'] else 0):04d}"}


@rule(_B + r"(?P<y>1[5-9]\d0|20\d0)['’]?s\s(?:and|to)\s['’]?(?P<z>\d0)s" + _E)
def _two_decades(m):  # the 1820s and 30s, the 1960s to '70s: the second decade's century is the first's
    later = m["y"][:2] + m["z"]
    return {"from_": m["y"], "to": str(int(later) + 9)} if later > m["y"] else None


@rule(r"(?:(?<=\bmid-)|(?<=\blate-)|(?<=\bearly-)|" + _B + r")(?P<y>1[5-9]\d0|20\d0)['’]?s" + _E)
def _decade(m):  # 1980s, the 1880's, the mid-1880s (the modifier stays outside)
    return {"from_": m["y"], "to": str(int(m["y"]) + 9)}


@rule(r"(?:(?<=\bmid-)|(?<=\blate-)|(?<=\bearly-)|" + _B + rf")(?P<y>{_YEAR})" + _E)
def _year(m):  # 1941
    return {"when": m["y"]}


def find_dates(text: str) -> list[DateMatch]:
    """All dates in ``text``, in order, non-overlapping; values in ASCII digits whatever the text's."""
    original, text = text, ascii_digits(text)
    taken: list[tuple[int, int]] = []
    found: list[DateMatch] = []
    for pattern, normalise in _RULES:
        for m in pattern.finditer(text):
            start, end = m.span("span") if "span" in pattern.groupindex else m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            if normalise is _year and (
                _quantity_before(text[max(0, start - 12) : start], text, end)
                or COUNTED.match(text, end)
                or (m["y"] < "1500" and _COUNTED_EARLY.match(text, end))
            ):
                continue
            values = normalise(m)
            if not values or not all(_valid(v) for v in values.values() if v):
                continue
            taken.append((start, end))
            found.append(DateMatch(start, end, original[start:end], **values))
    return _with_weekdays(text, original, _join_ranges(text, original, sorted(found, key=lambda d: d.start)))


#: A weekday just before a day's date belongs to it: "Saturday, 11 November 1854", "on Sunday 3 December".
_WEEKDAY = re.compile(r"(?<![\w-])(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s$")
#: So does a feast of the church year, or its week, before a day's or a month's date: "Easter Monday, 24 April
#: 1916", "Easter Week, April 1916", "Whit Sunday, 9 June", "Christmas Eve 1914".
_FEAST = re.compile(
    r"(?<![\w-])(?:(?:Easter|Whit|Palm|Trinity|Low|Passion|Rogation|Holy|Good|Maundy|Ash|Shrove|Plough|Lady|"
    r"Christmas|New\sYear['’]s|All\sSaints['’]?)\s(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"Week|Day|Eve)|Easter|Whitsun|Pentecost|Christmas|Candlemas|Michaelmas|Martinmas|Lammas|Epiphany),?\s$"
)


def _with_weekdays(text: str, original: str, found: list[DateMatch]) -> list[DateMatch]:
    out = []
    for date in found:
        day = re.search(r"-\d\d-\d\d$", date.when or "")  # a day's date, not a month's or a year's
        lead = _WEEKDAY.search(text, max(0, date.start - 11), date.start) if day else None
        if day or re.fullmatch(r"\d{4}-\d\d", date.when or ""):
            lead = _FEAST.search(text, max(0, (lead.start() if lead else date.start) - 24), date.start) or lead
        if lead:
            date = replace(date, start=lead.start(), text=original[lead.start() : date.end])
        out.append(date)
    return out


#: What joins two dates into one range: "30 May 1896 – 10 August 1945", "1923 until 1927", "June 29 to July 1".
_RANGE_JOIN = re.compile(r"\s?[-‐‑‒–—―]\s?|\s(?:to|until|till)\s")
_FROM = re.compile(r"(?:(?<=\s)|^)[Ff]rom\s$")


_WORD_JOINED = re.compile(r"\s(?:to|until|till)\s")
#: "Between 16 November 1925 and 13 March 1926": two dates after "between" are one stretch ("between" outside).
_BETWEEN = re.compile(r"(?:^|(?<=\s))[Bb]etween\s$")
_DECADE = re.compile(r"1[5-9]\d0['’]?s|20\d0['’]?s")


def _join_ranges(text: str, original: str, found: list[DateMatch]) -> list[DateMatch]:
    """Two dates joined by a dash, "to", "until" or "till" are one date with @from/@to; a "from"
    before a range written with words belongs to it ("From 1923 until 1927", "from April to
    November 1941"), as in "from 1941 to 1944" ("from 1418–1561" keeps it outside)."""
    out: list[DateMatch] = []
    for date in found:
        lead = _FROM.search(text, max(0, date.start - 5), date.start)
        if lead and date.when is None and _WORD_JOINED.search(date.text):
            date = DateMatch(lead.start(), date.end, original[lead.start() : date.end], from_=date.from_, to=date.to)
        prev = out[-1] if out else None
        between = text[prev.end : date.start] if prev is not None else ""
        decades = (
            prev is not None and between == " and " and _DECADE.fullmatch(prev.text) and _DECADE.fullmatch(date.text)
        )
        between_and = (
            prev is not None and between == " and " and _BETWEEN.search(text, max(0, prev.start - 9), prev.start)
        )
        next_year = (  # "rioting in 1920 and 1921": two years in a row, one stretch
            prev is not None
            and between == " and "
            and re.fullmatch(r"\d{4}", prev.when or "")
            and re.fullmatch(r"\d{4}", date.when or "")
            and int(date.when) == int(prev.when) + 1
        )
        if prev is not None and (_RANGE_JOIN.fullmatch(between) or decades or between_and or next_year):
            start, end = prev.from_ or prev.when, date.to or date.when
            if start and end and start.startswith("--") and not end.startswith("-"):
                start = end[:4] + start[1:]  # "March 9 to June 24, 1870": the year is said once, at the end
            if start and end and (start[:1] == "-") == (end[:1] == "-") and start <= end:
                lead = _FROM.search(text, max(0, prev.start - 5), prev.start)
                begin = lead.start() if lead and _WORD_JOINED.fullmatch(text[prev.end : date.start]) else prev.start
                out[-1] = DateMatch(begin, date.end, original[begin : date.end], from_=start, to=end)
                continue
        out.append(date)
    return out
