"""What a receipt file is, found by decoding all of it (never by its name or first bytes): the format, its size
in pixels or pages, and a JPEG thumbnail.

Images (JPEG, PNG, WebP, HEIC) are decoded by Pillow (HEIC through pillow-heif) after their declared size is
checked against XPENSER_RECEIPT_MAX_PIXELS, so a decompression bomb is refused before it is decoded; a
truncated image fails to decode. PDFs are read strictly by pypdf with its decompression limits lowered, every
page's content decoded, and the first page rendered by PDFium for the thumbnail.

`receipt_header` is the cheap part alone, for mail that must be answered at once: the format and the declared
size of an image from its header (no pixel decoded), a PDF by its signature; the rest is checked later.
"""

import io
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import pillow_heif
import pypdf
import pypdfium2
from django.conf import settings
from PIL import Image, ImageOps
from pypdf.errors import PyPdfError

pillow_heif.register_heif_opener()

# Pillow's format names for the kinds we keep (MPO: the multi-picture JPEG some cameras write).
IMAGE_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC"}
KINDS = "an image (JPEG, PNG, WebP, HEIC) or a PDF"
THUMBNAIL_QUALITY = 80


class UnreadableReceipt(ValueError):
    """The file is not a receipt we keep; the message says why (for the person who sent it)."""


@dataclass(frozen=True)
class ReceiptContent:
    kind: str  # JPEG, PNG, WebP, HEIC or PDF
    width: int | None
    height: int | None
    pages: int | None
    thumbnail: bytes | None  # a JPEG no larger than XPENSER_RECEIPT_THUMBNAIL_PIXELS on either side


def receipt_content(data: bytes) -> ReceiptContent:
    """Decode `data` entirely; raise UnreadableReceipt unless it is a whole, sane image or PDF."""
    if data.startswith(b"%PDF-"):
        return _pdf_content(data)
    return _image_content(data)


def receipt_header(data: bytes) -> ReceiptContent:
    """The format and declared size read from the header alone; raise UnreadableReceipt for a format we do not
    keep or an image declaring too many pixels (a decompression bomb), without decoding any pixel."""
    if data.startswith(b"%PDF-"):
        return ReceiptContent("PDF", None, None, None, None)
    with _image_problems(), Image.open(io.BytesIO(data)) as image:
        kind = _kind_of(image)
        width, height = image.size
    if width * height > _max_pixels():
        raise _too_many_pixels(width, height)
    return ReceiptContent(kind, width, height, None, None)


def _kind_of(image: Image.Image) -> str:
    kind = IMAGE_FORMATS.get(image.format or "")
    if kind is None:
        raise UnreadableReceipt(f"it is {'a ' + image.format if image.format else 'an unknown'} image, not {KINDS}")
    return kind


def _max_pixels() -> int:
    return settings.XPENSER_RECEIPT_MAX_PIXELS


def _thumbnail_side() -> int:
    return settings.XPENSER_RECEIPT_THUMBNAIL_PIXELS


def _too_many_pixels(width: int, height: int) -> UnreadableReceipt:
    return UnreadableReceipt(f"it is {width} x {height} pixels; the most accepted is {_max_pixels():,} pixels "
                             "(a file this size that unpacks to that many is refused as a decompression bomb)")


def _image_content(data: bytes) -> ReceiptContent:
    side = _thumbnail_side()
    with _image_problems():
        image = Image.open(io.BytesIO(data))
        kind = _kind_of(image)
        width, height = image.size
        if width * height > _max_pixels():
            raise _too_many_pixels(width, height)
        if kind == "JPEG":
            image.draft("RGB", (side * 2, side * 2))  # decodes every block, at a reduced scale
        image.load()  # the whole file: a truncated one fails here
        thumbnail = _jpeg_thumbnail(image, side)
    return ReceiptContent(kind, width, height, None, thumbnail)


@contextmanager
def _image_problems():
    """What Pillow raises on a file it cannot read, as UnreadableReceipt saying why."""
    with warnings.catch_warnings():
        # Beyond Pillow's own limit it only warns; such an image is refused here in any case.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise UnreadableReceipt("it unpacks to too many pixels (a decompression bomb)") from None
        except UnreadableReceipt:
            raise
        except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
            raise UnreadableReceipt(_image_problem(exc)) from None


def _image_problem(exc) -> str:
    text = str(exc)
    if "truncated" in text.lower() or isinstance(exc, EOFError):
        return "the image is truncated (the file ends before the picture does)"
    if "cannot identify image file" in text:
        return f"its content is not {KINDS}"
    return f"the image cannot be decoded ({text or type(exc).__name__})"


def _jpeg_thumbnail(image: Image.Image, side: int) -> bytes:
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((side, side))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return out.getvalue()


def _pdf_limits() -> dict:
    limit = settings.XPENSER_RECEIPT_MAX_PDF_STREAM_BYTES
    return {
        "zlib_maximum_output_length": limit, "lzw_maximum_output_length": limit,
        "run_length_maximum_output_length": limit, "brotli_maximum_output_length": limit,
        "jbig2_maximum_output_length": limit, "image_maximum_buffer_size": limit,
        "array_based_stream_maximum_output_length": limit, "stream_decoding_work_maximum_length": limit * 4,
    }  # fmt: skip


def _pdf_content(data: bytes) -> ReceiptContent:
    max_pages = settings.XPENSER_RECEIPT_MAX_PDF_PAGES
    try:
        with pypdf.apply_configuration(**_pdf_limits()):
            reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
            if reader.is_encrypted and not reader.decrypt(""):
                raise UnreadableReceipt("the PDF is protected by a password")
            pages = len(reader.pages)
            if not pages:
                raise UnreadableReceipt("the PDF has no pages")
            if pages > max_pages:
                raise UnreadableReceipt(f"the PDF has {pages} pages; the most accepted is {max_pages}")
            decoded = 0
            for page in reader.pages:
                contents = page.get_contents()
                decoded += len(contents.get_data()) if contents is not None else 0
                if decoded > settings.XPENSER_RECEIPT_MAX_PDF_STREAM_BYTES:
                    raise UnreadableReceipt("the PDF's pages unpack to too much data (a decompression bomb)")
            first = reader.pages[0]
            _check_page_images(first)
            width, height = round(float(first.mediabox.width)), round(float(first.mediabox.height))
    except UnreadableReceipt:
        raise
    except pypdf.errors.LimitReachedError:
        raise UnreadableReceipt("the PDF unpacks to too much data (a decompression bomb)") from None
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise UnreadableReceipt(f"the PDF cannot be read ({_pdf_problem(exc)})") from None
    return ReceiptContent("PDF", width, height, pages, _pdf_thumbnail(data))


def _pdf_problem(exc) -> str:
    text = str(exc) or type(exc).__name__
    return "it is truncated: " + text if "EOF" in text or "startxref" in text else text


def _check_page_images(page) -> None:
    """Images drawn on the first page must be of a sane size before PDFium decodes them for the thumbnail."""
    resources = page.get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    for ref in xobjects.values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Image":
            width, height = int(xobject.get("/Width", 0)), int(xobject.get("/Height", 0))
            if width * height > _max_pixels():
                raise _too_many_pixels(width, height)


def _pdf_thumbnail(data: bytes) -> bytes | None:
    side = _thumbnail_side()
    try:
        document = pypdfium2.PdfDocument(data)
        try:
            page = document[0]
            page_width, page_height = page.get_size()
            scale = min(side / max(page_width, page_height, 1), 4.0)
            image = page.render(scale=scale).to_pil()
        finally:
            document.close()
    except pypdfium2.PdfiumError as exc:
        raise UnreadableReceipt(f"the PDF cannot be rendered ({exc})") from None
    return _jpeg_thumbnail(image, side)
