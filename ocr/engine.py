"""Text of receipt images and scanned PDFs: Pillow preprocessing, then Tesseract (pytesseract); no Django.

Preprocessing: greyscale, a scale at which Tesseract reads receipt print well, a median filter against
speckle noise, contrast stretched, the skew found (up to MAX_SKEW degrees, by the sharpest row profile) and
straightened, then a global (Otsu) threshold to black on white.
"""

import io
import os

import pillow_heif
import pypdfium2
import pytesseract
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()
# One thread per Tesseract process: its OpenMP threads make it many times slower on a busy machine, and the
# job queue already runs readings side by side. An OMP_THREAD_LIMIT set in the environment wins.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

MAX_SKEW = 5.0  # degrees
SKEW_STEP = 0.5
TARGET_WIDTH = (1100, 2200)  # pixels: narrower images are enlarged, wider ones reduced
PDF_DPI = 220
MAX_PAGES = 4  # a receipt has one page or a few; further pages are not read
TESSERACT_CONFIG = "--psm 6"  # one block of text: a receipt's labels and prices stay on their lines
TIMEOUT = 120  # seconds per page


class ReceiptUnreadable(Exception):
    """The file cannot be read as an image or PDF, or no text came out of it."""


def receipt_pages(data: bytes) -> list[Image.Image]:
    """The receipt's pages as images (a PDF's first MAX_PAGES rendered at PDF_DPI)."""
    if data.startswith(b"%PDF-"):
        try:
            document = pypdfium2.PdfDocument(data)
            return [document[index].render(scale=PDF_DPI / 72).to_pil()
                    for index in range(min(len(document), MAX_PAGES))]
        except pypdfium2.PdfiumError as problem:
            raise ReceiptUnreadable(f"the PDF cannot be opened: {problem}") from None
    try:
        picture = Image.open(io.BytesIO(data))
        picture.load()
    except (UnidentifiedImageError, OSError, ValueError) as problem:
        raise ReceiptUnreadable(f"the image cannot be decoded: {problem}") from None
    return [ImageOps.exif_transpose(picture)]


def _scaled(grey: Image.Image) -> Image.Image:
    low, high = TARGET_WIDTH
    if grey.width < low or grey.width > high:
        factor = (low if grey.width < low else high) / grey.width
        grey = grey.resize((round(grey.width * factor), max(1, round(grey.height * factor))), Image.LANCZOS)
    return grey


def otsu_threshold(grey: Image.Image) -> int:
    """The grey level that best separates ink from paper (Otsu's method on the histogram)."""
    histogram = grey.histogram()[:256]
    total = sum(histogram)
    weighted = sum(level * count for level, count in enumerate(histogram))
    below = below_weighted = 0
    best, best_level = -1.0, 128
    for level, count in enumerate(histogram):
        below += count
        if below == 0 or below == total:
            continue
        below_weighted += level * count
        mean_low = below_weighted / below
        mean_high = (weighted - below_weighted) / (total - below)
        spread = below * (total - below) * (mean_low - mean_high) ** 2
        if spread > best:
            best, best_level = spread, level
    return best_level


def _binary(grey: Image.Image, threshold: int) -> Image.Image:
    return grey.point(lambda value: 255 if value > threshold else 0)


def skew_angle(grey: Image.Image) -> float:
    """The rotation (degrees, within ±MAX_SKEW) that makes the text rows sharpest: lines of print give the
    row-sum profile its largest variance when they are level."""
    small = grey.copy()
    small.thumbnail((600, 600))
    ink = ImageOps.invert(_binary(small, otsu_threshold(small)))
    best, best_angle = -1.0, 0.0
    steps = int(MAX_SKEW / SKEW_STEP)
    for step in range(-steps, steps + 1):
        angle = step * SKEW_STEP
        turned = ink.rotate(angle, resample=Image.BILINEAR, fillcolor=0)
        rows = _row_sums(turned)
        mean = sum(rows) / len(rows)
        variance = sum((r - mean) ** 2 for r in rows)
        if variance > best:
            best, best_angle = variance, angle
    return best_angle


def _row_sums(picture: Image.Image) -> list[int]:
    """The ink of each row: a 1-pixel-wide resize averages every row in C."""
    column = picture.resize((1, picture.height), Image.BOX)
    return list(column.get_flattened_data() if hasattr(column, "get_flattened_data") else column.getdata())


def prepare(picture: Image.Image) -> Image.Image:
    """The page as black print on white, level and at a size Tesseract reads well."""
    grey = _scaled(ImageOps.grayscale(picture.convert("RGB")))
    grey = ImageOps.autocontrast(grey.filter(ImageFilter.MedianFilter(3)), cutoff=1)
    angle = skew_angle(grey)
    if angle:
        grey = grey.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    return _binary(grey, otsu_threshold(grey))


def page_text(picture: Image.Image, *, languages: str = "eng") -> str:
    return pytesseract.image_to_string(prepare(picture), lang=languages, config=TESSERACT_CONFIG, timeout=TIMEOUT)


def receipt_text(data: bytes, *, languages: str = "eng") -> str:
    """The text of every page of the receipt. ReceiptUnreadable when the file cannot be decoded or holds no
    text; pytesseract's TesseractNotFoundError when Tesseract is not installed (a setup problem, not the
    receipt's)."""
    pages = receipt_pages(data)
    text = "\n".join(page_text(page, languages=languages) for page in pages).strip()
    if not text:
        raise ReceiptUnreadable("no text was found on the receipt")
    return text
