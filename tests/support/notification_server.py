"""A freedesktop notification server for tests: records each Notify call as a JSON line.

    python integrations_notification_server.py ADDRESS RECORD_FILE [CAPABILITY ...]

Prints "ready" once it owns org.freedesktop.Notifications on the bus at ADDRESS.
Written here with dbus-fast's ServiceInterface; no annotations import, since
dbus-fast reads the D-Bus signatures from the annotations' strings.
"""

# ruff: noqa: F722, F821 - dbus-fast reads D-Bus signatures such as "as" from annotations

import asyncio
import json
import sys

from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method


class Notifications(ServiceInterface):
    def __init__(self, record, capabilities):
        super().__init__("org.freedesktop.Notifications")
        self.record = record
        self.capabilities = capabilities
        self.last_id = 0

    @method()
    def Notify(
        self,
        app_name: "s",
        replaces_id: "u",
        app_icon: "s",
        summary: "s",
        body: "s",
        actions: "as",
        hints: "a{sv}",
        expire_timeout: "i",
    ) -> "u":
        self.last_id += 1
        with open(self.record, "a", encoding="utf-8") as out:
            entry = {"app_name": app_name, "summary": summary, "body": body, "id": self.last_id}
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return self.last_id

    @method()
    def GetCapabilities(self) -> "as":
        return self.capabilities

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["followup-tui test server", "followup-tui", "1", "1.2"]


async def main(address, record, capabilities):
    bus = await MessageBus(bus_address=address).connect()
    bus.export("/org/freedesktop/Notifications", Notifications(record, capabilities))
    await bus.request_name("org.freedesktop.Notifications")
    print("ready", flush=True)
    await bus.wait_for_disconnect()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
