"""The advisory-lock keys of Threshold's write scopes, for pgbench to take the same locks.

`Scope::keys` in persistence/src/locks.rs folds a scope's kind and UUID into the two 32-bit
keys of `pg_advisory_xact_lock(int4, int4)`; this is the same fold. It checks itself against
the value that function's unit test pins before it answers.

Reads tab-separated rows on stdin, a header line of column names first, and writes them
back numbered (a first column `n`, from 1) with, for each column named on the command line
(`organization_id`, `program_id`, `household_id` or `client_id`), two more: `<column>_high`
and `<column>_low`, the keys of that scope.
"""

import sys
import uuid

MASK = (1 << 64) - 1
KINDS = {"client_id": 1, "household_id": 2, "program_id": 3, "organization_id": 4}


def signed32(value):
    return value - (1 << 32) if value >= 1 << 31 else value


def keys(kind, scope_id):
    number = uuid.UUID(scope_id).int
    high, low = number >> 64, number & MASK
    rotated = ((low << 29) | (low >> 35)) & MASK
    folded = ((high ^ rotated ^ ((kind * 0x9E3779B97F4A7C15) & MASK)) * 0xBF58476D1CE4E5B9) & MASK
    folded ^= folded >> 31
    return signed32(folded >> 32), signed32(folded & 0xFFFFFFFF)


def main():
    pinned = keys(KINDS["client_id"], "0192f0c4-8a4e-7c3b-9d2e-5f6a7b8c9d0e")
    if pinned != (-2_146_875_119, 1_942_961_355):
        sys.exit(f"scope_keys.py no longer folds as Scope::keys does: {pinned}")
    keyed = sys.argv[1:]
    header = sys.stdin.readline().rstrip("\n").split("\t")
    unknown = [column for column in keyed if column not in KINDS or column not in header]
    if unknown:
        sys.exit(f"scope_keys.py: no scope column {unknown} in {header}")
    positions = [(header.index(column), KINDS[column]) for column in keyed]
    extra = [f"{column}_{half}" for column in keyed for half in ("high", "low")]
    print("\t".join(["n", *header, *extra]))
    for n, line in enumerate(sys.stdin, start=1):
        fields = line.rstrip("\n").split("\t")
        scope_keys = [
            str(key) for position, kind in positions for key in keys(kind, fields[position])
        ]
        print("\t".join([str(n), *fields, *scope_keys]))


if __name__ == "__main__":
    main()
