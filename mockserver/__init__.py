"""mockserver: a spec-first mock and contract-test server for the Agno AgentOS sessions API."""

import warnings

# Connexion 3.3 imports starlette.testclient at import time, which warns about httpx on every
# start. The mock does not use that client at run time; the warning only confuses users.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

__version__ = "0.1.0"
