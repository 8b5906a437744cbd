"""Desktop notifications: freedesktop's org.freedesktop.Notifications over the session D-Bus.

Through dbus-fast (pure Python, asyncio): the bus's protocol, authentication and
marshalling are its job. Nothing is sent but the title and body, as plain text:
the body is escaped only where the server says it reads markup, and control
characters are dropped, so a company's name cannot style or forge a notification.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from followup_tui.errors import UserError

APP_NAME = "followup-tui"
SERVICE = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"
#: How long to wait for the bus and the server before saying so.
TIMEOUT_SECONDS = 5.0

# C0 controls but newline, DEL, C1 controls, bidi overrides and isolates
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class DesktopError(UserError):
    """No desktop notification could be shown; the message says why, for a person."""


def session_bus_address(environ: Mapping[str, str] | None = None) -> str:
    """Where the session bus is: `DBUS_SESSION_BUS_ADDRESS`, else the per-user bus
    socket systemd makes (cron and timers often run without the variable)."""
    env = os.environ if environ is None else environ
    address = env.get("DBUS_SESSION_BUS_ADDRESS", "").strip()
    if address:
        return address
    runtime = env.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    socket = Path(runtime) / "bus"
    if socket.exists():
        return f"unix:path={_address_value(str(socket))}"
    raise DesktopError(
        "there is no session D-Bus to send a desktop notification on: "
        f"DBUS_SESSION_BUS_ADDRESS is not set and there is no {socket}. From cron, set "
        "DBUS_SESSION_BUS_ADDRESS to your desktop session's bus (e.g. unix:path=/run/user/"
        f"{os.getuid()}/bus), or leave out --desktop."
    )


def _address_value(value: str) -> str:
    """A D-Bus address value: bytes outside [-0-9A-Za-z_/.\\*] written as %XX."""
    safe = frozenset(b"-_/.\\*0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return "".join(chr(b) if b in safe else f"%{b:02x}" for b in os.fsencode(value))


def plain(text: str) -> str:
    """`text` without control characters (a tab becomes a space)."""
    return _CONTROLS.sub(lambda m: " " if m.group() == "\t" else "", text)


def body_for(text: str, *, markup: bool) -> str:
    """The body as the server will show it verbatim: escaped where it reads markup."""
    text = plain(text)
    return text.translate(_MARKUP) if markup else text


def send(
    title: str,
    body: str,
    *,
    address: str | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> int:
    """Show one notification; returns the server's id for it. Raises DesktopError."""
    bus_address = address or session_bus_address()
    try:
        return asyncio.run(asyncio.wait_for(_send(bus_address, title, body), timeout))
    except TimeoutError:
        raise DesktopError(
            f"the session D-Bus ({bus_address}) or its notification server did not answer "
            f"within {timeout:g} s; no desktop notification was shown."
        ) from None


async def _send(address: str, title: str, body: str) -> int:
    from dbus_fast import AuthError, InvalidAddressError, Message, MessageType
    from dbus_fast.aio import MessageBus

    try:
        bus = await MessageBus(bus_address=address).connect()
    except (OSError, InvalidAddressError, AuthError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise DesktopError(
            f"cannot connect to the session D-Bus at {address} ({reason}); "
            "no desktop notification was shown."
        ) from None
    try:

        async def call(
            member: str, signature: str = "", body: list[object] | None = None
        ) -> list[Any]:
            reply = await bus.call(
                Message(
                    destination=SERVICE,
                    path=OBJECT_PATH,
                    interface=SERVICE,
                    member=member,
                    signature=signature,
                    body=body or [],
                )
            )
            if reply is None or reply.message_type == MessageType.ERROR:
                name = getattr(reply, "error_name", "") or "no reply"
                if name == "org.freedesktop.DBus.Error.ServiceUnknown":
                    raise DesktopError(
                        "no notification server is running on the session D-Bus "
                        "(nothing owns org.freedesktop.Notifications); "
                        "no desktop notification was shown."
                    )
                detail = reply.body[0] if reply is not None and reply.body else ""
                raise DesktopError(
                    f"the desktop's notification server refused {member} ({name}"
                    + (f": {plain(str(detail))}" if detail else "")
                    + ")."
                )
            return reply.body

        (capabilities,) = await call("GetCapabilities")
        markup = "body-markup" in capabilities
        (notification_id,) = await call(
            "Notify",
            "susssasa{sv}i",
            [APP_NAME, 0, "", plain(title), body_for(body, markup=markup), [], {}, -1],
        )
        return int(notification_id)
    finally:
        bus.disconnect()
