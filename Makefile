# The front door. Every target bootstraps .venv from the pinned requirements first,
# so a fresh clone needs nothing but python3 (and node for the CDK tests).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TYPE_NAME ?= AWS::Connect::User

.PHONY: venv demo local test unit contract bench package lint fuzz generate clean

venv: $(STAMP)
$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

## The main job: a full lifecycle through the real Lambda entrypoint on the embedded emulator.
demo: venv
	$(BIN)/python -m demo

## Start the local Connect emulator and the local Lambda endpoint in the foreground.
local: venv
	$(BIN)/python -m local_lambda

## Lint, type-check, unit + emulator tests, then the official contract suite.
test: lint unit contract

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/cfn validate

## Everything but the full contract run (make contract) and the long fuzz run (make fuzz).
unit: venv
	$(BIN)/pytest -q tests -m "not contract and not slow" $(PYTEST_ARGS)

## The official cfn test contract suite, offline. Extra cfn test options: make contract ARGS="-k create_read"
contract: venv
	$(BIN)/python -m contract_runner $(ARGS)

## The long, random-seed fuzz run of the handler and the emulator (a few minutes).
fuzz: venv
	$(BIN)/pytest -q -m slow tests $(PYTEST_ARGS)

bench: venv
	$(BIN)/python -m benchmarks

## Registry package (cfn submit --dry-run). Private name: make package TYPE_NAME=Acme::Connect::User
package: venv
	$(BIN)/python -m registry_package --type-name '$(TYPE_NAME)'

## Regenerate models.py and docs/ from the schema, and refresh the copy the handler ships.
generate: venv
	$(BIN)/cfn generate
	cp aws-connect-user.json src/aws_connect_user/resource-schema.json

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
