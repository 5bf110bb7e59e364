"""``mockserver validate``: findings on an OpenAPI document (``checks``), where its examples are
(``examples``), and the command that prints them (``command``)."""
