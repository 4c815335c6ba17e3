"""Every limit aidf puts on a request or a decision, in one place (README: "Failure modes").

They bound the damage hostile or broken input can do: memory, time, and numbers the two
Rego engines could no longer compute exactly. Change them here; the tests read them from here.
"""
from __future__ import annotations

import decimal
import os

# Bytes read from any source (file, pipe, /dev/zero, stdin); one more is read to detect excess.
MAX_REQUEST_BYTES = 1_000_000
# Nesting of arrays and objects. The deepest valid request is 5 levels; 32 leaves room.
MAX_DEPTH = 32
# Elements of any one array, checked before any element is (schemas then apply tighter caps).
MAX_ARRAY_ITEMS = 10_000
# Values (numbers, strings, arrays, objects) in one request: a 1 MB JSON text holds far fewer.
MAX_VALUES = 1_000_000
# Characters of any one string (schemas cap names at 300; this stops giant unknown strings early).
MAX_STRING_CHARS = 10_000
# Sum of every TPP figure in one request (quantities x TPP per unit, installed base, histories).
# The Rego arithmetic is exact while its intermediate products (at most x 10^4) stay inside a
# 64-bit integer on regorus; 10^13 TPP is ~630 million H100s, far beyond any real plan.
MAX_TOTAL_TPP = 10**13
# Operation counts: decimal strings up to 10^28, whole multiples of 10^12 (see aidf.lib.ops).
MAX_OPERATIONS = decimal.Decimal("1e28")
OPERATIONS_UNIT = decimal.Decimal("1e12")
# Characters of an offending value quoted back in an error message.
MESSAGE_VALUE_CHARS = 200
# Bytes of one policy or data file in a policy tree (the largest shipped one is well under 100 KB).
MAX_POLICY_FILE_BYTES = 10_000_000
# Worker processes of one batch (aidf check --batch --workers, Evaluator.evaluate_many).
MAX_BATCH_WORKERS = 64
# `aidf cases run` and `aidf report`: suite files read in one run.
MAX_SUITE_FILES = 10_000
# One suite: its cases, and the bytes of their requests (each case holds a copy and a decision).
MAX_SUITE_CASES = 5_000
MAX_SUITE_REQUEST_BYTES = 20_000_000
# Bytes of a decision log that `aidf log show|replay` reads at once (about 50,000 decisions).
MAX_DECISION_LOG_BYTES = 500_000_000
# Seconds one decision may take before it is stopped (CLI --timeout or AIDF_TIMEOUT; API timeout=).
DEFAULT_TIMEOUT_SECONDS = 5.0
# The largest budget accepted (a day): beyond it, ask for no budget instead.
MAX_TIMEOUT_SECONDS = 86_400.0


def _positive_int_from_env(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


# Address space of an isolated engine process (MiB): a runaway policy fails there, not here.
WORKER_MEMORY_MIB = _positive_int_from_env("AIDF_WORKER_MEMORY_MIB", 4096)
