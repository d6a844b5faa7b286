"""Opening a zip from an untrusted house folder without letting it cost more than a little.

A DOCX is a zip, and a zip can claim anything: 3 MB that inflate to gigabytes (a
zip bomb), a million entries, several entries sharing one stretch of data, sizes
in its headers that are not the sizes of its data. `BoundedZip` reads one with
limits on every one of those, and decides from what it reads, not from what the
headers say:

- the entry count and the central directory's size, before anything else;
- each entry's and the whole archive's decompressed size and its compression
  ratio as the headers claim them (a bomb that tells the truth is refused
  without inflating a byte);
- and again as the bytes come out: an entry is inflated in chunks and counted,
  so one that lies is stopped at the limit, and its CRC is checked at the end.

Reading is on demand (`read(name)`): an entry that is never asked for (a part a
caller drops) is never inflated. Errors are `ZipRefused`, whose message is the
plain-words reason, never a traceback.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

MAX_ENTRIES = 2000  # a Word document with every feature in use has a few hundred
MAX_DIRECTORY = 1 << 20  # bytes of central directory: 2,000 entries with long names
MAX_ENTRY = 20 << 20  # decompressed bytes of one entry
MAX_TOTAL = 20 << 20  # decompressed bytes of every entry together
MAX_RATIO = 200  # deflated XML shrinks 5-30 times; zeros shrink 1,000 times
RATIO_FLOOR = 1 << 20  # an entry smaller than this may shrink as much as it likes
CHUNK = 1 << 16

_END_OF_DIRECTORY = b"PK\x05\x06"
_END_RECORD = struct.Struct("<4s4H2LH")  # signature, disks, counts, size, offset, comment


class ZipRefused(Exception):
    """A zip that is damaged, not a zip, or would cost too much to open."""


class NotAZip(ZipRefused):
    """Bytes with no zip directory at all."""


class ZipBomb(ZipRefused):
    """A zip whose entries would inflate past the limits."""


class BoundedZip:
    """The entries of a zip in memory, checked against the limits above."""

    def __init__(self, data: bytes) -> None:
        _check_directory(data)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
            raise ZipRefused(str(exc)) from None
        if len(infos) > MAX_ENTRIES:
            raise ZipBomb(f"the zip holds {len(infos):,} entries, over the limit of "
                             f"{MAX_ENTRIES:,}")
        self.names: list[str] = []
        self._infos: dict[str, zipfile.ZipInfo] = {}
        claimed = 0
        for info in infos:
            if info.is_dir():
                continue
            if info.filename in self._infos:
                raise ZipRefused(f"the zip holds two entries named {info.filename}")
            _check_claim(info)
            claimed += info.file_size
            self.names.append(info.filename)
            self._infos[info.filename] = info
        if claimed > MAX_TOTAL:
            raise ZipBomb(_bomb(f"its entries would inflate to {claimed:,} bytes, over "
                                   f"the limit of {MAX_TOTAL:,}"))
        self._read = 0

    def __contains__(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        """One entry's bytes, inflated in chunks and counted as they come."""
        info = self._infos[name]
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as entry:
                while chunk := entry.read(CHUNK):
                    size += len(chunk)
                    self._read += len(chunk)
                    if size > MAX_ENTRY:
                        raise ZipBomb(_bomb(f"{name} inflates past {MAX_ENTRY:,} bytes"))
                    if self._read > MAX_TOTAL:
                        raise ZipBomb(_bomb(f"its entries inflate past {MAX_TOTAL:,} bytes"))
                    chunks.append(chunk)
        except (zipfile.BadZipFile, EOFError, zlib.error, OSError, ValueError,
                RuntimeError, NotImplementedError) as exc:
            # RuntimeError: an encrypted entry; NotImplementedError: an unknown method
            raise ZipRefused(f"{name}: {exc}") from None
        return b"".join(chunks)


def _check_directory(data: bytes) -> None:
    """Refuse a central directory too big to be a document's before zipfile walks it."""
    at = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - (1 << 16) - _END_RECORD.size))
    if at < 0 or len(data) - at < _END_RECORD.size:
        raise NotAZip("it is not a zip file")
    _, _, _, _, entries, size, _, _ = _END_RECORD.unpack_from(data, at)
    # 0xFFFF and 0xFFFFFFFF send zipfile to a zip64 record; the checks after
    # opening (entry count, sizes) still hold for those
    if entries != 0xFFFF and entries > MAX_ENTRIES:
        raise ZipBomb(f"the zip holds {entries:,} entries, over the limit of {MAX_ENTRIES:,}")
    if size != 0xFFFFFFFF and size > MAX_DIRECTORY:
        raise ZipBomb(f"the zip's directory is {size:,} bytes, over the limit of "
                         f"{MAX_DIRECTORY:,}")


def _check_claim(info: zipfile.ZipInfo) -> None:
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ZipRefused(f"{info.filename} is compressed in a way Word never uses "
                         f"(method {info.compress_type})")
    if info.flag_bits & 0x1:
        raise ZipRefused(f"{info.filename} is encrypted")
    if info.file_size > MAX_ENTRY:
        raise ZipBomb(_bomb(f"{info.filename} would inflate to {info.file_size:,} bytes, "
                               f"over the limit of {MAX_ENTRY:,}"))
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ZipBomb(_bomb(f"{info.filename} would inflate "
                               f"{info.file_size // max(info.compress_size, 1):,} times, "
                               f"over the limit of {MAX_RATIO}"))


def _bomb(detail: str) -> str:
    return f"it is a zip bomb, or far too big for a reference document ({detail})"
