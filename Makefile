# The front door. Every target bootstraps .venv from the pinned requirements first,
# so a fresh clone needs nothing but python3 (and node for the CDK tests).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TYPE_NAME ?= AWS::Connect::User

.PHONY: venv demo local test unit package-tests contract bench package lint fuzz generate clean lint-templates

venv: $(STAMP)
$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml cdk_connect_user/pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e . -e ./cdk_connect_user
	touch $(STAMP)

## The main job: a full lifecycle through the real Lambda entrypoint on the embedded emulator.
demo: venv
	$(BIN)/python -m demo

## Start the local Connect emulator and the local Lambda endpoint in the foreground.
## Other ports: make local CONNECT_PORT=4567 LAMBDA_PORT=3002 (0 = any free port).
CONNECT_PORT ?= 4566
LAMBDA_PORT ?= 3001
local: venv
	$(BIN)/python -m local_lambda --connect-port $(CONNECT_PORT) --port $(LAMBDA_PORT)

## Lint and type-check, then every test: the offline layers (the official contract suite
## included, end to end through the runner) and the lane that needs the package index.
test: lint unit package-tests

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/cfn validate

## Every test that needs no network: all but the package-index lane and the long fuzz run.
unit: venv
	$(BIN)/pytest -q tests -m "not package_index and not slow" $(PYTEST_ARGS)

## The tests that build the registry package: its pip install reaches the package index.
package-tests: venv
	$(BIN)/pytest -q tests -m package_index $(PYTEST_ARGS)

## The official cfn test contract suite alone, offline, with its own output (make test runs it
## too, from tests/contract). Extra cfn test options: make contract ARGS="-k create_read"
contract: venv
	$(BIN)/python -m contract_runner $(ARGS)

## The long, random-seed fuzz run of the handler and the emulator (a few minutes).
fuzz: venv
	$(BIN)/pytest -q -m slow tests $(PYTEST_ARGS)

bench: venv
	$(BIN)/python -m benchmarks

## Registry package (cfn submit --dry-run) plus its registration templates and the kept staged
## project, in dist/<org-service-resource>/. Private name: make package TYPE_NAME=Acme::Connect::User
package: venv
	$(BIN)/python -m registry_package --type-name '$(TYPE_NAME)'

## cfn-lint templates that use the type, validating its resources against this type's schema
## under TYPE_NAME (cfn-lint alone checks none of a private type's properties); exits non-zero
## on findings. make lint-templates TYPE_NAME=Acme::Connect::User FILES="a.yaml b.yaml"
lint-templates: venv
	$(BIN)/python -m registry_package.lint --type-name '$(TYPE_NAME)' $(FILES)

## Templates and import files that bring every user of an existing instance under the type,
## without re-creating anyone (adopt/README.md). boto3's usual credentials and region;
## AWS_ENDPOINT_URL_CONNECT for the emulator. make adopt INSTANCE_ID=... TYPE_NAME=... OUT=adopted
.PHONY: adopt
adopt: venv
	$(BIN)/python -m adopt --instance-id '$(INSTANCE_ID)' --type-name '$(TYPE_NAME)' --out '$(OUT)' $(ARGS)

## Regenerate models.py and docs/ from the schema, and refresh the copies the handler and the
## CDK construct ship.
generate: venv
	$(BIN)/cfn generate
	cp aws-connect-user.json src/aws_connect_user/resource-schema.json
	cp aws-connect-user.json cdk_connect_user/src/cdk_connect_user/resource-schema.json

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
