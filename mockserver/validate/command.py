"""Print a ``validate`` report as text or JSON and turn it into an exit status."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import TextIO

from mockserver.config import Config
from mockserver.errors import SpecError, UnusableInput
from mockserver.validate.checks import check_documents
from mockserver.validate.report import iter_lines

EXIT_CLEAN, EXIT_ERRORS = 0, 1  # and UnusableInput's 2, when the document cannot be read


def validate(config: Config, *, fixtures: bool, output_format: str, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        report = check_documents(config.specs, config.fixtures_dir if fixtures else None, config.profile,
                                 config.webhooks_file)
    except SpecError as exc:
        raise UnusableInput(str(exc)) from None
    if output_format == "json":
        document = {"specs": [str(path) for path in report.specs], "errors": report.errors,
                    "checked": report.checked, "findings": [asdict(f) for f in report.findings],
                    "served": [asdict(f) for f in report.served]}
        json.dump(document, out, indent=2)
        out.write("\n")
    else:
        for line in iter_lines(report):
            print(line, file=out)
    return EXIT_ERRORS if report.errors else EXIT_CLEAN
