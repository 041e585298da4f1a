"""The demo's attachments: site photos drawn with Pillow and a reply letter as a small PDF.

Drawn, not shipped: a few hundred lines of shapes weigh nothing in the repository and come out the
same bytes for the same scene (no clock, no unseeded noise). The letter is a hand-written PDF using
the standard Chinese font ``STSong-Light`` (every PDF reader has it; nothing is embedded).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

PHOTO_SIZE = (960, 720)


@dataclass(frozen=True)
class Scene:
    """A road photo: how wet, whether a drop without a guard rail, the light, and the texture's seed."""

    puddles: int
    cliff: bool
    sky: tuple[int, int, int]
    seed: int


def photo(scene: Scene) -> bytes:
    """A JPEG of a township road as a deputy would photograph it."""
    width, height = PHOTO_SIZE
    rng = random.Random(scene.seed)
    image = Image.new("RGB", PHOTO_SIZE, scene.sky)
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.42)
    for y in range(horizon):  # the sky lightens towards the horizon
        shade = tuple(min(255, c + y * 60 // horizon) for c in scene.sky)
        draw.line([(0, y), (width, y)], fill=shade)
    for _ in range(9):  # hills or buildings on the horizon
        left = rng.randint(-100, width - 60)
        top = horizon - rng.randint(40, 150)
        colour = (rng.randint(70, 110), rng.randint(95, 130), rng.randint(70, 100))
        draw.rectangle([left, top, left + rng.randint(80, 220), horizon], fill=colour)
    draw.rectangle([0, horizon, width, height], fill=(92, 120, 70))  # verges
    road = [(width * 0.44, horizon), (width * 0.56, horizon), (width * 0.98, height), (width * 0.02, height)]
    draw.polygon(road, fill=(105, 104, 100))
    for _ in range(1400):  # asphalt grain
        x, y = rng.randint(0, width), rng.randint(horizon, height)
        grey = rng.randint(80, 135)
        draw.point((x, y), fill=(grey, grey, grey - 4))
    if scene.cliff:  # the right edge drops away with no guard rail
        draw.polygon([(width * 0.56, horizon), (width, horizon + 40), (width, height), (width * 0.98, height)],
                     fill=(60, 70, 82))
    else:  # an open drainage ditch along the right edge
        draw.line([(width * 0.555, horizon), (width * 0.93, height)], fill=(88, 64, 40), width=26)
    for _ in range(scene.puddles):
        y = rng.randint(horizon + 60, height - 40)
        spread = (y - horizon) / (height - horizon)
        x = width / 2 + rng.uniform(-0.35, 0.35) * width * spread
        w, h = 140 * spread + 20, 34 * spread + 6
        draw.ellipse([x - w, y - h, x + w, y + h], fill=(128, 142, 155), outline=(70, 70, 66), width=3)
        draw.ellipse([x - w * 0.5, y - h * 0.4, x + w * 0.1, y], fill=(180, 192, 204))
    draw.line([(width * 0.5, horizon), (width * 0.5, height)], fill=(215, 210, 190), width=5)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def letter(lines: list[str]) -> bytes:
    """A one-page A4 PDF of ``lines`` (wrapped at 34 characters), in STSong-Light."""
    wrapped = [line[i:i + 34] for line in lines for i in range(0, max(len(line), 1), 34)]
    text = " ".join(f"<{line.encode('utf-16-be').hex()}> '" for line in wrapped)
    content = f"BT /F1 14 Tf 20 TL 64 780 Td {text} ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 7 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [5 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 6 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
