#!/usr/bin/env python3
"""A notification receiver for Orion's functional-test cases, written for Atrium from the outputs that the cases
expect (their REGEXPECT blocks): it keeps every request it receives, and prints them back on `GET /dump`.

    accumulator.py [--pretty-print] [--url PATH] [--mqttHost H --mqttPort P --mqttTopic T] [IP] [PORT]

- Every request (any method, any path but the control ones) is kept as
      METHOD http://HOST/PATH?QUERY
      Header-Name: value            (each header as received, in the order received, its name capitalized per word)
      (empty line)                  (the empty line and the body only when there is a body)
      body                          (indented JSON with sorted keys with --pretty-print, else as received)
      =======================================
  and answered 200 with no body; `/giveme200`, `/giveme400`, `/giveme404` and `/giveme500` answer that status and
  `/givemeDelay` answers after 10 seconds (for the timeout cases).
- With --mqttHost, the messages of the MQTT topic filter are kept too (through mosquitto_sub), as
      MQTT message at topic TOPIC:
      body
      =======================================
- Control: `GET /dump` the records, `GET /number` how many, `POST /reset` (or any method) forgets them.
"""

import argparse
import binascii
import http.server
import json
import socket
import socketserver
import subprocess
import sys
import threading
import time

SEPARATOR = "======================================="
CONTROL = {"/dump", "/number", "/reset"}
STATUS_PATHS = {"/giveme200": 200, "/giveme400": 400, "/giveme404": 404, "/giveme500": 500}

records = []
lock = threading.Lock()


def header_name(name):
    """`fiware-servicepath` and `Fiware-ServicePath` are both shown as `Fiware-Servicepath`."""
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


def render_body(raw, pretty):
    text = raw.decode("utf-8", errors="replace")
    if pretty and text.strip():
        try:
            return json.dumps(json.loads(text), indent=4, sort_keys=True, ensure_ascii=False) + "\n"
        except ValueError:
            pass
    if text and not text.endswith("\n"):
        text += "\n"
    return text


def keep(record):
    with lock:
        records.append(record)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "accumulator"
    sys_version = ""

    def log_message(self, *_):
        pass

    def answer(self, status, body=b"", content_type="text/plain"):
        self.send_response(status)
        if body:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        path = self.path.split("?", 1)[0]
        if path in CONTROL:
            if path == "/dump":
                with lock:
                    text = "".join(records)
                return self.answer(200, text.encode("utf-8"))
            if path == "/number":
                with lock:
                    count = len(records)
                return self.answer(200, str(count).encode())
            with lock:
                records.clear()
            return self.answer(200)
        host = self.headers.get("Host") or f"{self.server.server_address[0]}:{self.server.server_address[1]}"
        lines = [f"{self.command} http://{host}{self.path}\n"]
        for name, value in self.headers.items():
            lines.append(f"{header_name(name)}: {value}\n")
        if raw:
            lines.append("\n")
            lines.append(render_body(raw, self.server.pretty))
        lines.append(SEPARATOR + "\n")
        keep("".join(lines))
        if path == "/givemeDelay":
            time.sleep(10)
        self.answer(STATUS_PATHS.get(path, 200))

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class Server6(Server):
    address_family = socket.AF_INET6

    def server_bind(self):
        # localhost may be reached as ::1 or as 127.0.0.1: the wildcard address takes both
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()


def follow_mqtt(host, port, topic, pretty):
    """Keeps each message of the topic filter, read from mosquitto_sub as `topic hex-payload` lines."""
    command = ["mosquitto_sub", "-h", host, "-p", str(port), "-t", topic, "-F", "%t %x", "-q", "0"]
    while True:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        for line in process.stdout:
            line = line.decode("utf-8", errors="replace").rstrip("\n")
            topic_name, _, payload = line.partition(" ")
            try:
                raw = binascii.unhexlify(payload.strip())
            except (binascii.Error, ValueError):
                raw = payload.encode()
            keep(f"MQTT message at topic {topic_name}:\n" + render_body(raw, pretty) + SEPARATOR + "\n")
        process.wait()
        time.sleep(0.2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pretty-print", action="store_true")
    parser.add_argument("--url", default="/notify")
    parser.add_argument("--mqttHost")
    parser.add_argument("--mqttPort", type=int, default=1883)
    parser.add_argument("--mqttTopic", default="#")
    parser.add_argument("--https", action="store_true")
    parser.add_argument("--key")
    parser.add_argument("--cert")
    parser.add_argument("ip", nargs="?", default="localhost")
    parser.add_argument("port", nargs="?", type=int, default=1028)
    arguments = parser.parse_args()
    if arguments.ip.isdigit() and arguments.port == 1028:
        arguments.ip, arguments.port = "localhost", int(arguments.ip)
    ip = arguments.ip
    if ip in ("localhost", "0.0.0.0", "::", "IPV4", "IPV6", "BOTH"):
        ip = "::"
    server_class = Server6 if ":" in ip else Server
    server = server_class((ip, arguments.port), Handler)
    server.pretty = arguments.pretty_print
    if arguments.mqttHost:
        threading.Thread(target=follow_mqtt, daemon=True,
                         args=(arguments.mqttHost, arguments.mqttPort, arguments.mqttTopic,
                               arguments.pretty_print)).start()
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
