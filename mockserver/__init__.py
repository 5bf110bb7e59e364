"""mockserver: a spec-first, stateful mock and contract-test server for any OpenAPI 3.0 or 3.1
document, with the Agno AgentOS API as a profile (``mockserver.agentos``)."""

import warnings

# Connexion 3.3 imports starlette.testclient at import time, which warns about httpx on every
# start. The mock does not use that client at run time; the warning only confuses users.
warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

__version__ = "0.1.0"
