"""The explorer's local web server: a small JSON API and the static page, on 127.0.0.1 only.

Routes (GET only):

* ``/`` — the page (``static/index.html``); it reads initial levels from its query string;
* ``/static/<file>`` — the page's script and style sheet, and ``plotly.min.js`` served from the
  installed ``plotly`` package (nothing is fetched from the internet);
* ``/api/model`` — the model and its controls (:meth:`Explorer.describe`);
* ``/api/evaluate?bond=1&procurement=0.1`` — :meth:`Explorer.evaluate` of those levels;
* ``/api/export?...`` — the design of those levels as a model-file table (TOML text).

A bad level is answered with HTTP 400 and ``{"error": <the InvalidParameterError message>}``.
"""

from __future__ import annotations

import json
import threading
import webbrowser
from functools import cache, lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlsplit

from ..errors import CoordgapError
from .core import Explorer

__all__ = ["ExplorerServer", "make_server", "serve", "HOST"]

#: The only interface the explorer listens on: the page is for the user of this computer.
HOST = "127.0.0.1"

_STATIC = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
}


@cache
def _static(name: str) -> bytes:
    return resources.files("coordgap.explore").joinpath("static", name).read_bytes()


@lru_cache(maxsize=1)
def _plotly_js() -> bytes | None:
    """plotly.js from the installed ``plotly`` package (the ``explore`` extra), or None."""
    try:
        from plotly.offline import get_plotlyjs
    except ImportError:
        return None
    return get_plotlyjs().encode("utf-8")


_NO_PLOTLY = (
    b"/* plotly is not installed: pip install 'coordgap[explore]' to draw the chart */\n"
    b"window.COORDGAP_NO_PLOTLY = true;\n"
)


class _Handler(BaseHTTPRequestHandler):
    """The explorer's routes (GET and HEAD); see the module docstring."""

    server: ExplorerServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, payload: object) -> None:
        body = json.dumps(payload, allow_nan=False).encode("utf-8")
        self._send(status, body, "application/json; charset=utf-8")

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        path = url.path
        try:
            query = parse_qs(url.query, keep_blank_values=True, strict_parsing=False)
        except ValueError as exc:
            self._json(HTTPStatus.BAD_REQUEST, {"error": f"bad query string: {exc}"})
            return
        explorer = self.server.explorer
        try:
            if path in ("/", "/index.html"):
                self._send(HTTPStatus.OK, _static("index.html"), _STATIC["index.html"])
            elif path == "/static/plotly.min.js":
                body = _plotly_js()
                self._send(HTTPStatus.OK, body or _NO_PLOTLY, _STATIC["app.js"])
            elif path.startswith("/static/") and path[len("/static/") :] in _STATIC:
                name = path[len("/static/") :]
                self._send(HTTPStatus.OK, _static(name), _STATIC[name])
            elif path == "/api/model":
                self._json(HTTPStatus.OK, explorer.describe())
            elif path == "/api/evaluate":
                with self.server.lock:  # one evaluation at a time: the solver is CPU-bound
                    out = explorer.evaluate(query)
                self._json(HTTPStatus.OK, out)
            elif path == "/api/export":
                text = explorer.evaluate(query)["toml"] + "\n"
                self._send(HTTPStatus.OK, text.encode("utf-8"), "text/plain; charset=utf-8")
            elif path == "/favicon.ico":
                self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
            else:
                self._json(HTTPStatus.NOT_FOUND, {"error": f"no such page: {path}"})
        except CoordgapError as exc:  # InvalidParameterError: a bad level
            self._json(HTTPStatus.BAD_REQUEST, {"error": str(exc)})


class ExplorerServer(ThreadingHTTPServer):
    """A threading HTTP server holding one :class:`Explorer`.

    Parameters
    ----------
    explorer : Explorer
        The model and its controls.
    port : int, optional
        TCP port on 127.0.0.1 (default 0: a free port chosen by the system).
    verbose : bool, optional
        Log every request to standard error (default False).

    Examples
    --------
    >>> server = ExplorerServer(Explorer.from_model())
    >>> server.server_address[0], server.url.startswith("http://127.0.0.1:")
    ('127.0.0.1', True)
    >>> server.server_close()
    """

    daemon_threads = True
    #: The request handler class (a subclass may add routes).
    handler_class: type[BaseHTTPRequestHandler] = _Handler

    def __init__(self, explorer: Explorer, port: int = 0, verbose: bool = False):
        self.explorer = explorer
        self.verbose = verbose
        self.lock = threading.Lock()
        super().__init__((HOST, port), self.handler_class)

    @property
    def url(self) -> str:
        """The page's address, e.g. ``http://127.0.0.1:8050/``."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"


def make_server(model=None, port: int = 0, verbose: bool = False) -> ExplorerServer:
    """A server of the explorer of a model file, bound to 127.0.0.1 (not yet serving).

    Parameters
    ----------
    model : str or Path, optional
        TOML model file (default: the packaged model).
    port : int, optional
        TCP port (default 0: a free one).
    verbose : bool, optional
        Log every request.

    Returns
    -------
    ExplorerServer
        Call ``serve_forever()`` (e.g. in a thread) and ``shutdown()``/``server_close()``.

    Examples
    --------
    >>> server = make_server()
    >>> server.explorer.controls[0].key
    'bond'
    >>> server.server_close()
    """
    return ExplorerServer(Explorer.from_model(model), port=port, verbose=verbose)


def serve(
    model=None, port: int = 8050, open_browser: bool = True, *, verbose: bool = False
) -> None:  # pragma: no cover (runs until interrupted; the tests drive ExplorerServer)
    """Serve the explorer until interrupted, opening it in the default browser.

    Parameters
    ----------
    model : str, Path or Explorer, optional
        TOML model file (default: the packaged model), or an explorer already built.
    port : int, optional
        TCP port on 127.0.0.1 (default 8050; 0 picks a free one).
    open_browser : bool, optional
        Open the page in the system's web browser (default True).
    verbose : bool, optional
        Log every request to standard error.
    """
    explorer = model if isinstance(model, Explorer) else Explorer.from_model(model)
    server = ExplorerServer(explorer, port=port, verbose=verbose)
    print(f"coordgap explore: model {explorer.spec.name!r} at {server.url}", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    if open_browser:
        threading.Timer(0.3, webbrowser.open, args=(server.url,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("coordgap explore: stopped", flush=True)
    finally:
        server.server_close()
