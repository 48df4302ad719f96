#!/usr/bin/env python3
"""`orionCurl` as Orion's functional-test cases call it: the options they pass, and the output their expected
sections are written against (curl's dumped response headers without `Connection` lines, then the body printed
as indented JSON with sorted keys, or as received with `--noPayloadCheck` and non-JSON `--out`).

Two quirks of the original command are part of what the cases expect and are reproduced: the payload given as
text goes through an unquoted shell `echo` (runs of white space become one space) and curl's `-d @file` (line
breaks removed); the response body goes through an unquoted `echo` before it is parsed.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

ACCEPT_NAMES = {"application/xml": "xml", "application/json": "json", "text/plain": "text"}
CONTENT_TYPE_NAMES = {"application/xml": "xml", "application/json": "json"}


def parse(arguments):
    """The options of one call; anything the command does not know goes to curl as it is."""
    options = {"host": "localhost", "port": os.environ.get("CB_PORT", "9999"), "url": "", "urlParams": "",
               "method": None, "payload": "", "noPayloadCheck": False, "forcedNoPayloadCheck": False,
               "payloadCheck": "", "headers": [], "in": "", "out": "", "extra": []}
    named_headers = {"--servicePath": "Fiware-ServicePath", "--tenant": "Fiware-Service", "--origin": "Origin",
                     "--correlator": "Fiware-Correlator", "--xauthToken": "X-Auth-Token"}
    header_slots = {}
    index = 0
    while index < len(arguments):
        flag = arguments[index]
        value = arguments[index + 1] if index + 1 < len(arguments) else ""
        takes_value = True
        if flag in ("--host", "--port", "--url", "--urlParams", "--payload", "--in", "--out"):
            options[flag[2:]] = value
        elif flag == "-X":
            options["method"] = value
        elif flag == "--payloadCheck":
            options["payloadCheck"] = value
            options["noPayloadCheck"] = False
        elif flag in named_headers:
            header_slots[flag] = f"{named_headers[flag]}: {value}"
        elif flag in ("-H", "--header"):
            options["headers"].append(value)
        else:
            takes_value = False
            if flag == "--json":
                # Older cases: JSON in and out.
                options["in"], options["out"] = "json", "json"
            elif flag == "--noPayloadCheck":
                options["noPayloadCheck"] = True
                options["forcedNoPayloadCheck"] = True
            elif flag not in ("-v", "--verbose", "--debug", "-d"):
                options["extra"].append(flag)
        index += 2 if takes_value else 1
    options["named"] = header_slots
    return options


def command(options, payload_file):
    """The curl command line, its headers in the order the original puts them."""
    content_type = "Content-Type: application/json" if options["payload"] else None
    accept = "Accept: application/json"
    check = "json"
    no_check = options["noPayloadCheck"]

    given_in = CONTENT_TYPE_NAMES.get(options["in"], options["in"])
    given_out = ACCEPT_NAMES.get(options["out"], options["out"])
    if given_in == "xml":
        content_type = "Content-Type: application/xml"
    elif given_in == "json":
        content_type = "Content-Type: application/json"
    elif given_in == "text":
        content_type = "Content-Type: text/plain"
    elif given_in:
        content_type = f"Content-Type: {given_in}"

    if given_out in ("xml", "json"):
        accept = f"Accept: application/{given_out}"
    elif given_out == "text":
        accept, no_check = "Accept: text/plain", True
    elif given_out == "any":
        accept, no_check = "Accept: */*", True
    elif given_out == "EMPTY":
        accept = "Accept:"
    elif given_out:
        accept, no_check = f"Accept: {given_out}", False

    if options["payloadCheck"]:
        check, no_check = options["payloadCheck"], False
    if options["forcedNoPayloadCheck"]:
        no_check = True

    url = f"{options['host']}:{options['port']}{options['url']}"
    if options["urlParams"]:
        url += "?" + options["urlParams"]
    line = ["curl", url]
    if payload_file:
        line += ["-d", "@" + payload_file]
    if options["method"]:
        line += ["-X", options["method"]]
    named = options["named"]
    for flag in ("--tenant", "--servicePath"):
        if flag in named:
            line += ["--header", named[flag]]
    if content_type:
        line += ["--header", content_type]
    line += ["--header", accept]
    for flag in ("--origin", "--correlator", "--xauthToken"):
        if flag in named:
            line += ["--header", named[flag]]
    for header in options["headers"]:
        line += ["--header", header]
    line += options["extra"]
    line += ["--header", "Expect:", "-s", "-S"]
    return line, check, no_check


def unquoted_echo(text):
    """What `echo $text` prints: the words of the text separated by one space, and a line break."""
    return " ".join(text.split()) + "\n"


def reject_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError("duplicate key: %r" % (key,))
        seen[key] = value
    return seen


def main():
    options = parse(sys.argv[1:])
    if not options["url"]:
        print("No URL")
        return 1
    with tempfile.TemporaryDirectory(prefix="orion-curl-") as scratch:
        payload_file = None
        if options["payload"]:
            if os.path.isfile(options["payload"]):
                payload_file = options["payload"]
            else:
                payload_file = os.path.join(scratch, "payload")
                with open(payload_file, "w", encoding="utf-8", errors="surrogateescape") as out:
                    out.write(unquoted_echo(options["payload"]))
        headers_file = os.path.join(scratch, "headers")
        line, check, no_check = command(options, payload_file)
        line += ["--dump-header", headers_file]
        body = subprocess.run(line, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        out = sys.stdout.buffer
        if not os.path.exists(headers_file):
            out.write(b"Broker seems to have died ...\n")
        else:
            with open(headers_file, "rb") as dumped:
                for header in dumped.read().splitlines(keepends=True):
                    if any(word in header for word in (b"Connection: Keep-Alive", b"Connection: close",
                                                       b"Connection: Close")):
                        continue
                    out.write(header)
        # What the cases find in $_response afterwards: the body as received, or as printed when it was checked.
        response = body.rstrip(b"\n")
        if no_check:
            out.write(body + b"\n")
        elif response:
            if check in ("json", ""):
                text = unquoted_echo(body.decode("utf-8", errors="surrogateescape"))
                try:
                    document = json.loads(text, object_pairs_hook=reject_duplicates)
                    printed = json.dumps(document, indent=4, sort_keys=True)
                except ValueError as error:
                    printed = str(error)
                response = printed.encode("utf-8", errors="surrogateescape")
                out.write(response + b"\n")
        out.flush()
        if os.environ.get("ATRIUM_OFT_RESPONSE"):
            with open(os.environ["ATRIUM_OFT_RESPONSE"], "wb") as saved:
                saved.write(response)
            # and the response headers, which the cases find in $_responseHeaders (a Location, to read an id)
            if os.path.exists(headers_file):
                shutil.copyfile(headers_file, os.environ["ATRIUM_OFT_RESPONSE"] + ".headers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
