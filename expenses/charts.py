"""Geometry of the charts page's server-side bars: SVG columns and HTML bar lists (no JavaScript library)."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    count: int
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    baseline: float
    maximum: Decimal


def _scale(value, maximum) -> float:
    # Refunds can make a total negative; they draw as an empty bar (the table shows the number).
    return float(max(value, 0) / maximum) if maximum > 0 else 0.0


def column_chart(points, *, width=720, height=260, label_space=40, top_space=24) -> Chart:
    """Vertical bars, one per (label, value, count), left to right, value printed above each bar."""
    maximum = max((p[1] for p in points), default=Decimal(0))
    plot = height - label_space - top_space
    slot = width / max(len(points), 1)
    bars = []
    for index, (label, value, count) in enumerate(points):
        bar_height = round(plot * _scale(value, maximum), 1)
        x = round(index * slot + slot * 0.15, 1)
        y = round(top_space + plot - bar_height, 1)
        bars.append(
            Bar(label, value, count, x, y, round(slot * 0.7, 1), bar_height, round(index * slot + slot / 2, 1), y - 6)
        )
    return Chart(width, height, bars, top_space + plot, maximum)


@dataclass(frozen=True)
class Row:
    """One line of an HTML bar list: the label (a link to its expenses), the bar's share of the largest."""

    label: str
    value: Decimal
    count: int
    percent: float
    url: str


def bar_rows(points, urls) -> list[Row]:
    """Rows for (label, value, count) points, each with the URL of its expenses (`urls` in the same order);
    bars are percentages of the largest value, so they read at any screen width."""
    maximum = max((p[1] for p in points), default=Decimal(0))
    return [Row(label, value, count, round(100 * _scale(value, maximum), 1), url)
            for (label, value, count), url in zip(points, urls, strict=True)]
