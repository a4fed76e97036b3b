"""Small files of each kind people send, for the tests: real headers, distinct contents."""

import io
import zipfile


def pdf(text: str = "Kế hoạch") -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


def docx(text: str = "Kế hoạch") -> bytes:
    return _office("word/document.xml", text)


def xlsx(text: str = "Bảng") -> bytes:
    return _office("xl/workbook.xml", text)


def jpeg(text: str = "ảnh") -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + text.encode() + b"\xff\xd9"


def _office(part: str, text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, f"<x>{text}</x>")
    return buffer.getvalue()
