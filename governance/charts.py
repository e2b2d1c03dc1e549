"""Geometry for the server-rendered SVG charts (templates/governance/_*_chart.html).

Pure arithmetic on integers: each function returns the rows a template draws, with the numbers
it also prints as text, so every chart has a text alternative with the same values.
"""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 760
LABEL_WIDTH = 200
BAR_HEIGHT = 22
GAP = 10
PLOT = WIDTH - LABEL_WIDTH - 190  # room on the right for the value text


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str
    y: int
    width: int
    css: str = ""


@dataclass(frozen=True)
class Segment:
    x: int
    width: int
    css: str
    value: int


@dataclass(frozen=True)
class StackedBar:
    label: str
    y: int
    segments: list[Segment]
    text: str


def _scale(value: int, maximum: int) -> int:
    return 0 if maximum <= 0 else round(PLOT * value / maximum)


def hbars(rows: Sequence[tuple[str, int, str]], *, maximum: int | None = None, css: str = ""):
    """Horizontal bars for (label, value, printed text) rows."""
    top = maximum if maximum is not None else max((v for _, v, _ in rows), default=0)
    bars = [
        Bar(label, value, text, GAP + i * (BAR_HEIGHT + GAP), _scale(value, top), css)
        for i, (label, value, text) in enumerate(rows)
    ]
    return {"bars": bars, "height": GAP + len(bars) * (BAR_HEIGHT + GAP), **_frame()}


def stacked(rows: Sequence[tuple[str, Sequence[tuple[str, int]], str]]):
    """Stacked horizontal bars for (label, [(css class, value), ...], printed text) rows, all
    on one scale (the largest row total)."""
    top = max((sum(v for _, v in parts) for _, parts, _ in rows), default=0)
    bars = []
    for i, (label, parts, text) in enumerate(rows):
        x, segments = LABEL_WIDTH, []
        for css, value in parts:
            width = _scale(value, top)
            segments.append(Segment(x, width, css, value))
            x += width
        bars.append(StackedBar(label, GAP + i * (BAR_HEIGHT + GAP), segments, text))
    return {"bars": bars, "height": GAP + len(bars) * (BAR_HEIGHT + GAP), **_frame()}


def marker(value: int, maximum: int) -> int:
    """The x position of a reference line (e.g. the quorum) on an hbars chart's scale."""
    return LABEL_WIDTH + _scale(value, maximum)


def _frame() -> dict:
    return {
        "width": WIDTH,
        "label_width": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "text_x": LABEL_WIDTH + PLOT + 8,
        "plot_width": PLOT,
    }


def money(cents: int) -> str:
    """12345678 -> '123,456.78' (integer arithmetic, no floats)."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100:,}.{cents % 100:02d}"


def percent(part: int, whole: int) -> str:
    """One decimal, rounded half up: 1 of 3 -> '33.3%'."""
    if whole <= 0:
        return "0.0%"
    tenths = (2000 * part // whole + 1) // 2
    return f"{tenths // 10}.{tenths % 10}%"
