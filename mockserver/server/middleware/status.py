"""The status a response started with, seen by wrapping ``send`` (the access log and the journal)."""

from __future__ import annotations

from starlette.types import Message, Send


class StatusRecordingSend:
    """``send``, remembering the status of ``http.response.start``; 500 until one is sent, which is
    what the client gets when the app fails before answering."""

    __slots__ = ("send", "started", "status")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.status = 500
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.started = True
        await self.send(message)
