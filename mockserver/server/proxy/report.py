"""What the proxy saw: each violation logged as it happens (one line each), counted per operation,
summarised at shutdown, and written as JUnit XML (one test case per operation seen, a failure per
distinct violation) for CI. With ``--fallback`` the answers are counted by who gave them too
(upstream, mock, proxy): in the summary, and as properties of the JUnit suite and its cases."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

from mockserver.core.conformance import Violation

logger = logging.getLogger("mockserver.proxy")
SOURCES = ("upstream", "mock", "proxy")  # who answered, with --fallback


class ViolationReport:
    def __init__(self, by_source: bool = False) -> None:
        self.by_source = by_source
        self.exchanges: Counter[str] = Counter()  # operation -> requests seen
        self.sources: dict[str, Counter[str]] = {}  # operation -> who answered -> times
        self.violations: dict[str, Counter[Violation]] = {}  # operation -> violation -> times
        self.failures = 0  # requests the upstream did not answer (502, 504)

    def add(self, operation: str, found: list[Violation], source: str | None = None) -> None:
        self.exchanges[operation] += 1
        if source is not None:
            self.sources.setdefault(operation, Counter())[source] += 1
        seen = self.violations.setdefault(operation, Counter())
        for violation in found:
            seen[violation] += 1
            logger.warning("%s", violation.line())

    def upstream_failed(self, detail: str) -> None:
        self.failures += 1
        logger.error("upstream: %s", detail)

    @property
    def total(self) -> int:
        return sum(sum(counts.values()) for counts in self.violations.values())

    def answers(self, operation: str | None = None) -> Counter[str]:
        """Who answered (``upstream``, ``mock``, ``proxy``): one operation's, or all."""
        if operation is not None:
            return self.sources.get(operation, Counter())
        return sum(self.sources.values(), Counter())

    def _answered(self, operation: str | None = None) -> str:
        if not self.by_source:
            return ""
        counts = self.answers(operation)
        return f" (answered by {', '.join(f'{source} {counts[source]}' for source in SOURCES)})"

    def summary(self) -> str:
        lines = [f"proxy: {sum(self.exchanges.values())} exchanges{self._answered()}, {self.total} "
                 f"violations, {len(self.exchanges)} operations, {self.failures} upstream failures"]
        for operation in sorted(self.exchanges):
            counts = self.violations.get(operation, Counter())
            lines.append(f"  {operation}: {self.exchanges[operation]} exchanges{self._answered(operation)}, "
                         f"{sum(counts.values())} violations")
            lines.extend(f"    {times} x {v.direction} {v.pointer or '/'}: {v.message}"
                         for v, times in counts.most_common())
        return "\n".join(lines)

    def write_junit(self, path: Path) -> None:
        operations = sorted(self.exchanges)
        suite = ElementTree.Element("testsuite", {
            "name": "mockserver proxy", "tests": str(len(operations)),
            "failures": str(sum(1 for operation in operations if self.violations.get(operation))),
            "errors": "0"})
        self._properties(suite, self.answers())
        for operation in operations:
            case = ElementTree.SubElement(suite, "testcase", {"classname": "proxy", "name": operation})
            self._properties(case, self.answers(operation))
            for violation, times in (self.violations.get(operation) or Counter()).most_common():
                failure = ElementTree.SubElement(case, "failure", {
                    "message": f"{violation.direction} {violation.pointer or '/'}: {violation.message}"})
                failure.text = f"seen {times} times in {self.exchanges[operation]} exchanges\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        ElementTree.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)

    def _properties(self, element: ElementTree.Element, counts: Counter[str]) -> None:
        """``answered_by_upstream`` and its siblings: how many answers each source gave."""
        if not self.by_source:
            return
        properties = ElementTree.SubElement(element, "properties")
        for source in SOURCES:
            ElementTree.SubElement(properties, "property", {"name": f"answered_by_{source}",
                                                            "value": str(counts[source])})
