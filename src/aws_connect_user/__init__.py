"""AWS::Connect::User resource type handler package (the only code that ships to Lambda)."""
