"""Publication times: read strictly, written in one form, UTC with its `Z`: 2022-10-17T05:00:00Z.

A date decides whether a larger toll is an update or a contradiction, so a date that cannot be
read is an error, never kept as it was given. Accepted: ISO 8601 with a day (a time and an
offset optional), RFC 2822 as in feeds and mail headers ("Mon, 17 Oct 2022 08:00:00 GMT"), and
the forms news pages print with the month in words ("17 October 2022 09:30 BST", "Oct. 17,
2022, 8:00 a.m. EDT"), read by python-dateutil. All-digit dates other than ISO's year first
("10/11/2022") are refused: the day and month cannot be told apart. A date without a time is
midnight, and a time without a zone is UTC. One form in UTC also lets dates compare as strings.
"""
from __future__ import annotations

import datetime
import email.utils
import re
import warnings

from ..errors import InputError

UTC = datetime.timezone.utc
EXAMPLE = "ISO 8601 such as 2022-10-17T08:00:00Z, or 17 October 2022 09:30 BST"

_HOUR = 3600
# Zone names news pages print, with one meaning each (IST, ET and the like have several: refused).
ZONES = {"UTC": 0, "GMT": 0, "Z": 0, "UT": 0, "WET": 0, "BST": _HOUR, "WEST": _HOUR, "CET": _HOUR,
         "CEST": 2 * _HOUR, "EET": 2 * _HOUR, "EEST": 3 * _HOUR, "MSK": 3 * _HOUR, "JST": 9 * _HOUR,
         "AEST": 10 * _HOUR, "AEDT": 11 * _HOUR, "EST": -5 * _HOUR, "EDT": -4 * _HOUR, "CST": -6 * _HOUR,
         "CDT": -5 * _HOUR, "MST": -7 * _HOUR, "MDT": -6 * _HOUR, "PST": -8 * _HOUR, "PDT": -7 * _HOUR}

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ])|\d{8}(?:$|T)")
_MONTH_WORD = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b\.?", re.I)
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_DOTTED_TIME = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{2})(?![\d.])")  # "09.30 BST", as British papers print it


class DateError(InputError):
    """A date that cannot be read: `where` names the file, option or key that gave it."""


def normalise_date(value, where: str, what: str = "") -> str | None:
    """A date from front matter, a page, a manifest, a config or --dates as 2022-10-17T05:00:00Z;
    None for no date; DateError for anything that does not read as a date. `where` names the
    file or option, `what` (such as "line 4: `date`: ") the place in it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    moment = _moment(value)
    if moment is None:
        shown = value if isinstance(value, str) else str(value)
        raise DateError(where, f"{what}{shown!r} is not a date ({EXAMPLE})")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, ValueError):  # "0001-01-01T00:00+03:00" is before the first day in UTC
        raise DateError(where, f"{what}{str(value)!r} is out of range") from None


def _moment(value) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None  # a bare number (YAML reads `date: 2022` as an integer) is not a date
    text = " ".join(value.split())
    if _ISO_DAY.match(text):
        return _iso(text)
    if text[:3].isalpha() and "," in text[:5]:  # "Mon, 17 Oct 2022 ...": RFC 2822 first
        try:
            return email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            pass
    if _MONTH_WORD.search(text) and len(_YEAR.findall(text)) == 1:
        return _in_words(_DOTTED_TIME.sub(r"\1:\2", text))
    return None


def _iso(text: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        pass
    from dateutil.parser import isoparse

    try:
        return isoparse(text)
    except (ValueError, OverflowError):
        return None


def _in_words(text: str) -> datetime.datetime | None:
    """dateutil's reading, only when the text gives the year, month and day itself: it is read
    twice with different defaults, which agree only when no part was filled in."""
    from dateutil.parser import ParserError, UnknownTimezoneWarning, parse

    readings = []
    for default in (datetime.datetime(1, 1, 1), datetime.datetime(2, 2, 2)):
        with warnings.catch_warnings():
            warnings.simplefilter("error", UnknownTimezoneWarning)  # "09:30 XYZ" is no date either
            try:
                readings.append(parse(text, default=default, tzinfos=ZONES))
            except (ParserError, ValueError, OverflowError, UnknownTimezoneWarning):
                return None
    first, second = readings
    return first if first == second else None
