"""The reference DOCX: sanitised once at house load, each hostile kind refused or dropped.

Every hostile reference is the built-in one with a few XML parts edited through
zipfile, as Word would have written them. `check` must name each problem (or
warn), and no built DOCX may carry a trace of what was dropped.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import time
import zipfile
import zlib
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import HOUSE, MINIMAL
from pressgen.cli import main
from pressgen.errors import ReleaseError
from pressgen.load import load_house, load_release
from pressgen.embargo import parse_moment
from pressgen.reference_docx import ReferenceRefused, sanitise
from pressgen.resources import Resources
from pressgen.templates import BUILTIN, Templates
from pressgen.writers import docx as docx_writer

BUILTIN_REFERENCE = (BUILTIN / "reference.docx").read_bytes()
OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MS = "http://schemas.microsoft.com/office/2006/relationships/"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
Edit = Callable[[bytes], bytes]


# ------------------------------------------------------------------ building references


def edited(changes: dict[str, bytes | Edit]) -> bytes:
    """The built-in reference with parts added or replaced (bytes) or edited (a function)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(BUILTIN_REFERENCE)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist() + [n for n in changes if n not in src.namelist()]
        for name in names:
            change = changes.get(name)
            old = src.read(name) if name in src.namelist() else b""
            data = change(old) if callable(change) else change if change is not None else old
            dst.writestr(name, data)
    return out.getvalue()


def rel(source_rels: str, rid: str, kind: str, target: str, external: bool = False,
        base: str = OD) -> dict[str, Edit]:
    """An edit adding one relationship to a .rels part (created if missing)."""
    mode = ' TargetMode="External"' if external else ""
    item = f'<Relationship Id="{rid}" Type="{base}{kind}" Target="{target}"{mode}/>'.encode()

    def add(old: bytes) -> bytes:
        if not old:
            old = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                   b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   b'</Relationships>')
        return old.replace(b"</Relationships>", item + b"</Relationships>")

    return {source_rels: add}


def override(part: str, content_type: str) -> Edit:
    item = f'<Override PartName="/{part}" ContentType="{content_type}"/>'.encode()
    return lambda old: old.replace(b"</Types>", item + b"</Types>")


def in_settings(xml: str) -> Edit:
    return lambda old: old.replace(b"</w:settings>", xml.encode() + b"</w:settings>")


def merged(*edits: dict[str, bytes | Edit]) -> dict[str, bytes | Edit]:
    """Several edits in one, composing those that touch the same part."""
    result: dict[str, bytes | Edit] = {}
    for changes in edits:
        for name, change in changes.items():
            before = result.get(name)
            if callable(before) and callable(change):
                result[name] = (lambda f, g: lambda old: g(f(old)))(before, change)
            else:
                result[name] = change
    return result


WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
COMMENTS = merged(
    {"word/comments.xml": f'<w:comments {W}><w:comment w:id="0" w:author="Eve Mallory" '
                          'w:initials="EM"><w:p><w:r><w:t>Leak the embargo</w:t></w:r></w:p>'
                          '</w:comment></w:comments>'.encode(),
     "word/people.xml": b'<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/'
                        b'2012/wordml"><w15:person w15:author="Eve Mallory"/></w15:people>',
     "[Content_Types].xml": override("word/comments.xml", WML + "comments+xml")},
    rel("word/_rels/document.xml.rels", "rId90", "comments", "comments.xml"),
    rel("word/_rels/document.xml.rels", "rId91", "people", "people.xml",
        base="http://schemas.microsoft.com/office/2011/relationships/"),
)
CUSTOM_PROPERTIES = merged(
    {"docProps/custom.xml": b'<Properties xmlns="http://schemas.openxmlformats.org/'
                            b'officeDocument/2006/custom-properties"><property name="Client" '
                            b'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2"><vt:lpwstr '
                            b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
                            b'docPropsVTypes">SecretValue</vt:lpwstr></property></Properties>'},
    rel("_rels/.rels", "rId90", "custom-properties", "docProps/custom.xml"),
)
CUSTOM_XML = merged(
    {"customXml/item1.xml": b"<b:Sources xmlns:b='urn:x'><b:Source>SecretSource</b:Source>"
                            b"</b:Sources>"},
    rel("word/_rels/document.xml.rels", "rId90", "customXml", "../customXml/item1.xml"),
)
EMBEDDED_FONTS = merged(
    {"word/fonts/font1.odttf": b"\x00\x01SecretFont" * 20,
     "word/fontTable.xml": lambda old: old.replace(
         b"</w:font>", b'<w:embedRegular xmlns:r="http://schemas.openxmlformats.org/'
         b'officeDocument/2006/relationships" r:id="rId1" w:fontKey="{0}"/></w:font>', 1)},
    rel("word/_rels/fontTable.xml.rels", "rId1", "font", "fonts/font1.odttf"),
)
THUMBNAIL = merged({"docProps/thumbnail.jpeg": b"\xff\xd8\xffSecretThumb"},
                   rel("_rels/.rels", "rId90", "metadata/thumbnail", "docProps/thumbnail.jpeg",
                       base="http://schemas.openxmlformats.org/package/2006/relationships/"))
HEADER_PICTURE = merged({"word/media/image1.png": b"\x89PNG SecretLogo"},
                        rel("word/_rels/header1.xml.rels", "rId1", "image", "media/image1.png"))
SETTINGS_DATA = {"word/settings.xml": in_settings(
    '<w:documentProtection w:edit="readOnly" w:enforcement="1" w:hash="SecretHash"/>'
    '<w:docVars><w:docVar w:name="client" w:val="SecretVariable"/></w:docVars>')}

#: kind -> (edits, words of the warning, text that must not reach a built DOCX)
DROPPED = {
    "comments": (COMMENTS, "comments and their authors dropped from this reference DOCX "
                 "(word/comments.xml, word/people.xml)", ["Eve Mallory", "Leak the embargo"]),
    "custom properties": (CUSTOM_PROPERTIES, "custom properties dropped from this reference "
                          "DOCX (docProps/custom.xml)", ["SecretValue"]),
    "custom XML": (CUSTOM_XML, "custom XML data dropped from this reference DOCX "
                   "(customXml/item1.xml)", ["SecretSource"]),
    "embedded fonts": (EMBEDDED_FONTS, "embedded fonts dropped from this reference DOCX "
                       "(word/fonts/font1.odttf)", ["SecretFont", "embedRegular"]),
    "thumbnail": (THUMBNAIL, "the preview picture dropped from this reference DOCX "
                  "(docProps/thumbnail.jpeg)", ["SecretThumb"]),
    "other parts": (HEADER_PICTURE, "parts a reference's styles do not need dropped from this "
                    "reference DOCX (word/media/image1.png)", ["SecretLogo"]),
    "settings": (SETTINGS_DATA, "editing restrictions (releases open for editing) dropped",
                 ["SecretHash", "SecretVariable", "documentProtection"]),
}

TEMPLATE = "https://evil.example/template.dotm"
#: kind -> (edits, the exact predicate of the error)
REFUSED = {
    "attached template": (merged(
        {"word/settings.xml": in_settings('<w:attachedTemplate r:id="rId1"/>')},
        rel("word/_rels/settings.xml.rels", "rId1", "attachedTemplate", TEMPLATE, True)),
        f"attaches an external template ({TEMPLATE}); open it in Word, Developer ▸ Document "
        "Template, remove it, and save"),
    "external OLE object": (
        rel("word/_rels/document.xml.rels", "rId90", "oleObject", "https://evil.example/o.bin",
            True),
        "links an object outside the file (https://evil.example/o.bin); in Word choose "
        "File ▸ Info ▸ Edit Links to Files, break the link, and save"),
    "linked image": (
        rel("word/_rels/header1.xml.rels", "rId1", "image", "https://evil.example/pixel.png",
            True),
        "links a picture outside the file (https://evil.example/pixel.png); insert the "
        "picture itself, or delete it, and save"),
    "hyperlink": (
        rel("word/_rels/document.xml.rels", "rId90", "hyperlink", "https://evil.example/", True),
        "holds a hyperlink (https://evil.example/)"),
    "mail merge": (merged(
        {"word/settings.xml": in_settings(
            '<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:dataSource r:id="rId2"/>'
            '</w:mailMerge>')},
        rel("word/_rels/settings.xml.rels", "rId2", "mailMergeSource",
            "file:///C:/Users/eve/contacts.csv", True)),
        "is a mail-merge document (data source file:///C:/Users/eve/contacts.csv); in Word "
        "choose Mailings ▸ Start Mail Merge ▸ Normal Word Document, and save"),
    "mail merge with no source": (
        {"word/settings.xml": in_settings(
            '<w:mailMerge><w:mainDocumentType w:val="formLetters"/></w:mailMerge>')},
        "is a mail-merge document (w:mailMerge in its settings)"),
    "macros": (merged(
        {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 Attribute VB_Name",
         "[Content_Types].xml": lambda old: old.replace(
             WML.encode() + b"document.main+xml",
             b"application/vnd.ms-word.document.macroEnabled.main+xml")},
        rel("word/_rels/document.xml.rels", "rId90", "vbaProject", "vbaProject.bin", base=MS)),
        "contains macros (word/document.xml, word/vbaProject.bin); save it from Word as a "
        "Word Document (.docx), not a macro-enabled one"),
    "ActiveX": (merged(
        {"word/activeX/activeX1.xml": b'<ax:ocx xmlns:ax="urn:x" ax:classid="{8BD21D40}"/>'},
        rel("word/_rels/document.xml.rels", "rId90", "control", "activeX/activeX1.xml")),
        "contains ActiveX controls (word/activeX/activeX1.xml)"),
    "embedded OLE object": (merged(
        {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0 payload"},
        rel("word/_rels/document.xml.rels", "rId90", "oleObject", "embeddings/oleObject1.bin")),
        "contains embedded objects (word/embeddings/oleObject1.bin)"),
    "entity expansion": (
        {"word/styles.xml": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><w:styles ' + W.encode()
                            + b'>&lol2;</w:styles>'},
        "is damaged or was not saved by Word (word/styles.xml: it has a DOCTYPE, which no part "
        "of a Word document has)"),
    "malformed XML": (
        {"word/numbering.xml": lambda old: old[:-20]},
        "is damaged or was not saved by Word (word/numbering.xml: it is not well-formed XML"),
    "not a Word document": (
        {"_rels/.rels": lambda old: old.replace(
            b"officeDocument/2006/relationships/officeDocument", b"x/officeDocument")},
        "is not a Word document (.docx) (it has no main document); save it from Word as a "
        "Word Document (.docx)"),
}


# ------------------------------------------------------------------ running pressgen


@pytest.fixture
def project(tmp_path):
    """A house folder (the project's house file) and two releases."""
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(HOUSE, folder / "house.yaml")
    (tmp_path / "releases").mkdir()
    for name in ("one", "two"):
        (tmp_path / "releases" / f"{name}.yaml").write_text(MINIMAL, encoding="utf-8")
    return tmp_path


def run(project: Path, command: str, *args):
    extra = ["--out", project / "dist", "--as-of", "2026-01-28 12:00", "--jobs", "1"] \
        if command == "build" else []
    return CliRunner().invoke(main, [str(a) for a in [
        command, project / "releases", "--house", project / "templates" / "house.yaml",
        *extra, *args]], catch_exceptions=False)


def place(project: Path, data: bytes) -> Path:
    reference = project / "templates" / "reference.docx"
    reference.write_bytes(data)
    return reference


def built_parts(project: Path) -> dict[str, dict[str, bytes]]:
    """Each built DOCX's parts, by file name."""
    found = {}
    for path in sorted((project / "dist").glob("*.docx")):
        with zipfile.ZipFile(path) as archive:
            found[path.name] = {n: archive.read(n) for n in archive.namelist()}
    return found


# ------------------------------------------------------------------ refused


@pytest.mark.parametrize("kind", list(REFUSED))
def test_check_names_each_refused_kind_and_build_writes_nothing(project, kind):
    changes, predicate = REFUSED[kind]
    reference = place(project, edited(changes))
    result = run(project, "check")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{reference}:1:1: error: this reference DOCX {predicate}" in result.stderr, \
        result.stderr
    built = run(project, "build")
    assert built.exit_code == 1 and predicate in built.stderr
    assert not list((project / "dist").glob("*.docx"))


def test_a_named_reference_is_refused_at_its_key_in_the_house_file(project):
    house = project / "templates" / "house.yaml"
    text = house.read_text(encoding="utf-8") + "reference_docx: styles/hostile.docx\n"
    house.write_text(text, encoding="utf-8")
    (project / "templates" / "styles").mkdir()
    changes, predicate = REFUSED["attached template"]
    (project / "templates" / "styles" / "hostile.docx").write_bytes(edited(changes))
    line = len(text.splitlines())
    result = run(project, "check")
    assert result.exit_code == 1
    column = len("reference_docx: ") + 1  # at the value
    assert (f"{house}:{line}:{column}: error: `reference_docx`: `styles/hostile.docx` {predicate}"
            in result.stderr), result.stderr


def test_every_problem_of_one_reference_is_reported(project):
    changes = merged(REFUSED["attached template"][0], REFUSED["mail merge"][0],
                     REFUSED["macros"][0])
    place(project, edited(changes))
    stderr = run(project, "check").stderr
    for kind in ("attached template", "mail merge", "macros"):
        assert REFUSED[kind][1] in stderr, kind


def test_a_long_external_target_is_quoted_only_in_part(project):
    target = "https://evil.example/" + "a" * 5000
    place(project, edited(rel("word/_rels/document.xml.rels", "rId90", "oleObject", target,
                              True)))
    stderr = run(project, "check").stderr
    assert "links an object outside the file (https://evil.example/aaa" in stderr
    assert "a" * 100 not in stderr


def test_an_old_doc_or_encrypted_file_is_named_so(project):
    place(project, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    assert "is not a Word document (.docx) but an old .doc file or a password-protected one" \
        in run(project, "check").stderr


def test_a_truncated_zip_is_damaged(project):
    place(project, BUILTIN_REFERENCE[: len(BUILTIN_REFERENCE) // 2])
    result = run(project, "check")
    assert result.exit_code == 1
    assert re.search(r"reference\.docx:1:1: error: this reference DOCX is (damaged|not a Word "
                     r"document)", result.stderr), result.stderr


def test_a_corrupt_part_is_damaged(project):
    data = bytearray(edited({}))
    at = data.index(b"word/styles.xml") + len(b"word/styles.xml") + 40  # inside its data
    data[at:at + 8] = b"\xff" * 8
    place(project, bytes(data))
    result = run(project, "check")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "this reference DOCX is damaged or was not saved by Word (word/styles.xml" \
        in result.stderr, result.stderr


def test_a_fifo_as_the_reference_is_refused_without_hanging(project):
    import os

    os.mkfifo(project / "templates" / "reference.docx")
    result = run(project, "check")
    assert result.exit_code == 1
    assert "this reference DOCX cannot be read: this is not a regular file" in result.stderr


# ------------------------------------------------------------------ zip bombs


def _write_zip(path: Path, entries: list[tuple[str, bytes, int, int]]) -> None:
    """A zip from (name, raw deflate data, crc, claimed size) as given, lies included."""
    local, central = bytearray(), bytearray()
    for name, data, crc, size in entries:
        encoded = name.encode()
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc,
                               len(data), size, len(encoded), 0, 0, 0, 0, 0, len(local))
        central += encoded
        local += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data),
                             size, len(encoded), 0) + encoded + data
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))


def _bomb(path: Path, megabytes: int, claimed: int | None = None) -> None:
    """The built-in reference whose styles.xml inflates to `megabytes` of zeros, made in
    a blink: one deflated megabyte, fully flushed, is a block that can be repeated."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(bytes(1 << 20)) + deflate.flush(zlib.Z_FULL_FLUSH)
    zeros = block * megabytes + deflate.flush()
    entries = []
    with zipfile.ZipFile(io.BytesIO(BUILTIN_REFERENCE)) as src:
        for name in src.namelist():
            if name == "word/styles.xml":
                entries.append((name, zeros, 0, megabytes << 20 if claimed is None else claimed))
            else:
                raw = src.read(name)
                packer = zlib.compressobj(6, zlib.DEFLATED, -15)
                entries.append((name, packer.compress(raw) + packer.flush(), zlib.crc32(raw),
                                len(raw)))
    _write_zip(path, entries)


@pytest.mark.parametrize("claimed", [None, 5 << 20], ids=["true sizes", "lying sizes"])
def test_a_zip_bomb_is_refused_by_check_and_build_in_under_a_second(project, claimed):
    reference = project / "templates" / "reference.docx"
    _bomb(reference, 3000, claimed)  # 3 MB holding 3 GB of zeros
    assert 2_500_000 < reference.stat().st_size < 4_000_000
    for command in ("check", "build"):
        started = time.monotonic()
        result = run(project, command)
        elapsed = time.monotonic() - started
        assert result.exit_code == 1, result.stderr
        assert elapsed < 1.0, f"{command} took {elapsed:.2f} s"
        assert f"{reference}:1:1: error: this reference DOCX is " in result.stderr
        words = "is refused: it is a zip bomb" if claimed is None else "is damaged"
        assert words in result.stderr, result.stderr


def test_a_zip_of_thousands_of_entries_is_refused(project):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(2500):
            archive.writestr(f"word/media/{n}.bin", b"")
    place(project, out.getvalue())
    assert "the zip holds 2,500 entries, over the limit of 2,000" in run(project, "check").stderr


def test_a_reference_over_the_size_cap_is_refused_unread(project):
    reference = project / "templates" / "reference.docx"
    with reference.open("wb") as handle:
        handle.truncate(2 << 30)  # a 2 GB sparse file
    started = time.monotonic()
    result = run(project, "check")
    assert time.monotonic() - started < 1.0
    assert "this reference DOCX cannot be read: the file is 2,147,483,648 bytes, over the " \
           "limit of 10,485,760" in result.stderr


# ------------------------------------------------------------------ dropped with a warning


@pytest.mark.parametrize("kind", list(DROPPED))
def test_each_dropped_kind_is_a_warning_and_leaves_no_trace_in_any_release(project, kind):
    changes, words, secrets = DROPPED[kind]
    reference = place(project, edited(changes))
    checked = run(project, "check")
    assert checked.exit_code == 0, checked.stderr
    assert re.search(rf"^{re.escape(str(reference))}:1:1: warning: .*{re.escape(words)}",
                     checked.stderr, re.M), checked.stderr
    built = run(project, "build", "--format", "docx")
    assert built.exit_code == 0, built.stderr
    assert words in built.stderr
    docs = built_parts(project)
    assert sorted(docs) == ["one.docx", "two.docx"]
    for name, parts in docs.items():
        assert_clean(name, parts, secrets)


def assert_clean(name: str, parts: dict[str, bytes], secrets: list[str]) -> None:
    """No trace of anything a reference must not pass on."""
    everything = b"".join(parts.values()).decode("utf-8", "replace")
    for secret in secrets:
        assert secret not in everything, (name, secret)
    assert not [n for n in parts if re.search(r"comments|people|custom|fonts/|thumbnail|"
                                              r"media/|vba|activeX|embeddings", n)], \
        (name, list(parts))
    for word in ("attachedTemplate", "mailMerge", "documentProtection", "docVars", "w:author",
                 "evil.example"):
        assert word not in everything, (name, word)
    # the only relationships that leave the file are the release's own links
    external = re.findall(r'<Relationship [^>]*TargetMode="External"[^>]*>', everything)
    assert all('Target="mailto:' in r or 'Target="tel:' in r for r in external), external


def test_all_dropped_kinds_at_once_warn_once_each(project):
    everything = merged(*(changes for changes, _, _ in DROPPED.values()))
    place(project, edited(everything))
    result = run(project, "build", "--format", "docx")
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 8, warnings  # the settings give two: restrictions, variables
    for name, parts in built_parts(project).items():
        assert_clean(name, parts, [s for _, _, secrets in DROPPED.values() for s in secrets])


# ------------------------------------------------------------------ what is kept


def test_the_built_in_reference_passes_untouched_and_renders_as_before(house):
    """Sanitising the built-in reference changes no byte of any release's DOCX: the
    writer gets the same output from it as from the raw file (what main opened)."""
    clean = sanitise(BUILTIN_REFERENCE)
    assert clean.dropped == ()
    release = load_release(HOUSE.parent.parent / "releases" /
                           "2026-01-29-kss-public-protection.yaml", house,
                           parse_moment("2026-01-28 12:00", house.tz), 1769644800)
    raw = docx_writer._render(release, BUILTIN_REFERENCE)
    assert docx_writer._render(release, clean.data) == raw
    assert docx_writer.render(release, Resources(house.templates)) == raw


def test_check_on_the_built_in_reference_prints_no_warning(project):
    result = run(project, "check")
    assert result.exit_code == 0 and "warning" not in result.stderr, result.stderr


def test_the_writer_reads_the_reference_through_resources_and_sanitises_it(project):
    """The writer reads the reference through `resources` (so the build notes it and an
    edit rebuilds the DOCX) and sanitises what it read: comments never reach a release,
    and a file spoilt after the house load is refused, never opened raw."""
    reference = place(project, edited(COMMENTS))
    house = load_house(project / "templates" / "house.yaml")
    release = load_release(project / "releases" / "one.yaml", house,
                           parse_moment("2026-01-28 12:00", house.tz))
    resources = Resources(house.templates)
    data = docx_writer.render(release, resources)
    assert b"Eve Mallory" not in data and zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    assert reference.resolve() in {p.resolve() for p in resources.noted}
    reference.write_bytes(b"replaced after the house was loaded")
    with pytest.raises(ReleaseError, match="reference DOCX"):
        docx_writer.render(release, Resources(house.templates))


def test_a_writer_given_a_raw_hostile_reference_still_refuses_it(tmp_path, house):
    """Templates made without a house load (a library caller) are sanitised too."""
    (tmp_path / "reference.docx").write_bytes(edited(REFUSED["attached template"][0]))
    release = load_release(HOUSE.parent.parent / "releases" /
                           "2026-01-29-kss-public-protection.yaml", house,
                           parse_moment("2026-01-28 12:00", house.tz))
    with pytest.raises(ReleaseError) as info:
        docx_writer.render(release, Resources(Templates(folder=tmp_path)))
    assert "attaches an external template" in str(info.value)


def test_a_word_template_dotx_is_accepted_as_a_document(project):
    place(project, edited({"[Content_Types].xml": lambda old: old.replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")}))
    result = run(project, "build")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(project / "dist" / "one.docx") as archive:
        assert b"document.main+xml" in archive.read("[Content_Types].xml")


def test_a_restyle_survives_sanitising(project):
    place(project, edited({"word/styles.xml": lambda old: old.replace(
        b'w:styleId="Title">', b'w:styleId="Title"><!-- restyled -->', 1)}))
    assert run(project, "build").exit_code == 0
    with zipfile.ZipFile(project / "dist" / "one.docx") as archive:
        assert b'w:styleId="Title"' in archive.read("word/styles.xml")


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_a_reference_resaved_by_libreoffice_passes_without_warnings(project, tmp_path):
    source = tmp_path / "lo" / "reference.docx"
    source.parent.mkdir()
    source.write_bytes(BUILTIN_REFERENCE)
    subprocess.run(["libreoffice", "--headless", "--convert-to", "docx:MS Word 2007 XML",
                    "--outdir", str(tmp_path / "lo" / "out"), str(source)],
                   check=True, capture_output=True, timeout=180)
    place(project, (tmp_path / "lo" / "out" / "reference.docx").read_bytes())
    result = run(project, "build")
    assert result.exit_code == 0 and "warning" not in result.stderr, result.stderr
    with zipfile.ZipFile(project / "dist" / "one.docx") as archive:
        assert b'w:styleId="ReleaseLine"' in archive.read("word/styles.xml")


def test_a_reference_saved_by_word_keeps_its_theme_and_warns_of_what_word_added(project):
    """python-docx's own template was saved by Word 2010: theme, stylesWithEffects, web
    settings are kept; its custom XML and preview picture are dropped with a warning."""
    import docx as python_docx

    word_made = Path(python_docx.__file__).parent / "templates" / "default.docx"
    place(project, word_made.read_bytes())
    result = run(project, "build", "--format", "docx")
    assert result.exit_code == 0, result.stderr
    assert "custom XML data dropped from this reference DOCX (customXml/item1.xml, " \
           "customXml/itemProps1.xml)" in result.stderr
    assert "the preview picture dropped from this reference DOCX (docProps/thumbnail.jpeg)" \
        in result.stderr
    parts = built_parts(project)["one.docx"]
    assert {"word/theme/theme1.xml", "word/stylesWithEffects.xml", "word/webSettings.xml"} \
        <= set(parts)
    assert_clean("one.docx", parts, [])


def test_a_mail_merge_hidden_in_alternate_content_is_still_found(project):
    place(project, edited({"word/settings.xml": in_settings(
        '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/'
        '2006"><mc:Choice Requires="w"><w:mailMerge><w:mainDocumentType w:val="formLetters"/>'
        '</w:mailMerge></mc:Choice></mc:AlternateContent>')}))
    assert "is a mail-merge document" in run(project, "check").stderr


def test_a_part_that_is_not_what_its_relationship_says_is_refused(project):
    """The writer would fail on a numbering part that holds styles: refused at load."""
    place(project, edited({"word/numbering.xml": lambda old: builtin_part("word/styles.xml")}))
    stderr = run(project, "check").stderr
    assert "is damaged or was not saved by Word (word/numbering.xml is not the part its " \
           "relationship says it is (<styles>))" in stderr, stderr


def builtin_part(name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(BUILTIN_REFERENCE)) as archive:
        return archive.read(name)


PARTS = {n: builtin_part(n) for n in zipfile.ZipFile(io.BytesIO(BUILTIN_REFERENCE)).namelist()}


@settings(max_examples=int(os.environ.get("PRESSGEN_FUZZ_EXAMPLES", "40")), deadline=None,
          derandomize=True)
@given(name=st.sampled_from(sorted(PARTS)), cuts=st.lists(st.tuples(
    st.floats(0, 1), st.integers(0, 30), st.sampled_from(list(b'<>/"= aw:rId1'))), min_size=1,
    max_size=3))
def test_a_mangled_reference_is_refused_in_words_never_a_traceback(house, name, cuts):
    """A part with bytes cut or changed (a zip otherwise sound): the sanitiser refuses
    it, or the writer renders it, or names the reference as what python-docx fails on."""
    data = bytearray(PARTS[name])
    for where, length, byte in cuts:
        at = int(where * (len(data) - 1))
        if length:
            del data[at:at + length]
        elif data:
            data[at] = byte
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part, content in PARTS.items():
            archive.writestr(part, bytes(data) if part == name else content)
    try:
        clean = sanitise(out.getvalue())
    except ReferenceRefused as exc:
        assert exc.reasons and all(isinstance(r, str) and r for r in exc.reasons)
        return
    try:
        docx_writer._render(seed_release(house), clean.data)
    except ReleaseError as exc:
        assert "this reference DOCX cannot be used: python-docx fails on it" in str(exc)


def seed_release(house):
    return load_release(HOUSE.parent.parent / "releases" / "2026-01-29-kss-public-protection.yaml",
                        house, parse_moment("2026-01-28 12:00", house.tz))
