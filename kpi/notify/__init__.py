"""``notify``: send each recipient their brief and alerts for a week, once.

For every recipient (``kpi.notify.recipients``): their brief as a PDF (the region's, or their
agency's) by e-mail, and, when ``notify.webhook_url`` is set, their alerts as JSON to the
webhook. Settings (SMTP, webhook, app address) are those of the recipient's region
(``Settings.for_region``). Each (week, recipient, channel) is claimed in the delivery log
(``kpi.notify.log``) before sending, so a rerun sends nothing new and two runs never send the
same thing; a failed delivery is logged with its reason and the run goes on with the others.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from kpi.notify.log import DeliveryLog, log_path
from kpi.notify.recipients import Recipient, RecipientsError, load


class NotifyError(ValueError):
    """The run cannot start (no recipients, unusable settings); nothing was sent."""


@dataclass
class Outcome:
    """What a run did, per recipient and channel (lines for the CLI)."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0
    planned: int = 0
    lines: list[str] = field(default_factory=list)


class Run:
    """One notify run over one week: shared week contexts and rendered briefs."""

    def __init__(self, wh, week: str, region: str | None, say=print):
        from kpi.brief import WeekContext

        self.wh, self.week, self.region, self.say = wh, week, region, say
        self._contexts: dict = {}
        self._briefs: dict = {}
        self._context_cls = WeekContext

    def region_of(self, r: Recipient) -> str | None:
        if r.agency:
            resolved = self.wh.resolve_agency(r.agency)
            if resolved is None:
                raise RecipientsError(f"{r.email}: unknown agency {r.agency!r}")
            return resolved.split(":", 1)[0] if ":" in resolved else self.region
        return r.region or self.region

    def context(self, region: str | None):
        if region not in self._contexts:
            self._contexts[region] = self._context_cls(self.wh, self.week, region)
        return self._contexts[region]

    def brief(self, ctx, r: Recipient) -> tuple[str, bytes]:
        from kpi.brief import brief
        from kpi.brief.cli import file_name

        agency = self.wh.resolve_agency(r.agency) if r.agency else None
        key = (ctx.region, agency, r.language)
        if key not in self._briefs:
            data = brief(self.wh, self.week, ctx.region, agency, r.language, "pdf", ctx=ctx)
            who = agency or ctx.region or self.wh.settings.region_code or "all"
            self._briefs[key] = (file_name(ctx.ref.label, who, r.language, "pdf"), data)
        return self._briefs[key]

    def alerts(self, ctx, r: Recipient) -> list:
        if r.agency:
            agency = self.wh.resolve_agency(r.agency)
            return [a for a in ctx.alerts if a.agency_id == agency]
        return [a for a in ctx.alerts if a.family != "coming_due"]

    def name(self, ctx, r: Recipient) -> str:
        if r.agency:
            agency = self.wh.resolve_agency(r.agency)
            return ctx.agency_names.get(agency, agency)
        return ctx.name


def notify(wh, week: str, region: str | None = None, dry_run: bool = False,
           recipients: str | None = None, say=print) -> Outcome:  # fmt: skip
    """Deliver the week to every recipient in ``region`` (None: all); see the module doc."""
    settings = wh.settings.for_region(region) if region else wh.settings
    people = load(wh, settings, recipients, region)
    if not people:
        raise NotifyError(
            "no recipients: set notify.recipients in the settings (or --recipients FILE); "
            "users of the app are read from the warehouse's app_user table when it exists"
        )
    conf = settings.raw.get("notify", {})
    log = DeliveryLog(log_path(wh.path, conf.get("log") or None))
    run, out = Run(wh, week, region, say), Outcome()
    for r in people:
        _one(run, log, r, dry_run, out)
    return out


def _one(run: Run, log: DeliveryLog, r: Recipient, dry_run: bool, out: Outcome) -> None:
    """Both channels of one recipient; any failure is logged and reported, never raised."""
    try:
        region = run.region_of(r)
        conf = run.wh.settings.for_region(region).raw.get("notify", {}) if region else (
            run.wh.settings.raw.get("notify", {}))  # fmt: skip
        ctx = run.context(region)
    except Exception as exc:  # an unknown agency or region fails this recipient only
        out.failed += 1
        out.lines.append(f"failed   {r.email}: {exc}")
        run.say(out.lines[-1])
        return
    channels = ["email"] + (["webhook"] if conf.get("webhook_url") else [])
    for channel in channels:
        _deliver(run, log, r, ctx, conf, channel, dry_run, out)


def _deliver(run, log, r, ctx, conf, channel, dry_run, out) -> None:
    from kpi.notify import message, send

    week, key = ctx.ref.label, r.key
    status = log.status(week, key, channel)
    if dry_run:
        verb = "already sent" if status == "sent" else "would send"
        out.planned += status != "sent"
        out.skipped += status == "sent"
        line = f"{verb:<13}{channel:<8}{r.email:<36}"
        if channel == "email":
            from kpi.brief.cli import file_name

            who = (run.wh.resolve_agency(r.agency) if r.agency else None) or ctx.region or "all"
            line += f" {file_name(week, who, r.language, 'pdf')}"
        out.lines.append(line + f"  {len(run.alerts(ctx, r))} alerts")
        run.say(out.lines[-1])
        return
    if not log.claim(week, key, channel):
        out.skipped += 1
        out.lines.append(f"{'skipped':<13}{channel:<8}{r.email:<36} (already sent for {week})")
        run.say(out.lines[-1])
        return
    try:
        alerts, name = run.alerts(ctx, r), run.name(ctx, r)
        app_url = str(conf.get("app_url") or "")
        if channel == "email":
            filename, data = run.brief(ctx, r)
            smtp = dict(conf.get("smtp", {}))
            msg = message.email(r, ctx, name, alerts, (filename, data), str(smtp.get("sender")),
                                app_url)  # fmt: skip
            send.send_email(msg, smtp)
            detail = f"{filename} sha256:{hashlib.sha256(data).hexdigest()[:16]}"
        else:
            body = message.payload(r, ctx, name, alerts, app_url)
            code = send.post_json(str(conf["webhook_url"]), body, f"{week}|{key}",
                                  str(conf.get("webhook_token_env") or ""),
                                  float(conf.get("webhook_timeout", 10)))  # fmt: skip
            detail = f"HTTP {code}, {len(alerts)} alerts"
    except Exception as exc:  # logged and reported: the next recipient still gets theirs
        log.finish(week, key, channel, False, f"{type(exc).__name__}: {exc}")
        out.failed += 1
        out.lines.append(f"{'failed':<13}{channel:<8}{r.email:<36} {exc}")
    else:
        log.finish(week, key, channel, True, detail)
        out.sent += 1
        out.lines.append(f"{'sent':<13}{channel:<8}{r.email:<36} {detail}")
    run.say(out.lines[-1])


__all__ = ["NotifyError", "Outcome", "notify"]
