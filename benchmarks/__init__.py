"""The performance benchmark of the AWS::Connect::User handler: `python -m benchmarks`."""
