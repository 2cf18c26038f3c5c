#!/usr/bin/python3
"""Offline checks of the placement ledger's proofs, from files and public keys alone.

Standard library plus Debian's python3-cryptography (Ed25519). See docs/AUDIT.md.

  verify_proofs.py checkpoint NOTE --log-key VKEY [--witness-key VKEY ...] [--witnesses-required K]
  verify_proofs.py inclusion PROOF.json --checkpoint NOTE --log-key VKEY [witness options]
  verify_proofs.py consistency PROOF.json --old NOTE --new NOTE --log-key VKEY [witness options]
  verify_proofs.py receipt RECEIPT.json --log-key VKEY [witness options]

NOTE is a signed checkpoint (C2SP tlog-checkpoint). VKEY is a C2SP verifier key
"<name>+<key id hex>+<base64(type || public key)>": type 1 for the log, type 4 (cosignature/v1)
for witnesses. PROOF.json and RECEIPT.json are what `placectl audit prove | consistency |
receipt --output` write (protobuf JSON, field names as in protos/placement/v1/proof_service.proto).

Exit 0 when everything verifies, 3 when something does not (the reason is printed), 2 for
unusable input.
"""

import argparse
import base64
import binascii
import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

EM_DASH = "\u2014 "


class Broken(Exception):
    """Something does not verify."""


class Unusable(Exception):
    """The input is not what this tool reads."""


def b64(text):
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise Unusable(f"not base64: {text!r}") from error


def sha256(data):
    return hashlib.sha256(data).digest()


# ---- RFC 6962 / RFC 9162 ----

def leaf_hash(leaf):
    return sha256(b"\x00" + leaf)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def check_inclusion(index, size, leaf_digest, path, root):
    """RFC 9162 2.1.3.2."""
    if index >= size:
        raise Broken("the leaf index is not below the tree size")
    fn, sn, r = index, size - 1, leaf_digest
    for p in path:
        if sn == 0:
            raise Broken("the inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Broken("the inclusion proof is shorter than the tree is deep")
    if r != root:
        raise Broken("the inclusion proof does not lead to the checkpoint's root hash")


def check_consistency(old_size, new_size, old_root, new_root, proof):
    """RFC 9162 2.1.4.2."""
    if old_size == 0 or old_size > new_size:
        raise Broken("the sizes are not 0 < old <= new")
    if old_size == new_size:
        if proof or old_root != new_root:
            raise Broken("equal sizes need an empty proof and equal roots")
        return
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    if not path:
        raise Broken("the consistency proof is empty")
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise Broken("the consistency proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Broken("the consistency proof is shorter than the tree is deep")
    if fr != old_root:
        raise Broken("the consistency proof does not lead to the old checkpoint's root: history was rewritten")
    if sr != new_root:
        raise Broken("the consistency proof does not lead to the new checkpoint's root")


# ---- C2SP signed-note, tlog-checkpoint, tlog-cosignature ----

class VerifierKey:
    def __init__(self, text):
        parts = text.strip().split("+", 2)
        if len(parts) != 3:
            raise Unusable(f"a verifier key is <name>+<key id>+<base64 key>: {text!r}")
        self.name, key_id_hex, material = parts[0], parts[1], b64(parts[2])
        if len(material) != 33 or material[0] not in (1, 4):
            raise Unusable(f"{self.name}: not an Ed25519 (type 1) or cosignature/v1 (type 4) key")
        self.type, self.public = material[0], material[1:]
        self.key_id = sha256(self.name.encode() + b"\n" + bytes([self.type]) + self.public)[:4]
        if self.key_id.hex() != key_id_hex:
            raise Unusable(f"{self.name}: the key id does not match the name and key")

    def verifies(self, signature, message):
        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
            return True
        except InvalidSignature:
            return False


def parse_note(text):
    if not text.endswith("\n") or "\n\n" not in text:
        raise Unusable("not a signed note (text, blank line, signature lines)")
    split = text.rindex("\n\n")
    body, signatures = text[: split + 1], []
    for line in text[split + 2:].splitlines():
        if not line.startswith(EM_DASH):
            raise Unusable(f"not a signature line: {line!r}")
        name, _, blob = line[len(EM_DASH):].partition(" ")
        raw = b64(blob)
        if len(raw) < 5:
            raise Unusable("a signature shorter than its key id")
        signatures.append((name, raw[:4], raw[4:]))
    return body, signatures


def parse_checkpoint(body):
    lines = body.split("\n")
    if len(lines) < 4 or not lines[0]:
        raise Unusable("a checkpoint is origin, size and root hash lines")
    size = lines[1]
    if not size.isdigit() or (len(size) > 1 and size[0] == "0"):
        raise Unusable("a checkpoint's size is not decimal")
    root = b64(lines[2])
    if len(root) != 32:
        raise Unusable("a checkpoint's root hash is not 32 bytes")
    return lines[0], int(size), root


def verify_checkpoint(text, log_key, witnesses, required):
    """The log's signature and `required` distinct witnesses' cosignatures; (origin, size, root)."""
    body, signatures = parse_note(text)
    origin, size, root = parse_checkpoint(body)
    log_signed, cosigned = False, set()
    for name, key_id, signature in signatures:
        if name == log_key.name and key_id == log_key.key_id and log_key.verifies(signature, body.encode()):
            log_signed = True
        for witness in witnesses:
            if name != witness.name or key_id != witness.key_id or len(signature) != 72:
                continue
            timestamp = int.from_bytes(signature[:8], "big")
            message = f"cosignature/v1\ntime {timestamp}\n".encode() + body.encode()
            if timestamp < 2**63 and witness.verifies(signature[8:], message):
                cosigned.add(witness.name)
    if not log_signed:
        raise Broken(f"the checkpoint is not signed by the log key {log_key.name}")
    if len(cosigned) < required:
        raise Broken(f"the checkpoint is cosigned by {len(cosigned)} of the given witnesses, {required} required")
    return origin, size, root, sorted(cosigned)


# ---- commands ----

def read(path):
    with open(path, encoding="utf-8") as file:
        return file.read()


def trust(args):
    log_key = VerifierKey(args.log_key)
    if log_key.type != 1:
        raise Unusable("--log-key must be a type 1 (Ed25519 signed-note) key")
    witnesses = [VerifierKey(text) for text in args.witness_key]
    if any(w.type != 4 for w in witnesses):
        raise Unusable("--witness-key must be type 4 (cosignature/v1) keys")
    if args.witnesses_required > len(witnesses):
        raise Unusable("--witnesses-required is more than the witness keys given")
    return log_key, witnesses, args.witnesses_required


def command_checkpoint(args):
    origin, size, root, cosigned = verify_checkpoint(read(args.note), *trust(args))
    print(f"OK: checkpoint of {origin}, tree size {size}, root {root.hex()}, cosigned by {cosigned or 'none'}")


def command_inclusion(args):
    _, size, root, _ = verify_checkpoint(read(args.checkpoint), *trust(args))
    proof = json.loads(read(args.proof))
    position, tree_size = int(proof["position"]), int(proof["tree_size"])
    if tree_size != size:
        raise Broken(f"the proof is for tree size {tree_size}, the checkpoint for {size}")
    check_inclusion(position - 1, size, leaf_hash(b64(proof["leaf"])), [b64(p) for p in proof.get("path", [])], root)
    print(f"OK: the event at position {position} is in the tree of size {size}")


def command_consistency(args):
    keys = trust(args)
    _, old_size, old_root, _ = verify_checkpoint(read(args.old), *keys)
    _, new_size, new_root, _ = verify_checkpoint(read(args.new), *keys)
    proof = json.loads(read(args.proof))
    if int(proof["from_size"]) != old_size or int(proof["to_size"]) != new_size:
        raise Broken("the proof's sizes are not the two checkpoints'")
    check_consistency(old_size, new_size, old_root, new_root, [b64(p) for p in proof.get("proof", [])])
    print(f"OK: the tree of size {new_size} extends the tree of size {old_size}")


def command_receipt(args):
    receipt = json.loads(read(args.receipt))
    if receipt.get("format") != "placement-receipt/1":
        raise Unusable("not a placement-receipt/1 file")
    _, size, root, cosigned = verify_checkpoint(receipt["checkpoint"], *trust(args))
    if int(receipt["tree_size"]) != size:
        raise Broken("the receipt's tree size is not its checkpoint's")
    events = receipt.get("events", [])
    if not events:
        raise Broken("the receipt holds no event")
    for event in events:
        position = int(event["position"])
        check_inclusion(position - 1, size, leaf_hash(b64(event["leaf"])),
                        [b64(p) for p in event.get("inclusion_path", [])], root)
    line = receipt.get("settlement_line")
    what = f", settlement line of placement {line['placement_id']}" if line else ""
    print(f"OK: {len(events)} event(s) proven in the checkpoint of tree size {size}{what}, "
          f"cosigned by {cosigned or 'none'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    def with_keys(sub):
        sub.add_argument("--log-key", required=True)
        sub.add_argument("--witness-key", action="append", default=[])
        sub.add_argument("--witnesses-required", type=int, default=0)
        return sub

    with_keys(commands.add_parser("checkpoint")).add_argument("note")
    sub = with_keys(commands.add_parser("inclusion"))
    sub.add_argument("proof")
    sub.add_argument("--checkpoint", required=True)
    sub = with_keys(commands.add_parser("consistency"))
    sub.add_argument("proof")
    sub.add_argument("--old", required=True)
    sub.add_argument("--new", required=True)
    with_keys(commands.add_parser("receipt")).add_argument("receipt")
    args = parser.parse_args()
    try:
        {"checkpoint": command_checkpoint, "inclusion": command_inclusion, "consistency": command_consistency,
         "receipt": command_receipt}[args.command](args)
    except Broken as broken:
        print(f"BROKEN: {broken}")
        return 3
    except (Unusable, KeyError, ValueError, OSError) as error:
        print(f"cannot check: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
