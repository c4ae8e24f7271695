"""CDK tests run jsii's Node.js runtime in a child process (node must be on PATH).

aws-cdk-lib 2.275's jsii runtime prints a banner on Node 20 (end of its support window,
2026-10-30) although it works; the variable below is jsii's own switch for that banner and
must be set before the runtime starts, i.e. before aws_cdk is first imported.

Without node, importing aws_cdk fails during collection with a jsii error; instead the modules
that need it are not collected and test_node.py fails saying what is missing.
"""

from __future__ import annotations

import os
import shutil

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

NODE = shutil.which("node")
collect_ignore = (
    []
    if NODE
    else [
        "test_construct.py",
        "test_construct_checks.py",
        "test_construct_proficiencies.py",
        "test_example_app.py",
    ]
)
