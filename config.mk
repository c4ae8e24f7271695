# The name of your resource type: chosen once, here. Everything reads it: make package (the
# registry zip, the registration templates, the rendered examples), make lint-templates, the
# CDK example app and the local samples. Organization::Connect::User, each part 2-64 letters or
# digits; not AWS:: (AWS's own public type has that name). A one-off override for a make command:
# make package TYPE_NAME=Acme::Connect::User
TYPE_NAME = MyCompany::Connect::User
