"""Run the official `cfn test` contract suite offline.

The real CLI (rpdk.core.cli.main) and its contract plugin run unmodified in a child process;
only its STS endpoint is redirected to a loopback responder. The handler runs behind the local
Lambda endpoint with its Connect client pointed at the local Connect emulator.
"""
