"""The two ways out: SMTP (``smtplib``) and an HTTP webhook (``urllib``), both with timeouts.

Each call delivers to one recipient and raises ``DeliveryError`` with a one-line reason on any
failure, so the caller logs it and goes on with the next recipient.
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage


class DeliveryError(RuntimeError):
    """One delivery failed (refused recipient, server down, HTTP error); the message says why."""


def send_email(msg: EmailMessage, smtp: dict) -> None:
    """Send one message with the ``[notify.smtp]`` settings (password from the environment)."""
    host, port = str(smtp.get("host", "localhost")), int(smtp.get("port", 25))
    security = str(smtp.get("security", "none"))
    timeout = float(smtp.get("timeout", 30))
    try:
        if security == "ssl":
            server = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                      context=ssl.create_default_context())  # fmt: skip
        else:
            server = smtplib.SMTP(host, port, timeout=timeout)
        with server:
            if security == "starttls":
                server.starttls(context=ssl.create_default_context())
            if smtp.get("username"):
                password = os.environ.get(str(smtp.get("password_env") or ""), "")
                server.login(str(smtp["username"]), password)
            refused = server.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = "; ".join(f"{k}: {v[0]} {v[1].decode(errors='replace')}"
                          for k, v in exc.recipients.items())  # fmt: skip
        raise DeliveryError(f"recipient refused ({codes})") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP {host}:{port}: {type(exc).__name__}: {exc}") from exc
    if refused:
        raise DeliveryError(f"recipient refused: {refused}")


def post_json(url: str, body: dict, key: str, token_env: str = "", timeout: float = 10) -> int:
    """POST ``body`` as JSON; ``key`` goes in an ``Idempotency-Key`` header. Returns the status."""
    if not url.startswith(("http://", "https://")):
        raise DeliveryError(f"webhook: not an http(s) URL: {url!r}")
    headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": key}
    token = os.environ.get(token_env, "") if token_env else ""
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"webhook {url}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"webhook {url}: {exc}") from exc
