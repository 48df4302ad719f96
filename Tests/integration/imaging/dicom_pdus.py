"""Raw DICOM upper-layer PDUs and DIMSE command sets, built byte by byte, for tests that must send what no client
library sends (a PDU out of order, half a data set, an A-ABORT at a chosen point)."""

import struct

APPLICATION_CONTEXT = b"1.2.840.10008.3.1.1.1"


def associate_rq(called=b"ATRIUM", calling=b"RAW", contexts=b""):
    """A-ASSOCIATE-RQ with the DICOM application context, the given presentation context items and a 16 KiB
    maximum length."""
    body = struct.pack(">HH16s16s32x", 1, 0, called.ljust(16), calling.ljust(16))
    body += struct.pack(">BBH", 0x10, 0, len(APPLICATION_CONTEXT)) + APPLICATION_CONTEXT + contexts
    user = struct.pack(">BBHI", 0x51, 0, 4, 16384)
    body += struct.pack(">BBH", 0x50, 0, len(user)) + user
    return struct.pack(">BBI", 1, 0, len(body)) + body


def presentation_context(context_id, abstract_syntax, transfer_syntax):
    """A presentation context item of an A-ASSOCIATE-RQ with one transfer syntax."""
    body = struct.pack(">BBH", 0x30, 0, len(abstract_syntax)) + abstract_syntax
    body += struct.pack(">BBH", 0x40, 0, len(transfer_syntax)) + transfer_syntax
    return struct.pack(">BBHBBBB", 0x20, 0, 4 + len(body), context_id, 0, 0, 0) + body


def command_element(element, value):
    """One element of group 0000 in Implicit VR Little Endian; an int is a US value, bytes are padded to even."""
    if isinstance(value, int):
        value = struct.pack("<H", value)
    elif len(value) % 2:
        value += b"\x00"
    return struct.pack("<HHI", 0, element, len(value)) + value


def c_store_rq(sop_class, sop_instance, message_id=1):
    """A C-STORE-RQ command set, its group length first, announcing a data set."""
    body = b"".join([
        command_element(0x0002, sop_class), command_element(0x0100, 0x0001), command_element(0x0110, message_id),
        command_element(0x0700, 0), command_element(0x0800, 0x0000), command_element(0x1000, sop_instance),
    ])
    return command_element(0x0000, struct.pack("<I", len(body))) + body


def p_data_tf(context_id, data, is_command, is_last):
    """A P-DATA-TF with one presentation data value."""
    header = (1 if is_command else 0) | (2 if is_last else 0)
    pdv = struct.pack(">IBB", len(data) + 2, context_id, header) + data
    return struct.pack(">BBI", 4, 0, len(pdv)) + pdv


A_ABORT = struct.pack(">BBIBBBB", 7, 0, 4, 0, 0, 0, 0)
