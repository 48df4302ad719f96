"""A private mosquitto broker for the MQTT notification tests, and subscribers that record what it delivers.

The broker listens on a loopback port with a configuration file of its own (anonymous access, or a password file
for the credentials tests). A subscriber is `mosquitto_sub -v -d`, read by a thread: it is ready once its SUBACK
shows, and every line `TOPIC PAYLOAD` it prints is a message."""

import getpass
import os
import pathlib
import shutil
import socket
import subprocess
import threading
import time

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


class Mosquitto:
    def __init__(self, port, folder: pathlib.Path, users=None):
        if not os.path.exists(MOSQUITTO):
            raise RuntimeError("mosquitto is not installed (scripts/test installs it)")
        self.port = port
        self.folder = folder
        # Started as root, mosquitto would switch to its own user, who cannot read the test's private folder.
        lines = [f"listener {port} 127.0.0.1", f"user {getpass.getuser()}"]
        if users:
            password_file = folder / "passwords"
            for index, (user, password) in enumerate(users.items()):
                flags = ["-b", "-c"] if index == 0 else ["-b"]
                subprocess.run(["mosquitto_passwd", *flags, str(password_file), user, password], check=True)
            lines += ["allow_anonymous false", f"password_file {password_file}"]
        else:
            lines.append("allow_anonymous true")
        config = folder / "mosquitto.conf"
        config.write_text("\n".join(lines) + "\n")
        self.log = open(folder / "mosquitto.log", "wb")
        self.process = subprocess.Popen([MOSQUITTO, "-c", str(config)], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("mosquitto did not start; see " + str(folder / "mosquitto.log"))
            time.sleep(0.05)
        self.subscribers = []

    def subscribe(self, topic, user=None, password=None):
        subscriber = Subscriber(self.port, topic, user, password)
        self.subscribers.append(subscriber)
        return subscriber

    def stop(self):
        for subscriber in self.subscribers:
            subscriber.stop()
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Subscriber:
    def __init__(self, port, topic, user, password):
        # Line-buffered, so that each line shows as it is printed.
        command = ["stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-t", topic, "-v", "-d", "-q", "2"]
        if user:
            command += ["-u", user, "-P", password]
        self.messages = []
        self.ready = threading.Event()
        self.condition = threading.Condition()
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        if not self.ready.wait(10):
            self.stop()
            raise RuntimeError("mosquitto_sub did not subscribe")

    def _read(self):
        for line in self.process.stdout:
            line = line.rstrip("\n")
            if "received SUBACK" in line:
                self.ready.set()
            elif line.startswith("Client ") or line.startswith("Subscribed"):
                continue
            else:
                with self.condition:
                    self.messages.append(line)
                    self.condition.notify_all()

    def wait_for(self, count, timeout=10.0):
        """Waits until `count` messages (`TOPIC PAYLOAD` lines) arrived and returns them."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{len(self.messages)} MQTT messages received, {count} expected")
                self.condition.wait(remaining)
            return list(self.messages)

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
