"""`pressgen send` and `pressgen sent` (spec §9) against a real SMTP server (aiosmtpd).

Every send runs as its own process, as a press officer runs it; the server keeps
what it accepted, and the tests parse it back. Interruptions are real: the server
drops the connection, and the sender is SIGKILLed between two batches.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT
from smtpserver import Server

SEED = "2026-01-29-kss-public-protection"
AS_OF = ("--as-of", "2026-01-28 12:00")
ADDRESSES = [f"journalist{i}@outlet{i % 3}.example.org" for i in range(10)]
SUBJECT = ("EMBARGOED UNTIL 00:01 GMT, Thursday 29 January 2026: Chief Inspector of "
           "Probation flags concerns in first public protection inspection")


@pytest.fixture
def server():
    running = Server()
    yield running
    running.stop()


@pytest.fixture
def project(tmp_path):
    """The project's releases and templates; a list of ten in batches of two (five
    batches), a second list naming some of them again, and one address suppressed."""
    shutil.copytree(ROOT / "releases", tmp_path / "releases")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    lists = tmp_path / "templates" / "lists"
    rows = "".join(f"{a},Journalist {i},Outlet {i % 3}\n" for i, a in enumerate(ADDRESSES))
    (lists / "national.csv").write_text("email,name,outlet\n" + rows)
    (lists / "regional.csv").write_text("email,name\n" + ADDRESSES[3].upper() + ",Again\n"
                                        "suppressed@example.org,Never\n" + ADDRESSES[4] + ",X\n")
    (lists / "do-not-contact.txt").write_text("# asked not to be contacted\n"
                                              "Suppressed@Example.org\n")
    house = tmp_path / "templates" / "house.yaml"
    house.write_text(house.read_text().replace("batch: 50", "batch: 2").replace(
        "    national: lists/national.csv", "    national: lists/national.csv\n"
        "    regional: lists/regional.csv"))
    return tmp_path


def command(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "pressgen", "send", f"releases/{SEED}.yaml", *AS_OF, *args]


def environment(server: Server | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PRESSGEN_") or k == "PRESSGEN_SMTP_PASSWORD"}
    env["PRESSGEN_SMTP_RETRY_SECONDS"] = "0.3"  # retries back off over 0.3 s, not 5 min
    if server is not None:
        env["PRESSGEN_SMTP_URL"] = server.url
    return env


def send(project: Path, server: Server | None, *args: str, stdin: str | None = None,
         release: str = SEED) -> subprocess.CompletedProcess:
    """`pressgen send` in this process (click's runner, in the project folder, with
    the environment of `environment`); the kill test runs it as a process of its own."""
    from click.testing import CliRunner

    from pressgen.cli import main

    argv = command(project, *args)[3:]
    argv[1] = f"releases/{release}.yaml"
    env = environment(server)
    unset = {k: None for k in os.environ if k not in env}
    here = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, argv, input=stdin, env={**unset, **env},
                                    catch_exceptions=False)
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(argv, result.exit_code, result.stdout, result.stderr)


def logged(project: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(project / ".pressgen" / "sent.sqlite") as db:
        return db.execute("SELECT release, digest, address FROM sent").fetchall()


def exactly_once(server: Server, project: Path, expected: list[str]) -> None:
    """Every address received the release exactly once, and the log says the same."""
    counts = Counter(server.handler.all_recipients())
    assert sorted(counts) == sorted(expected)
    assert set(counts.values()) == {1}, counts
    assert sorted(a for _, _, a in logged(project)) == sorted(expected)


def test_send_delivers_in_bcc_batches_with_the_release_and_its_pdf(project, server):
    result = send(project, server, "--to", "national", "--yes")
    assert result.returncode == 0, result.stderr
    received = server.handler.received
    assert [m.recipients for m in received] == [ADDRESSES[i:i + 2] for i in range(0, 10, 2)]
    pdf = (project / "dist" / f"{SEED}.pdf").read_bytes()
    for item in received:
        message = item.message
        assert item.sender == "media@hmiprobation.gov.uk"
        assert message["Subject"] == SUBJECT
        assert message["To"] == "undisclosed-recipients:;"
        assert message["Bcc"] is None and b"journalist" not in item.data  # envelope only
        [attachment] = list(message.iter_attachments())
        assert attachment.get_filename() == f"{SEED}.pdf"
        assert attachment.get_content() == pdf
    assert item.data.replace(b"\r\n", b"\n") == \
        (project / "dist" / f"{SEED}.eml").read_bytes().replace(b"\r\n", b"\n")
    exactly_once(server, project, ADDRESSES)
    again = send(project, server, "--to", "national", "--yes")  # nothing left to send
    assert again.returncode == 0 and len(server.handler.received) == 5
    assert "10 already have it" in again.stderr


def test_lists_are_merged_each_address_once_and_the_suppressed_never(project, server):
    result = send(project, server, "--to", "national", "--to", "regional", "--yes")
    assert result.returncode == 0, result.stderr
    assert "suppressed@example.org" not in [a.lower() for a in server.handler.all_recipients()]
    exactly_once(server, project, ADDRESSES)


def test_the_server_drops_the_connection_after_the_second_of_five_batches(project, server):
    server.handler.misbehave.drop_from = 3  # every transaction from the third is cut
    first = send(project, server, "--to", "national", "--yes")
    assert first.returncode == 1
    assert "6 not sent yet" in first.stderr and "closed the connection" in first.stderr
    assert [m.recipients for m in server.handler.received] == [ADDRESSES[:2], ADDRESSES[2:4]]
    assert sorted(a for _, _, a in logged(project)) == sorted(ADDRESSES[:4])
    server.handler.misbehave.drop_from = None
    second = send(project, server, "--to", "national", "--yes")
    assert second.returncode == 0, second.stderr
    assert "4 already have it" in second.stderr
    exactly_once(server, project, ADDRESSES)


def test_a_send_killed_between_two_batches_resumes_with_nobody_twice(project, server):
    process = subprocess.Popen(command(project, "--to", "national", "--yes"), cwd=project,
                               env=environment(server), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)

    def kill() -> None:  # batch 2 is logged (its commit comes before MAIL of batch 3)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    server.handler.misbehave.at_transaction[3] = kill
    try:
        process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert len(server.handler.received) == 2
    assert sorted(a for _, _, a in logged(project)) == sorted(ADDRESSES[:4])
    server.handler.misbehave.at_transaction.clear()
    result = send(project, server, "--to", "national", "--yes")
    assert result.returncode == 0, result.stderr
    exactly_once(server, project, ADDRESSES)


def test_a_421_is_retried_and_delivered(project, server):
    server.handler.misbehave.data_replies = ["421 4.3.2 Service not available, try later"]
    result = send(project, server, "--to", "national", "--yes")
    assert result.returncode == 0, result.stderr
    exactly_once(server, project, ADDRESSES)


def test_a_550_fails_that_address_alone_reported_by_address(project, server):
    bad = ADDRESSES[5]
    server.handler.misbehave.refuse[bad] = "550 5.1.1 No such user here"
    result = send(project, server, "--to", "national", "--yes")
    assert result.returncode == 1
    assert f"{bad}: error: refused by the server: 550 5.1.1 No such user here" in result.stderr
    assert "1 refused" in result.stderr
    exactly_once(server, project, [a for a in ADDRESSES if a != bad])


def test_a_draft_is_never_sent(project, server):
    result = send(project, server, "--to", "national", "--yes",
                  release="2026-10-29-draft-prisons-recall")
    assert result.returncode == 1
    assert "2026-10-29-draft-prisons-recall.yaml:5:9: error: a draft is never sent" \
        in result.stderr
    assert server.handler.transactions == 0


def test_an_invalid_release_a_bad_row_or_no_server_sends_nothing(project, server):
    release = project / "releases" / f"{SEED}.yaml"
    release.write_text(release.read_text().replace("embargo:", "embrago:"))
    broken = send(project, server, "--to", "national", "--yes")
    assert broken.returncode == 1 and "did you mean `embargo`?" in broken.stderr
    shutil.copy(ROOT / "releases" / f"{SEED}.yaml", release)
    csv = project / "templates" / "lists" / "national.csv"
    csv.write_text(csv.read_text() + "Jo Bloggs,not-an-address,Outlet\n")
    bad_row = send(project, server, "--to", "national", "--yes")
    assert bad_row.returncode == 1
    assert "templates/lists/national.csv:12:1: error: `Jo Bloggs` is not an email address" \
        in bad_row.stderr
    unknown = send(project, server, "--to", "nowhere", "--yes")
    assert unknown.returncode == 1 and "unknown list `nowhere`" in unknown.stderr
    csv.write_text("email,name\n" + ADDRESSES[0] + ",A\n")
    no_server = send(project, None, "--to", "national", "--yes")
    assert no_server.returncode == 1 and "PRESSGEN_SMTP_URL is not set" in no_server.stderr
    assert server.handler.transactions == 0


def test_confirmation_shows_the_subject_and_count_and_no_sends_nothing(project, server):
    declined = send(project, server, "--to", "national", stdin="n\n")
    assert declined.returncode == 1
    assert f"Send “{SUBJECT}” to 10 recipients" in declined.stderr
    assert server.handler.transactions == 0
    accepted = send(project, server, "--to", "national", stdin="y\n")
    assert accepted.returncode == 0, accepted.stderr
    exactly_once(server, project, ADDRESSES)


def test_a_dry_run_lists_who_would_receive_it_and_sends_nothing(project, server):
    result = send(project, server, "--to", "national", "--to", "regional", "--dry-run")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("\t")[1] for line in lines] == ADDRESSES
    assert lines[0].startswith("batch 1\t") and lines[-1].startswith("batch 5\t")
    assert server.handler.transactions == 0
    assert not (project / "dist").exists()  # nothing built either
    assert not (project / ".pressgen").exists()  # nor a log or a lock made


def test_a_changed_release_is_resent_only_as_a_correction(project, server):
    assert send(project, server, "--to", "national", "--yes").returncode == 0
    release = project / "releases" / f"{SEED}.yaml"
    release.write_text(release.read_text().replace("Concerningly", "Worryingly"))
    skipped = send(project, server, "--to", "national", "--yes")
    assert skipped.returncode == 0
    assert "10 had an earlier version" in skipped.stderr
    assert len(server.handler.received) == 5
    corrected = send(project, server, "--to", "national", "--yes", "--resend-changed")
    assert corrected.returncode == 0, corrected.stderr
    later = server.handler.received[5:]
    assert len(later) == 5
    first, fixed = server.handler.received[0].message, later[0].message
    assert fixed["Subject"] == "CORRECTION: " + SUBJECT
    assert fixed["Message-ID"] != first["Message-ID"]
    assert "Worryingly" in fixed.get_body(("plain",)).get_content()
    assert len({digest for _, digest, _ in logged(project)}) == 2
    listing = subprocess.run([sys.executable, "-m", "pressgen", "sent", f"releases/{SEED}.yaml"],
                             cwd=project, capture_output=True, text=True)
    assert listing.returncode == 0
    assert len(listing.stdout.splitlines()) == 20
    assert "250 2.0.0 Ok: queued as" in listing.stdout
    assert "20 sent, 2 versions" in listing.stderr


# ------------------------------------------------------------------ the server's URL

@pytest.mark.parametrize("url, shown", [
    ("smtp://mail.example.org", "smtp://mail.example.org:25"),
    ("smtps://press@mail.example.org", "smtps://press@mail.example.org:465"),
    ("smtp://press%40example.org@mail.example.org:587", "smtp://press@example.org@mail.example.org:587"),
])
def test_the_server_url_forms(url, shown):
    from pressgen.mailserver import server_address

    assert str(server_address({"PRESSGEN_SMTP_URL": url, "PRESSGEN_SMTP_PASSWORD": "x"})) == shown


@pytest.mark.parametrize("url, words", [
    ("", "is not set"),
    ("http://mail.example.org", "must be smtp://"),
    ("smtp://press:secret@mail.example.org", "must not hold the password"),
    ("smtp://mail.example.org:99999", "port"),
    ("smtp://press@mail.example.org", "PRESSGEN_SMTP_PASSWORD is not set"),
])
def test_a_bad_server_url_says_how_to_fix_it(url, words):
    from pressgen.mailserver import ServerError, server_address

    with pytest.raises(ServerError, match=words):
        server_address({"PRESSGEN_SMTP_URL": url})


# ------------------------------------------------------------------ TLS and login

@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, trusted by the sender through
    SSL_CERT_FILE (OpenSSL's own variable), so TLS is verified as in real use."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl program to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return folder


def _tls_context(folder: Path):
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


def _authenticator(logins: list):
    from aiosmtpd.smtp import AuthResult

    def check(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=(auth_data.login, auth_data.password) == (b"press", b"s3cret"))

    return check


@pytest.mark.parametrize("scheme", ["smtp", "smtps"])
def test_starttls_or_smtps_then_login_with_the_password_from_the_environment(
        project, certificate, monkeypatch, scheme):
    logins: list = []
    context = _tls_context(certificate)
    # (aiosmtpd counts only STARTTLS as TLS for its auth_require_tls)
    options = {"ssl_context": context, "auth_require_tls": False} if scheme == "smtps" else \
        {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
    secure = Server(scheme, "press", authenticator=_authenticator(logins), **options)
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate / "cert.pem"))
        monkeypatch.setenv("PRESSGEN_SMTP_PASSWORD", "s3cret")
        result = send(project, secure, "--to", "national", "--yes")
        assert result.returncode == 0, result.stderr
        assert logins == [(b"press", b"s3cret")]
        assert len(secure.handler.received) == 5
    finally:
        secure.stop()


def test_an_as_of_past_a_lift_still_ahead_is_refused_as_a_leak(project, server):
    """A message goes out at the real moment: an --as-of after a lift that is still
    ahead would mail the release without its embargo. (2099: ahead for this test's life.)"""
    future = project / "releases" / "2099-01-01-future.yaml"
    future.write_text("headline: Far ahead\ndate: 2099-01-01\nembargo: 2099-01-01 00:01\n"
                      "status: final\nbody: Text.\ncontacts: [press-office]\n")
    result = subprocess.run([sys.executable, "-m", "pressgen", "send", str(future), "--to",
                             "national", "--yes", "--as-of", "2099-01-01 12:00"], cwd=project,
                            env=environment(server), capture_output=True, text=True)
    assert result.returncode == 1
    assert "2099-01-01-future.yaml:1:1: error: --as-of is after the embargo lifts" in result.stderr
    assert server.handler.transactions == 0


# ------------------------------------------------------------------ lists and house keys

def test_list_and_suppression_problems_are_each_reported_at_their_line(project):
    from pressgen.errors import ReleaseError
    from pressgen.load import load_house
    from pressgen.recipients import recipients

    lists = project / "templates" / "lists"
    (lists / "national.csv").write_text("name,outlet\nA,B\n")
    (lists / "regional.csv").write_text('email,name\n"ok@example.org",A\n  x@y,B\n')
    (lists / "do-not-contact.txt").write_text("fine@example.org\n\n  not an address # oops\n")
    house = load_house(project / "templates" / "house.yaml")
    with pytest.raises(ReleaseError) as caught:
        recipients(house.email, ["national", "regional"])
    found = [str(p).split("templates/lists/")[1] for p in caught.value.problems]
    assert found[0].startswith("do-not-contact.txt:3:3: error: `not an address`")
    assert found[1].startswith("national.csv:1:1: error: the first row must be the header")
    assert found[2].startswith("regional.csv:3:1: error: `x@y` is not an email address")


def test_the_house_email_keys_are_checked_at_their_lines(project):
    from pressgen.errors import ReleaseError
    from pressgen.load import load_house

    house = project / "templates" / "house.yaml"
    text = house.read_text()
    house.write_text(text.replace("reply_to: media@hmiprobation.gov.uk", "reply_to: nobody")
                     .replace("batch: 2", "batch: 0\n  bcc: everyone"))
    with pytest.raises(ReleaseError) as caught:
        load_house(house)
    messages = [f"{p.line}: {p.message}" for p in caught.value.problems]
    lines = text.splitlines()
    at = {key: lines.index(next(x for x in lines if x.strip().startswith(key))) + 1
          for key in ("reply_to:", "batch:")}
    assert any(m.startswith(f"{at['reply_to:']}: `email.reply_to` `nobody` is not one email")
               for m in messages), messages
    assert any(m.startswith(f"{at['batch:']}: `email.batch`") for m in messages), messages
    assert any("unknown key `bcc` in `email`" in m for m in messages), messages
