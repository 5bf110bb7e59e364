"""The recorder's one writer thread: answers applied in the order seen, changed files written
when due, so that the event loop never parses, encodes or writes a recorded file.

``put`` (on the event loop) only queues a message. The thread applies each queued answer in turn
(``apply``: the recorder reading it into its files' entries, which calls ``changed``) and writes
each changed file once it is due (``core.fixture_files.FixtureFile``). ``flush`` waits until everything
queued before it is written; ``close`` does the same and ends the thread. A write that fails is
logged and tried again at the file's next turn; an answer that cannot be applied is logged and
the others go on.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from mockserver.core.fixture_files import FixtureFile

logger = logging.getLogger("mockserver.proxy")
Answer = TypeVar("Answer")


class RecordWriter(Generic[Answer]):
    def __init__(self, apply: Callable[[Answer], None]) -> None:
        self.apply = apply
        self.dirty: dict[str, FixtureFile] = {}  # file name -> a file changed since written
        self._queue: queue.SimpleQueue[Answer | threading.Event | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()

    def put(self, answer: Answer | threading.Event) -> None:
        with self._starting:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="mockserver-record", daemon=True)
                self._thread.start()
        self._queue.put(answer)

    def flush(self, timeout: float) -> bool:
        """Wait until everything queued so far is written (False if that took over ``timeout``)."""
        written = threading.Event()
        self.put(written)
        return written.wait(timeout)

    async def close(self) -> None:
        """Write everything queued and end the thread."""
        with self._starting:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            await asyncio.to_thread(thread.join)

    def changed(self, file: FixtureFile) -> None:
        """``file`` has changed (called by ``apply``, on the writer thread)."""
        file.changed(time.monotonic())
        self.dirty[file.path.name] = file

    def _run(self) -> None:
        while True:
            now = time.monotonic()
            self._write([file for file in self.dirty.values() if file.due is not None and file.due <= now])
            due = min((file.due for file in self.dirty.values() if file.due is not None), default=None)
            try:
                message = self._queue.get(timeout=None if due is None else max(0.0, due - now))
            except queue.Empty:
                continue
            if message is not None and not isinstance(message, threading.Event):
                try:
                    self.apply(message)
                except Exception:  # one odd answer must not stop the recording of the others
                    logger.exception("--record: recording an answer failed")
                continue
            self._write(list(self.dirty.values()))
            if message is None:
                return
            message.set()

    def _write(self, files: list[FixtureFile]) -> None:
        for file in files:
            try:
                file.write()
                self.dirty.pop(file.path.name, None)
            except OSError as exc:
                logger.error("--record: cannot write %s (%s); trying again", file.path, exc.strerror or exc)
                file.due = None
                file.changed(time.monotonic())
