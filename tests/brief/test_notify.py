"""Delivery against a local SMTP server (aiosmtpd) and a local HTTP server, both on 127.0.0.1
and started and stopped here: the right recipient gets the right attachment, a rerun sends
nothing new, one refused recipient does not block the others."""

from __future__ import annotations

import email
import email.policy
import json
import shutil
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest
from aiosmtpd.controller import Controller

from kpi import Warehouse, load_settings
from kpi.alerts import week_alerts
from kpi.cli import main as kpi_main
from kpi.notify import notify
from kpi.notify.log import DeliveryLog
from kpi.notify.recipients import from_app_user, read_file
from tests.brief.conftest import WEEK, pdftotext

DLH = "33.74:dinas-lingkungan-hidup"
DPU = "33.74:dinas-pekerjaan-umum"
REFUSED = "refused@semarangkota.go.id"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler: keeps every message, refuses the addresses in ``refuse``."""

    def __init__(self):
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse = {REFUSED}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield box, controller.port
    controller.stop()


@pytest.fixture
def webhook():
    posts: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            posts.append({"key": self.headers["Idempotency-Key"], "body": json.loads(body)})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield posts, f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


RECIPIENTS = f"""
[[recipient]]
email = "walikota@semarangkota.go.id"
role = "mayor"
region = "33.74"
language = "id"

[[recipient]]
email = "kadis.dlh@semarangkota.go.id"
role = "agency_head"
agency = "{DLH}"
language = "en"

[[recipient]]
email = "{REFUSED}"
role = "agency_head"
agency = "{DPU}"

[[recipient]]
email = "kadis.pu@semarangkota.go.id"
role = "agency_head"
agency = "dinas-pekerjaan-umum"
"""


@pytest.fixture
def setup(tmp_path, demo_db, smtp, webhook):
    """A copy of the demo database with settings that point at the two local servers."""
    db = tmp_path / "wh.duckdb"
    shutil.copyfile(demo_db, db)
    (tmp_path / "recipients.toml").write_text(RECIPIENTS)
    config = tmp_path / "notify.toml"
    config.write_text(
        f'[city]\nname = "Kota Semarang"\n[notify]\nrecipients = "{tmp_path / "recipients.toml"}"\n'
        f'webhook_url = "{webhook[1]}"\napp_url = "https://kinerja.example"\n'
        f'[notify.smtp]\nhost = "127.0.0.1"\nport = {smtp[1]}\nsender = "kinerja@example.go.id"\n'
    )
    return db, config


def open_wh(db, config):
    return Warehouse.open(db, load_settings(config, city="semarang"))


def mails(box) -> dict[str, email.message.Message]:
    return {rcpt[0]: email.message_from_bytes(raw, policy=email.policy.default)
            for rcpt, raw in box.messages}  # fmt: skip


def test_each_recipient_gets_their_brief_and_a_refusal_blocks_nobody(setup, smtp, webhook,
                                                                     tmp_path, capsys):  # fmt: skip
    db, config = setup
    box, posts = smtp[0], webhook[0]
    wh = open_wh(db, config)
    out = notify(wh, WEEK, say=lambda _line: None)
    assert (out.sent, out.failed, out.skipped) == (7, 1, 0)  # 4 webhook posts, 3 e-mails
    got = mails(box)
    assert sorted(got) == ["kadis.dlh@semarangkota.go.id", "kadis.pu@semarangkota.go.id",
                           "walikota@semarangkota.go.id"]  # fmt: skip
    expected = {
        "walikota@semarangkota.go.id": ("brief_2026-W46_33.74_id.pdf", "Ringkasan Mingguan · Kota Semarang"),
        "kadis.dlh@semarangkota.go.id": ("brief_2026-W46_33.74_dinas-lingkungan-hidup_en.pdf",
                                         "Agency report card · Dinas Lingkungan Hidup"),
        "kadis.pu@semarangkota.go.id": ("brief_2026-W46_33.74_dinas-pekerjaan-umum_id.pdf",
                                        "Rapor OPD · Dinas Pekerjaan Umum"),
    }  # fmt: skip
    for address, (filename, heading) in expected.items():
        msg = got[address]
        (part,) = [p for p in msg.walk() if p.get_filename()]
        assert part.get_filename() == filename
        assert msg["From"] == "kinerja@example.go.id"
        text = " ".join(pdftotext(part.get_payload(decode=True), tmp_path).split())
        assert heading in text
    body = got["kadis.dlh@semarangkota.go.id"].get_body(("plain",)).get_content()
    assert "This week's brief is attached" in body
    assert (
        f"https://kinerja.example/rapor?week={WEEK}&agency=33.74%3Adinas-lingkungan-hidup&lang=en"
        in body
    )
    # the webhook: one post per recipient with their own alerts, the refused one included
    assert len(posts) == 4
    dlh = next(p for p in posts if p["body"]["recipient"]["agency"] == DLH)
    own = [a.key for a in week_alerts(wh, WEEK, "33.74") if a.agency_id == DLH]
    assert [a["key"] for a in dlh["body"]["alerts"]] == own
    assert dlh["key"] == f"{WEEK}|kadis.dlh@semarangkota.go.id||{DLH}"
    # the log names the refusal; the others are sent
    rows = {(r["recipient"].split("|")[0], r["channel"]): r for r in DeliveryLog(
        db.with_name(db.name + ".deliveries.sqlite")).rows(WEEK)}  # fmt: skip
    assert rows[(REFUSED, "email")]["status"] == "failed"
    assert "550" in rows[(REFUSED, "email")]["detail"]
    assert {k: r["status"] for k, r in rows.items() if k != (REFUSED, "email")} == dict.fromkeys(
        [(a, c) for a in ("kadis.dlh@semarangkota.go.id", "kadis.pu@semarangkota.go.id",
                          REFUSED, "walikota@semarangkota.go.id") for c in ("email", "webhook")
         if (a, c) != (REFUSED, "email")], "sent")  # fmt: skip

    # a rerun (the CLI, as cron runs it) sends nothing new; the refused address is tried again
    code = kpi_main(["notify", "--db", str(db), "--config", str(config), "--week", WEEK])
    printed = capsys.readouterr().out
    assert code == 1  # the refusal is still there
    assert "0 sent, 7 already sent, 1 failed" in printed
    assert len(box.messages) == 3 and len(posts) == 4

    # --dry-run says what is left, and sends nothing
    code = kpi_main(["notify", "--db", str(db), "--config", str(config), "--week", WEEK,
                     "--dry-run"])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0 and "dry run: 1 to send, 7 already sent" in printed
    assert f"would send   email   {REFUSED}" in printed
    assert len(box.messages) == 3


def test_a_server_that_is_down_fails_softly_and_is_retried(setup, smtp, tmp_path):
    db, config = setup
    box, port = smtp
    down = tmp_path / "down.toml"
    down.write_text(config.read_text().replace(f"port = {port}", f"port = {free_port()}")
                    .replace("webhook_url", "webhook_off"))  # fmt: skip
    out = notify(open_wh(db, down), WEEK, say=lambda _line: None)
    assert (out.sent, out.failed) == (0, 4) and box.messages == []
    out = notify(open_wh(db, config), WEEK, say=lambda _line: None)
    assert out.failed == 1 and len(box.messages) == 3  # retried: only the refusal remains


def test_recipients_file_errors_name_the_row(tmp_path):
    bad = tmp_path / "r.csv"
    bad.write_text(
        "email,role,region,agency,language\nok@x.id,mayor,33.74,,id\nnot-an-address,,,,\n"
    )
    with pytest.raises(ValueError, match=r"r.csv, recipient 2: email"):
        read_file(bad)
    good = tmp_path / "g.csv"
    good.write_text("email,role,region,agency,language\nok@x.id,mayor,33.74,,en\n")
    assert [r.to_dict() for r in read_file(good)] == [
        {"email": "ok@x.id", "role": "mayor", "region": "33.74", "agency": None, "language": "en"}
    ]


def test_recipients_from_the_app_user_table(tmp_path, demo_db):
    # the sign-in issue adds app_user (email, role, region, agency, active): notify reads it
    db = tmp_path / "wh.duckdb"
    shutil.copyfile(demo_db, db)
    wh = Warehouse.open(db)
    assert from_app_user(wh) == []
    wh.close()  # a writer may not open a file this process still has attached
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE app_user (email VARCHAR, role VARCHAR, region VARCHAR,"
                " agency VARCHAR, active BOOLEAN)")  # fmt: skip
    con.execute(f"INSERT INTO app_user VALUES ('a@x.id', 'mayor', '33.74', NULL, true),"
                f" ('b@x.id', 'agency_head', NULL, '{DLH}', true),"
                f" ('gone@x.id', 'agency_head', NULL, '{DLH}', false)")  # fmt: skip
    con.close()
    got = [(r.email, r.region, r.agency, r.language) for r in from_app_user(Warehouse.open(db))]
    assert got == [("a@x.id", "33.74", None, "id"), ("b@x.id", None, DLH, "id")]


def test_the_log_claims_each_delivery_once(tmp_path):
    log = DeliveryLog(tmp_path / "d.sqlite")
    key = ("2026-W46", "a@x.id|33.74|", "email")
    assert log.claim(*key)
    assert not log.claim(*key)  # another run is sending it
    log.finish(*key, False, "SMTP down")
    assert log.claim(*key)  # a failure is retried
    log.finish(*key, True, "brief.pdf sha256:…")
    assert not log.claim(*key) and log.status(*key) == "sent"
    (row,) = log.rows("2026-W46")
    assert (row["status"], row["attempts"], row["detail"]) == ("sent", 2, "brief.pdf sha256:…")
