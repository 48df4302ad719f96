"""A notification receiver for the broker's end-to-end tests: an HTTP server on a loopback port that records
every request it gets (method, path, query, headers in order, body) and answers with a status the test sets."""

import http.server
import threading
import time
import urllib.parse


class Received:
    """One recorded request."""

    def __init__(self, method, target, headers, body):
        parsed = urllib.parse.urlsplit(target)
        self.method = method
        self.path = parsed.path
        self.query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        self.headers = headers
        self.body = body

    def header(self, name):
        """The value of the header `name` (case-insensitive), or None."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def text(self):
        return self.body.decode("utf-8")


class Receiver:
    """A running receiver: `url` to notify, `requests` recorded, `status` and `delay` of its answers."""

    def __init__(self, port):
        self.requests = []
        self.status = 200
        self.delay = 0.0
        self.condition = threading.Condition()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver.condition:
                    receiver.requests.append(Received(self.command, self.path, list(self.headers.items()), body))
                    receiver.condition.notify_all()
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_PUT = do_PATCH = do_GET = do_DELETE = handle_any

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, count, timeout=10.0):
        """Waits until `count` requests are recorded and returns them all; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while len(self.requests) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{len(self.requests)} notifications received, {count} expected")
                self.condition.wait(remaining)
            return list(self.requests)

    def quiet_for(self, seconds):
        """Waits `seconds` and returns what was recorded: for checking that nothing more arrives."""
        time.sleep(seconds)
        with self.condition:
            return list(self.requests)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
