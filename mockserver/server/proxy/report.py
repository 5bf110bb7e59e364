"""What the proxy saw: each violation logged as it happens (one line each), counted per operation,
summarised at shutdown, and written as JUnit XML (one test case per operation seen, a failure per
distinct violation) for CI."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

from mockserver.core.conformance import Violation

logger = logging.getLogger("mockserver.proxy")


class ViolationReport:
    def __init__(self) -> None:
        self.exchanges: Counter[str] = Counter()  # operation -> requests seen
        self.violations: dict[str, Counter[Violation]] = {}  # operation -> violation -> times
        self.failures = 0  # requests the upstream did not answer (502, 504)

    def add(self, operation: str, found: list[Violation]) -> None:
        self.exchanges[operation] += 1
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

    def summary(self) -> str:
        lines = [f"proxy: {sum(self.exchanges.values())} exchanges, {self.total} violations, "
                 f"{len(self.exchanges)} operations, {self.failures} upstream failures"]
        for operation in sorted(self.exchanges):
            counts = self.violations.get(operation, Counter())
            lines.append(f"  {operation}: {self.exchanges[operation]} exchanges, "
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
        for operation in operations:
            case = ElementTree.SubElement(suite, "testcase", {"classname": "proxy", "name": operation})
            for violation, times in (self.violations.get(operation) or Counter()).most_common():
                failure = ElementTree.SubElement(case, "failure", {
                    "message": f"{violation.direction} {violation.pointer or '/'}: {violation.message}"})
                failure.text = f"seen {times} times in {self.exchanges[operation]} exchanges\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        ElementTree.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
