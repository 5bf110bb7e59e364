"""A contract report as JUnit XML: one test case per check, one failure element per distinct failure;
one test case per lifecycle check and resource (classname ``lifecycle <collection path>``)."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

from mockserver.contract.lifecycle.outcome import ERROR, FAILED, SKIPPED
from mockserver.contract.report import ContractReport


def write_junit(report: ContractReport, path: Path) -> None:
    checks = sorted(report.passed | report.failed)
    suite = ElementTree.Element("testsuite", {
        "name": "mockserver contract", "tests": str(len(checks)),
        "failures": str(sum(1 for name in checks if report.failed[name])),
        "errors": str(len(report.errors)),
    })
    for name in checks:
        case = ElementTree.SubElement(suite, "testcase", {"classname": "contract", "name": name})
        for failure in (f for f in report.failures.values() if f.check == name):
            element = ElementTree.SubElement(case, "failure", {"message": failure.title})
            element.text = f"{failure.message.strip()}\n\nrun: {failure.run}\nreproduce: {failure.curl}\n"
    outcomes = report.lifecycle.outcomes if report.lifecycle is not None else []
    for outcome in outcomes:
        case = ElementTree.SubElement(suite, "testcase", {
            "classname": f"lifecycle {outcome.resource}", "name": outcome.check})
        if outcome.result in (FAILED, ERROR):
            kind = "failure" if outcome.result == FAILED else "error"
            element = ElementTree.SubElement(case, kind, {"message": outcome.sentence})
            element.text = "\n".join((outcome.sentence, "", *outcome.curls)) + "\n"
        elif outcome.result == SKIPPED:
            ElementTree.SubElement(case, "skipped", {"message": outcome.sentence})
    suite.set("tests", str(len(checks) + len(outcomes)))
    suite.set("failures", str(sum(1 for name in checks if report.failed[name])
                              + sum(1 for outcome in outcomes if outcome.result == FAILED)))
    suite.set("skipped", str(sum(1 for outcome in outcomes if outcome.result == SKIPPED)))
    suite.set("errors", str(len(report.errors) + sum(1 for outcome in outcomes if outcome.result == ERROR)))
    for error in report.errors:
        case = ElementTree.SubElement(suite, "testcase", {"classname": "contract", "name": "run"})
        ElementTree.SubElement(case, "error", {"message": error})
    path.parent.mkdir(parents=True, exist_ok=True)
    ElementTree.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
