#!/usr/bin/python3
"""The offline verifier's verdict on each case of a JSON Lines file, one line out per line in.

Used by verifier_agreement_test.cc, which writes the cases with the server's own proofs and its
own verdicts and compares. Each case is checked by tools/verify_proofs.py's own functions:

  {"kind": "inclusion", "index", "size", "leaf" (base64 bytes), "path": [...], "root"}
  {"kind": "consistency", "old_size", "new_size", "old_root", "new_root", "proof": [...]}
  {"kind": "checkpoint", "note", "log_key", "witness_keys": [...], "required"}

Prints "ok" or "refused: <why>" per case.

  verify_proofs_cases.py VERIFY_PROOFS_PY CASES.jsonl
"""

import base64
import importlib.util
import json
import sys


def load(path):
    spec = importlib.util.spec_from_file_location("verify_proofs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def verdict(vp, case):
    b = base64.b64decode
    try:
        kind = case["kind"]
        if kind == "inclusion":
            vp.check_inclusion(case["index"], case["size"], vp.leaf_hash(b(case["leaf"])),
                               [b(p) for p in case["path"]], b(case["root"]))
        elif kind == "consistency":
            vp.check_consistency(case["old_size"], case["new_size"], b(case["old_root"]), b(case["new_root"]),
                                 [b(p) for p in case["proof"]])
        elif kind == "checkpoint":
            log_key = vp.VerifierKey(case["log_key"])
            witnesses = [vp.VerifierKey(k) for k in case["witness_keys"]]
            vp.verify_checkpoint(case["note"], log_key, witnesses, case["required"])
        else:
            return f"refused: unknown kind {kind}"
    except (vp.Broken, vp.Unusable) as why:
        return f"refused: {why}"
    return "ok"


def main():
    vp = load(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as cases:
        for line in cases:
            print(verdict(vp, json.loads(line)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
