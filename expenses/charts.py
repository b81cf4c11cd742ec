"""Geometry of the server-side SVG bar charts on the charts page (no JavaScript library)."""

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


def bar_chart(points, *, width=480, row=28, label_width=140, value_width=80) -> Chart:
    """Horizontal bars, one row per (label, value, count), label on the left and value on the right."""
    maximum = max((p[1] for p in points), default=Decimal(0))
    plot = width - label_width - value_width
    bars = []
    for index, (label, value, count) in enumerate(points):
        bar_width = round(plot * _scale(value, maximum), 1)
        y = index * row + 4
        bars.append(
            Bar(label, value, count, label_width, y, bar_width, row - 8, label_width + bar_width + 6, y + (row - 8) / 2)
        )
    return Chart(width, max(len(points), 1) * row + 4, bars, 0, maximum)
