"""Receipt images with known totals and dates, for the receipt-reading benchmark and its unit test.

Deterministic for a seed: varied layouts (items with prices, subtotal, tax, total; tips; cash and change),
fonts (DejaVu and Liberation, sans, serif and mono), sizes, number and date formats by currency (`$1,234.56`
with month/day dates, `1.234,56 €` with day.month dates, `£12.50`, `CHF 12.50`, ISO dates, month names),
rotations up to 5 degrees, noise and JPEG artefacts.
"""

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
FONT_NAMES = ("DejaVuSans.ttf", "DejaVuSansMono.ttf", "DejaVuSerif.ttf", "DejaVuSansCondensed.ttf",
              "LiberationSans-Regular.ttf", "LiberationMono-Regular.ttf", "LiberationSerif-Regular.ttf",
              "LiberationSans-Bold.ttf")  # fmt: skip
MERCHANTS = ("Corner Bistro", "Blue Bottle Cafe", "Hotel Astoria", "City Taxi", "Green Grocer", "Pizzeria Roma",
             "Office Depot", "Shell Station", "Bäckerei Müller", "Le Petit Zinc", "The Red Lion", "Sushi Ko")
ITEMS = ("Coffee", "Croissant", "Sandwich", "Water", "Salad", "Pasta", "Beer", "Room night", "Parking",
         "Paper A4", "Pens", "Fuel", "Soup", "Tea", "Cake", "Burger", "Fries", "Juice")
STYLES = (  # currency, how amounts look, how the date looks
    ("USD", "${:,.2f}", "%m/%d/%Y"), ("USD", "{:,.2f}", "%b %d, %Y"), ("USD", "USD {:,.2f}", "%Y-%m-%d"),
    ("EUR", "{:,.2f} €", "%d.%m.%Y"), ("EUR", "€{:,.2f}", "%d/%m/%Y"), ("EUR", "EUR {:,.2f}", "%d %b %Y"),
    ("GBP", "£{:,.2f}", "%d/%m/%Y"), ("CHF", "CHF {:,.2f}", "%d.%m.%y"), ("EUR", "{:,.2f} EUR", "%Y-%m-%d"),
)
TOTAL_LABELS = ("TOTAL", "Total", "GRAND TOTAL", "Amount due", "TOTAL DUE", "Total")


@dataclass(frozen=True)
class GeneratedReceipt:
    name: str
    data: bytes
    total: Decimal
    currency: str
    date: dt.date
    merchant: str


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.truetype(str(FONT_DIRS[0] / "DejaVuSans.ttf"), size)




def _european(text: str) -> str:
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _format(pattern: str, currency: str, amount: Decimal) -> str:
    text = pattern.format(amount)
    # Euro amounts in the continental style (1.234,56), others as written in English (1,234.56).
    return _european(text) if currency == "EUR" and not pattern.startswith("€") else text


def _lines(rng: random.Random, currency: str, pattern: str, date_format: str, day: dt.date, merchant: str):
    """The receipt's lines as (left, right) pairs, and its total."""
    lines = [(merchant.upper() if rng.random() < 0.5 else merchant, ""),
             (f"{rng.randint(1, 999)} {rng.choice(('Main St', 'Rue Haute', 'High Street', 'Hauptstr.'))}", ""),
             (day.strftime(date_format) + (f"  {rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}"
                                           if rng.random() < 0.6 else ""), ""), ("", "")]
    subtotal = Decimal(0)
    for _ in range(rng.randint(1, 6)):
        price = Decimal(rng.randint(150, 250000 if rng.random() < 0.15 else 4500)) / 100
        quantity = rng.choice((1, 1, 1, 2, 3))
        subtotal += price * quantity
        label = rng.choice(ITEMS) if quantity == 1 else f"{quantity} x {rng.choice(ITEMS)}"
        lines.append((label, _format(pattern, currency, price * quantity)))
    tax = (subtotal * Decimal(rng.choice(("0.07", "0.1", "0.2", "0.077")))).quantize(Decimal("0.01"))
    total = subtotal + tax
    lines += [("", ""), ("Subtotal", _format(pattern, currency, subtotal)),
              (rng.choice(("Tax", "VAT 20%", "Sales tax")), _format(pattern, currency, tax))]
    if rng.random() < 0.2:
        tip = Decimal(rng.randint(100, 900)) / 100
        lines.append(("Tip", _format(pattern, currency, tip)))
        total += tip
    lines.append((rng.choice(TOTAL_LABELS), _format(pattern, currency, total)))
    if rng.random() < 0.35:
        paid = (total / 10).to_integral_value(rounding="ROUND_CEILING") * 10 + 10
        lines += [("Cash", _format(pattern, currency, paid)), ("Change", _format(pattern, currency, paid - total))]
    lines += [("", ""), (rng.choice(("Thank you!", "Thank you for your visit", "Merci", "See you soon")), "")]
    return lines, total


def receipt_image(rng: random.Random, index: int) -> GeneratedReceipt:
    currency, pattern, date_format = STYLES[index % len(STYLES)]
    day = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
    merchant = rng.choice(MERCHANTS)
    lines, total = _lines(rng, currency, pattern, date_format, day, merchant)
    font = _font(rng.choice(FONT_NAMES), rng.randint(20, 34))
    width = rng.randint(520, 900)
    height = int(font.size * 1.45 * len(lines)) + 120
    paper = rng.randint(225, 255)
    picture = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(picture)
    ink, y = rng.randint(0, 70), 60
    margin = rng.randint(25, 60)
    for left, right in lines:
        if right:
            draw.text((margin, y), left, font=font, fill=ink)
            draw.text((width - margin - draw.textlength(right, font=font), y), right, font=font, fill=ink)
        elif left:
            centred = index % 2 == 0 and y < 60 + 4 * font.size * 1.45
            x = (width - draw.textlength(left, font=font)) / 2 if centred else margin
            draw.text((x, y), left, font=font, fill=ink)
        y += int(font.size * 1.45)
    picture = picture.rotate(rng.uniform(-5, 5), resample=Image.BICUBIC, expand=True, fillcolor=paper)
    noise = rng.uniform(4, 18)
    speckle = Image.effect_noise(picture.size, noise)
    picture = Image.blend(picture, speckle, rng.uniform(0.05, 0.18))
    if rng.random() < 0.4:
        picture = picture.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    if rng.random() < 0.3:
        picture = picture.resize((int(picture.width * 0.75), int(picture.height * 0.75)), Image.BILINEAR)
    out = io.BytesIO()
    picture.convert("RGB").save(out, "JPEG", quality=rng.randint(35, 80))
    return GeneratedReceipt(f"receipt-{index:03d}.jpg", out.getvalue(), total.quantize(Decimal("0.01")), currency,
                            day, merchant)


def receipt_images(count: int = 48, seed: int = 16) -> list[GeneratedReceipt]:
    """`count` receipts, the same ones for the same seed."""
    rng = random.Random(seed)
    return [receipt_image(rng, index) for index in range(count)]
