"""What of a Rasa event may be stored: the rules shared by the tracker store (Rasa's process)
and the api's retention job. Plain Python: no Rasa import.

- Every string of an event (the resident's text, parse data, entities, bot texts and buttons,
  metadata) goes through api.privacy.mask: phone numbers, e-mail, My Number, birth dates,
  bank accounts and addresses become ＊＊＊; application numbers stay readable.
- The slots that hold personal data (PII_SLOTS) are stored sealed (encrypted, `enc:…`) while
  a form still needs them, and as ＊＊＊ once it no longer does (the look-up or the ticket
  action resets them to None).
"""
from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import Any, Callable, Optional

from api.privacy import MASK, mask

# birth_date: the status form's second question, kept until action_check_application_status
# has run; ticket_question: what a resident leaves for staff, until action_create_ticket.
PII_SLOTS = frozenset({"birth_date", "ticket_question"})
SEALED = "enc:"
# keys whose values are names, not what anybody typed
_NAMES = frozenset({"event", "name", "policy", "input_channel", "message_id", "entity", "extractor",
                    "intent_name", "action_name", "type_name", "timestamp"})


def mask_value(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.startswith(SEALED) else mask(value)
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    if isinstance(value, dict):
        return {k: (v if k in _NAMES and isinstance(v, str) else mask_value(v)) for k, v in value.items()}
    return value


def protect(event: dict, keep: Callable[[str], bool], seal: Optional[Callable[[str], str]]) -> dict:
    """The event as it may be stored. keep(slot) says whether a form still needs that PII slot;
    seal encrypts its value then (without seal, or when not needed, it is masked)."""
    if event.get("event") == "slot" and event.get("name") in PII_SLOTS:
        value = event.get("value")
        if value is None or (isinstance(value, str) and value.startswith(SEALED)):
            return event
        sealed = seal(str(value)) if seal and keep(event["name"]) else MASK
        return {**event, "value": sealed}
    return mask_value(event)


def forget_sealed(event: dict) -> dict:
    """A PII slot no longer needed: its sealed value becomes ＊＊＊."""
    if event.get("event") == "slot" and event.get("name") in PII_SLOTS and isinstance(event.get("value"), str) \
            and event["value"].startswith(SEALED):
        return {**event, "value": MASK}
    return event


def tracker_key() -> bytes:
    """The key that seals PII slots: MADOGUCHI_TRACKER_KEY, else one generated once into
    <var>/secrets/tracker_key (0600, created with that mode). Returned as a Fernet key."""
    secret = os.environ.get("MADOGUCHI_TRACKER_KEY", "").strip()
    if not secret:
        var = Path(os.environ.get("MADOGUCHI_VAR") or Path(__file__).resolve().parent.parent / "var")
        path = var / "secrets" / "tracker_key"
        if path.exists():
            secret = path.read_text().strip()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            secret = base64.urlsafe_b64encode(os.urandom(32)).decode()
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process made it first
                secret = path.read_text().strip()
            else:
                with os.fdopen(fd, "w") as f:
                    f.write(secret)
    return base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest())
