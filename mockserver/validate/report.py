"""What ``mockserver validate`` found: each finding once, located in its document or fixture file,
how each operation is served, what was checked; and the lines it prints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mockserver.core.sentences import elided
from mockserver.core.sources import Sources


@dataclass(frozen=True)
class Finding:
    """An error in the document or its fixtures (there are no lesser findings)."""

    where: str  # a JSON pointer into the document, or a fixture file and session
    message: str


@dataclass
class Report:
    specs: tuple[Path, ...]
    findings: list[Finding] = field(default_factory=list)
    checked: Counter[str] = field(default_factory=Counter)
    served: list[Finding] = field(default_factory=list)  # how each operation is served (information)
    found: set[Finding] = field(default_factory=set, repr=False)

    def error(self, where: str, message: str, document: Path | None = None,
              sources: Sources | None = None) -> None:
        """A finding, once; ``where`` is a pointer into ``document`` (named when there are several),
        read from ``sources`` (the file holding the node named when it is another)."""
        if sources is not None:
            file, where_in = sources.locate(where)
            where = f"{file}#{where_in}" if file != sources.root or len(self.specs) > 1 else where_in
        elif document is not None and len(self.specs) > 1:
            where = f"{document}#{where}"
        finding = Finding(where, elided(message))
        if finding not in self.found:
            self.found.add(finding)
            self.findings.append(finding)

    @property
    def errors(self) -> int:
        return len(self.findings)


def iter_lines(report: Report) -> Iterator[str]:
    for served in report.served:
        yield f"info    {served.message}"
    for finding in report.findings:
        yield f"error   {finding.where}  {finding.message}"
    checked = ", ".join(plural(n, what) for what, n in report.checked.items())
    summary = f"{', '.join(map(str, report.specs))}: {plural(report.errors, 'error')}"
    yield summary + (f" (checked {checked})" if checked else "")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
