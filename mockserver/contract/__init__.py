"""``mockserver contract``: Schemathesis against a server (``runner``), what it notices beyond the
schema (``advisories``), JUnit XML (``junit``), and the command that picks the target (``command``)."""
