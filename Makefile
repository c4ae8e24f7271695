# The front door. Every target bootstraps .venv from the pinned requirements first, so a fresh
# clone needs nothing but python3 (and node for the CDK tests). In two stages: make demo and
# make local install only what they need (requirements-demo.txt: the handler's runtime, the
# emulator, the local Lambda endpoint); every other target adds the rest (requirements-dev.txt).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_STAMP := $(VENV)/.demo-installed
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# Your type's name, chosen once in config.mk; exported so every tool make runs reads the same.
include config.mk
export TYPE_NAME

.PHONY: venv demo-venv demo local test unit package-tests contract bench package lint fuzz generate clean lint-templates type-name dist-dir

demo-venv: $(DEMO_STAMP)
$(DEMO_STAMP): requirements.txt requirements-demo.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(PIP) -r requirements-demo.txt -c constraints.txt
	$(PIP) --no-deps -e .
	touch $(DEMO_STAMP)

venv: $(STAMP)
$(STAMP): $(DEMO_STAMP) requirements-dev.txt cdk_connect_user/pyproject.toml
	$(PIP) -r requirements-dev.txt -c constraints.txt
	$(PIP) --no-deps -e . -e ./cdk_connect_user
	touch $(STAMP)

## The main job: a full lifecycle through the real Lambda entrypoint on the embedded emulator.
demo: demo-venv
	$(BIN)/python -m demo

## Start the local Connect emulator and the local Lambda endpoint in the foreground.
## Other ports: make local CONNECT_PORT=4567 LAMBDA_PORT=3002 (0 = any free port).
CONNECT_PORT ?= 4566
LAMBDA_PORT ?= 3001
local: demo-venv
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

## Registry package (cfn submit --dry-run, for Lambda's platform), its registration templates
## and the example templates, all under TYPE_NAME (config.mk), in dist/<org-service-resource>/.
package: venv
	$(BIN)/python -m registry_package --type-name '$(TYPE_NAME)'

## The chosen name, and where make package puts its output (for scripts: make -s type-name).
type-name:
	@echo '$(TYPE_NAME)'
dist-dir:
	@echo 'dist/$(subst ::,-,$(shell echo '$(TYPE_NAME)' | tr A-Z a-z))'

## cfn-lint (pinned) with the type's schema under TYPE_NAME and the handler's own rules
## (lint_rules/, E9101); exits non-zero on findings. Default: the examples, rendered under
## TYPE_NAME. Yours: make lint-templates FILES="a.yaml b.yaml" (relative to where you run make).
lint-templates: venv
	$(BIN)/python -m registry_package.lint --type-name '$(TYPE_NAME)' --cwd '$(or $(PWD),$(CURDIR))' $(FILES)

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
