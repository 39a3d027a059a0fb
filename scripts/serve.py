#!/usr/bin/env python3
"""Serve a folder (default: www/) on http://127.0.0.1:PORT for the demo.

Standard library only. Sends the MIME types browsers insist on for ES
modules and WebAssembly streaming compilation (application/wasm,
text/javascript) whatever the machine's /etc/mime.types says, and
Cache-Control: no-store so a rebuilt pkg/ is always picked up.

    python3 scripts/serve.py [--dir www] [--port 8080] [--host 127.0.0.1]

PORT and HOST environment variables set the defaults.
"""
import argparse
import functools
import http.server
import os
import sys

TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".map": "application/json",
}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, fmt, *args):
        sys.stderr.write("serve: %s %s\n" % (self.address_string(), fmt % args))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--dir", default=os.path.join(here, "..", "www"))
    ap.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8080))
    ap.add_argument("--host", default=os.environ.get("HOST") or "127.0.0.1")
    args = ap.parse_args()

    root = os.path.abspath(args.dir)
    if not os.path.isdir(root):
        sys.exit(f"serve: no such folder: {root}")
    handler = functools.partial(Handler, directory=root)
    try:
        httpd = http.server.ThreadingHTTPServer((args.host, args.port), handler)
    except OSError as e:
        sys.exit(f"serve: cannot listen on {args.host}:{args.port}: {e.strerror} "
                 f"(try PORT=8081 make demo)")
    print(f"serve: {root} at http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
