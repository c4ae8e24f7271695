"""make contract ARGS="..." -> python -m contract_runner ..."""

import sys

from contract_runner.options import parse
from contract_runner.runner import run

if __name__ == "__main__":
    sys.exit(run(parse(sys.argv[1:])))
