"""A tiny PDF writer for demo content and tests: one A4 page of Helvetica text.

Real agreements are uploaded by people; this only has to produce small, valid PDFs
(correct cross-reference table) without pulling in a PDF library.
"""


def _escape(text: str) -> bytes:
    # WinAnsiEncoding covers the Danish letters æ, ø, å.
    raw = text.encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def simple_pdf(title: str, lines: list[str] | tuple[str, ...] = ()) -> bytes:
    stream = [b"BT", b"/F1 16 Tf", b"56 780 Td", b"(" + _escape(title) + b") Tj", b"/F1 11 Tf"]
    for line in lines:
        stream += [b"0 -20 Td", b"(" + _escape(line) + b") Tj"]
    stream.append(b"ET")
    content = b"\n".join(stream)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
