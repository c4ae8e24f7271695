"""A local endpoint speaking the Lambda Invoke API for the functions in template.yml.

`LocalLambda` runs in-process on an ephemeral loopback port (tests, the contract runner);
`python -m local_lambda` (make local) runs it in the foreground next to the Connect emulator.
"""

from local_lambda.functions import FunctionSpec, load_functions
from local_lambda.server import LocalLambda

__all__ = ["FunctionSpec", "LocalLambda", "load_functions"]
