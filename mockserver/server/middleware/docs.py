"""The docs page: Swagger UI 5 (which renders OpenAPI 3.1) at ``/docs``, served offline.

``DocsPage.answer`` (called by the ``Admission``) answers GET and HEAD for ``/docs`` (the page),
``/docs/openapi/N/NAME`` (each served document's bytes, unchanged; the first also at
``/docs/openapi.yaml``), ``/docs/openapi/N/PATH`` for the files a document written over many
files refers to (by their path from the document's directory: where Swagger UI looks for them;
only those the mock read, all checked to be inside that directory) and ``/docs/static/<name>``
(files of the Swagger UI bundle vendored by the ``swagger-ui-bundle-v2`` package, looked up in a
whitelist made at start, so no path escapes it), and leaves everything else to the API. "Try it
out" targets the page's own origin, as the spec has no servers. No CDN: the page works offline.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import anyio.to_thread
from starlette.types import Scope, Send
from swagger_ui_bundle import swagger_ui_path

BUNDLE_DIR = Path(str(swagger_ui_path))
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".map": "application/json", ".png": "image/png",
}
# The bundle's demo page and initializer would load petstore.swagger.io: never served.
EXCLUDED = frozenset({"index.html", "swagger-initializer.js"})
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{static}/swagger-ui.css">
<link rel="icon" type="image/png" href="{static}/favicon-32x32.png">
</head><body><div id="swagger-ui"></div>
<script src="{static}/swagger-ui-bundle.js" charset="utf-8"></script>
<script src="{static}/swagger-ui-standalone-preset.js" charset="utf-8"></script>
<script>
window.ui = SwaggerUIBundle({{{source}, dom_id: "#swagger-ui", deepLinking: true,
  tryItOutEnabled: true, validatorUrl: null, {layout}}});
</script></body></html>
"""
# One document: the plain page. Several: the standalone layout, whose top bar picks a document.
ONE = 'presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"'
SEVERAL = 'presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout"'


class DocsPage:
    """Swagger UI for ``spec_paths`` under ``prefix``.

    Document ``i`` is served at ``{prefix}/openapi/{i}/{file name}``, the first also at
    ``{prefix}/openapi.yaml``.
    """

    def __init__(self, spec_paths: tuple[Path, ...], prefix: str = "/docs", title: str = "API docs",
                 referred: tuple[tuple[Path, ...], ...] = ()) -> None:
        self.prefix = prefix.rstrip("/")
        self.referred = {f"{self.prefix}/openapi/{index}/{relative.as_posix()}": file
                         for index, (path, files) in enumerate(zip(spec_paths, referred, strict=False))
                         for file in files
                         for relative in [Path(os.path.relpath(file, Path(path).parent))]
                         if ".." not in relative.parts}
        self.static = {p.name: p for p in BUNDLE_DIR.iterdir()
                       if p.is_file() and p.suffix in CONTENT_TYPES and p.name not in EXCLUDED}
        self.documents = {f"{self.prefix}/openapi/{index}/{path.name}": Path(path)
                          for index, path in enumerate(spec_paths)}
        self.documents[f"{self.prefix}/openapi.yaml"] = Path(spec_paths[0])
        urls = [{"url": url, "name": path.name} for url, path in list(self.documents.items())[:-1]]
        source = (f"url: {_script_json(urls[0]['url'])}" if len(urls) == 1
                  else f"urls: {_script_json(urls)}")
        static = html.escape(self.prefix + "/static")
        self.page = PAGE.format(title=html.escape(title), static=static, source=source,
                                layout=ONE if len(urls) == 1 else SEVERAL).encode()

    async def answer(self, scope: Scope, send: Send) -> bool:
        """Answer an HTTP request for the docs; False, having sent nothing, for any other."""
        path: str = scope["path"]
        if not path.startswith(self.prefix) or scope["method"] not in ("GET", "HEAD"):
            return False
        if path in (self.prefix, self.prefix + "/"):
            await _respond(scope, send, 200, "text/html; charset=utf-8", self.page)
            return True
        document = self.documents.get(path) or self.referred.get(path)
        if document is not None:
            body = await anyio.to_thread.run_sync(document.read_bytes)
            kind = "application/yaml" if document.suffix in (".yaml", ".yml", ".json") else "text/plain"
            await _respond(scope, send, 200, kind, body, "no-cache")
            return True
        if not path.startswith(self.prefix + "/static/"):
            return False
        file = self.static.get(path[len(self.prefix + "/static/"):])
        if file is None:
            await _respond(scope, send, 404, "text/plain; charset=utf-8", b"Not Found")
        else:
            body = await anyio.to_thread.run_sync(file.read_bytes)
            await _respond(scope, send, 200, CONTENT_TYPES[file.suffix], body, "public, max-age=86400")
        return True


def _script_json(value: object) -> str:
    """``value`` as JSON that is safe inside a <script> element."""
    return json.dumps(value).replace("<", "\\u003c")


async def _respond(scope: Scope, send: Send, status: int, content_type: str, body: bytes,
                   cache: str = "no-store") -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode()),
               (b"cache-control", cache.encode()), (b"x-content-type-options", b"nosniff")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
