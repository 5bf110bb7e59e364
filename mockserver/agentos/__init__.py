"""The AgentOS profile: everything the mock knows of Agno AgentOS beyond its documents.

Its sessions and runs (``sessions``, ``runs``, ``model``, ``records``, ``timestamps``), their
fixtures (``fixtures``), where they are kept (``session_store``, ``memory_session_store``,
``redis_store``, ``listing``, ``orderings``), its handlers (``handlers``) and their errors
(``errors``), which operations are AgentOS's (``operations``), its admin document
(``admin-sessions.yaml``), its contract pins (``pins``) and its check of typed answers
(``typed_answers``). ``profile.PROFILE`` plugs it into the generic mock (``mockserver.profile``);
nothing outside this package and the commands above the server imports it.
"""
