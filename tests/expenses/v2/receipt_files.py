"""Real receipt files made for the tests (Pillow, pillow-heif, pypdf) and malformed ones."""

import functools
import io
import struct
import zlib

import pillow_heif
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject

pillow_heif.register_heif_opener()


def image(kind: str, size=(640, 480)) -> bytes:
    picture = Image.new("RGB", size, (230, 230, 220))
    for x in range(0, size[0], 7):
        for y in range(0, size[1], 9):
            picture.putpixel((x, y), (x % 256, y % 256, (x + y) % 256))
    out = io.BytesIO()
    picture.save(out, {"JPEG": "JPEG", "PNG": "PNG", "WebP": "WEBP", "HEIC": "HEIF", "GIF": "GIF"}[kind])
    return out.getvalue()


def pdf(pages: int = 2) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (250, 250, 250)).save(out, "PDF", save_all=True,
                                                       append_images=[Image.new("RGB", (300, 400))] * (pages - 1))
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(side: int = 60_000) -> bytes:
    """A small PNG declaring side x side pixels (of zeros, compressed to almost nothing)."""
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = b"\x00" * (side // 8 + 1)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(2000)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


@functools.cache
def pdf_bomb(unpacked: int = 60 * 1024 * 1024) -> bytes:
    """A one-page PDF whose content stream is `unpacked` bytes of zeros, flate-compressed to ~80 KB."""
    compressor = zlib.compressobj(6)
    block = b" " * (1024 * 1024)
    packed = b"".join(compressor.compress(block) for _ in range(unpacked // len(block))) + compressor.flush()
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    stream = StreamObject()
    stream.set_data(packed)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)  # pypdf has no public way to add a raw stream
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
