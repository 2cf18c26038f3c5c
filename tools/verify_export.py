#!/usr/bin/python3
"""Verify an export of the placement ledger's log offline.

Usage:  verify_export.py FILE.jsonl      (or "-" for stdin)

The input is what `placectl audit export` writes: JSON Lines, one event per line, each with at
least `position`, `prev_hash` (hex), `hash` (hex) and `envelope_bytes` (base64). For every line
this script checks, trusting nothing else in the file:

  1. positions are consecutive (the first line may start anywhere; position 1 must link to the
     genesis hash, 32 zero bytes);
  2. `prev_hash` equals the previous line's `hash` (for the first line of a partial export, it is
     taken as the anchor);
  3. `hash` == SHA-256(prev_hash || envelope_bytes), recomputed here;
  4. the `position` and `prev_hash` fields recorded *inside* the envelope bytes (protobuf fields 1
     and 10 of placement.v1.EventEnvelope) equal the line's, so the readable fields cannot be
     edited apart from the hashed bytes.

It prints "OK: N events, positions A..B, head hash H" and exits 0, or prints the first position
that breaks and why and exits 3 (2 for a file it cannot read). Python 3 standard library only.
"""

import base64
import binascii
import hashlib
import json
import sys

GENESIS = bytes(32)


class Broken(Exception):
    def __init__(self, position, problem):
        super().__init__(f"BROKEN at position {position}: {problem}")
        self.position = position
        self.problem = problem


def read_varint(data, at):
    value = 0
    shift = 0
    while True:
        if at >= len(data) or shift > 63:
            raise ValueError("truncated varint")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def envelope_fields(data):
    """Position (field 1) and prev_hash (field 10) of a serialised EventEnvelope."""
    position, prev_hash = 0, b""
    at = 0
    while at < len(data):
        key, at = read_varint(data, at)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, at = read_varint(data, at)
            if number == 1:
                position = value
        elif wire_type == 2:
            length, at = read_varint(data, at)
            if at + length > len(data):
                raise ValueError("truncated field")
            if number == 10:
                prev_hash = data[at:at + length]
            at += length
        elif wire_type == 1:
            at += 8
        elif wire_type == 5:
            at += 4
        else:
            raise ValueError(f"unsupported wire type {wire_type}")
    if at != len(data):
        raise ValueError("truncated field")
    return position, prev_hash


def verify(lines):
    """Returns (count, first, last, head_hash); raises Broken at the first break."""
    expected = None
    prev = None
    count = 0
    first = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = expected if expected is not None else f"line {number}"
        try:
            event = json.loads(line)
            position = int(event["position"])
            prev_hash = bytes.fromhex(event["prev_hash"])
            stored_hash = bytes.fromhex(event["hash"])
            envelope = base64.b64decode(event["envelope_bytes"], validate=True)
        except (ValueError, KeyError, TypeError, binascii.Error) as error:
            raise Broken(where, f"line {number} is not a valid export record ({error})")
        if expected is None:
            expected = position
            first = position
            prev = GENESIS if position == 1 else prev_hash
        if position != expected:
            raise Broken(expected, f"event missing: the next line names position {position}")
        if prev_hash != prev:
            raise Broken(position, "prev_hash does not link to the previous event's hash")
        if hashlib.sha256(prev + envelope).digest() != stored_hash:
            raise Broken(position, "hash does not match the envelope bytes (the event was altered)")
        try:
            inner_position, inner_prev = envelope_fields(envelope)
        except ValueError as error:
            raise Broken(position, f"envelope bytes do not parse ({error})")
        if inner_position != position or inner_prev != prev_hash:
            raise Broken(position, "the envelope bytes name another position or prev_hash than the line")
        prev = stored_hash
        expected += 1
        count += 1
    return count, first, (expected - 1 if expected is not None else None), prev


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr if len(argv) != 2 else sys.stdout)
        return 2 if len(argv) != 2 else 0
    try:
        stream = sys.stdin if argv[1] == "-" else open(argv[1], encoding="utf-8")
    except OSError as error:
        print(f"verify_export: cannot read {argv[1]}: {error.strerror}", file=sys.stderr)
        return 2
    with stream:
        try:
            count, first, last, head = verify(stream)
        except Broken as broken:
            print(broken)
            return 3
    if count == 0:
        print("OK: 0 events (empty export)")
    else:
        print(f"OK: {count} events, positions {first}..{last}, head hash {head.hex()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
