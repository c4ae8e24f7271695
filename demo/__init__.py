"""make demo: a realistic AWS::Connect::User lifecycle on the embedded Connect emulator."""
