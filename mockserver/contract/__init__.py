"""``mockserver contract``: Schemathesis against a server (``runner``), what it notices beyond the
schema (``advisories``), the lifecycle checks of its inferred resources (``lifecycle``), JUnit XML
(``junit``), and the command that picks the target (``command``)."""

# Named here, light, for the command line to check ``--checks`` without loading the checks.
LIFECYCLE_CHECKS = ("create_then_read", "update_is_visible", "delete_is_final", "ids_are_stable",
                    "created_is_listed", "paging_is_truthful")
LIFECYCLE_MAX_ITEMS = 500  # a lifecycle check walks a list up to this many items (--max-items)
