"""Zalo Bot API updates as platform-neutral ``Inbound`` events.

Updates come from outside (a webhook body, a poll), so every field is checked: anything
malformed yields None instead of raising. Public write-ups of the API disagree on some field
names, so the documented one is read first and the others as fallbacks: ``photo_url`` or
``photo``, ``display_name`` or ``name``/``first_name``, ``caption`` or ``text``.
"""

from typing import Any

from handlers.types import Attachment, Inbound

CHANNEL = "zalo"

TEXT = "message.text.received"
IMAGE = "message.image.received"
STICKER = "message.sticker.received"
UNSUPPORTED = "message.unsupported.received"


def to_inbound(update: dict[str, Any]) -> Inbound | None:
    """The user's message, or None for a bot's own message or a malformed update.

    Stickers and unsupported messages become empty text, so the bot can answer that it only
    reads text.
    """
    message = update.get("message") if isinstance(update, dict) else None
    if not isinstance(message, dict):
        return None
    sender, chat = message.get("from"), message.get("chat")
    if not isinstance(sender, dict) or not isinstance(chat, dict) or sender.get("is_bot") is True:
        return None
    user_id, chat_id = _id(sender.get("id")), _id(chat.get("id"))
    message_id = _id(message.get("message_id"))
    if user_id is None or chat_id is None or message_id is None:
        return None
    event = update.get("event_name")
    text: str | None
    attachment = None
    if event == TEXT:
        text = _text(message, "text")
        if text is None:
            return None
    elif event == IMAGE:
        photo_url = _text(message, "photo_url", "photo")
        if not photo_url:
            return None
        attachment = Attachment("photo", photo_url)
        text = _text(message, "caption", "text")
    elif event in (STICKER, UNSUPPORTED):
        text = ""
    else:
        return None
    return Inbound(
        channel=CHANNEL,
        user_id=user_id,
        chat_id=chat_id,
        text=text,
        attachment=attachment,
        display_name=_text(sender, "display_name", "name", "first_name") or "",
        update_key=message_id,
        private=chat.get("chat_type", "PRIVATE") == "PRIVATE" and chat_id == user_id,
    )


def unwrap_webhook_body(body: Any) -> dict[str, Any] | None:
    """The update in a webhook body, sent bare or wrapped as ``{"ok": true, "result": …}``."""
    if not isinstance(body, dict):
        return None
    if isinstance(body.get("event_name"), str):
        return body
    result = body.get("result")
    if (
        body.get("ok") is True
        and isinstance(result, dict)
        and isinstance(result.get("event_name"), str)
    ):
        return result
    return None


def _id(value: Any) -> str | None:
    """Ids are strings in the API; numbers are accepted, booleans and empty strings are not."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value) or None


def _text(fields: dict[str, Any], *names: str) -> str | None:
    """The first of ``names`` holding a string."""
    for name in names:
        value = fields.get(name)
        if isinstance(value, str):
            return value
    return None
