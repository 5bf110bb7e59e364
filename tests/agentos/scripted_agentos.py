"""Start a real Agno AgentOS (agno 2.3.17) whose agents, teams and workflows run on run scripts.

The components are those of the fixture directory, built by ``scripted_components.build`` on
``ScriptedModel``s (scripted_model.py) following the scripts file (``--scripts``, the format of
``fixtures/scripts.yaml``; issue 21; a missing file: every component gives the default reply).
Scripted ``reasoning`` steps are the model's reasoning_content deltas, as a native reasoning model
gives them (``--reasoning content``, the default) or, with ``--reasoning agent``, an agent whose
script gives ``reasoning`` anywhere is an agno reasoning agent (``reasoning=True``: its scripted
model answers the reasoning agent's ReasoningSteps, so every run of it reasons). Every db id is a
SqliteDb file in ``--db-dir`` (emptied at start). No network, no model provider, telemetry off.
Prints ``agentos listening on http://HOST:PORT`` once uvicorn accepts connections; serves until
SIGTERM or SIGINT, then exits 0.

    python tests/agentos/scripted_agentos.py --db-dir DIR [--scripts FILE] [--fixtures DIR] [--port 0]
        [--reasoning content|agent]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script: the checkout's tests package
from tests.agentos.agentos_server import serve_announced  # noqa: E402
from tests.agentos.scripted_components import build  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--db-dir", type=Path, required=True, help="one SQLite file per db id (replaced)")
    parser.add_argument("--fixtures", type=Path, default=ROOT / "fixtures")
    parser.add_argument("--scripts", type=Path, default=ROOT / "fixtures" / "scripts.yaml")
    parser.add_argument("--reasoning", choices=("content", "agent"), default="content",
                        help="scripted reasoning as the model's reasoning_content (a native reasoning model; "
                             "default) or as agno's reasoning agent (reasoning=True: Reasoning* events)")
    return parser.parse_args(argv)




def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["AGNO_TELEMETRY"] = "false"
    os.environ.pop("OS_SECURITY_KEY", None)
    from agno.os import AgentOS

    args.db_dir.mkdir(parents=True, exist_ok=True)
    # No scripts file: every component gives the default reply.
    scripts = ((yaml.safe_load(args.scripts.read_text()) or {}).get("scripts") or {}) if args.scripts.exists() else {}
    components = build(args.fixtures, scripts, args.db_dir, args.reasoning)
    app = AgentOS(agents=components["agents"], teams=components["teams"], workflows=components["workflows"],
                  telemetry=False).get_app()
    return serve_announced(app, args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
