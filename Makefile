# Everyday tasks. `make run` serves the API locally; `make test` and `make lint` are what CI
# runs (see .ci/run).

CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
THRESHOLD := $(TARGET_DIR)/debug/threshold
DEV_DATABASE_URL := sqlite://data/threshold.db
# Only for a local server: anyone who reads this file can sign tokens for it.
DEV_JWT_SECRET := threshold-local-development-secret

.PHONY: run test lint domain-purity layers hud-codes hud-codes-check openapi spec-check swagger-ui-check bench fuzz-api

run:
	$(CARGO) build -p threshold-api --bin threshold
	@if [ -z "$${THRESHOLD_JWT_SECRET:-}" ]; then \
		echo "THRESHOLD_JWT_SECRET is not set: using a DEVELOPMENT secret (never use it in production)"; \
		export THRESHOLD_JWT_SECRET='$(DEV_JWT_SECRET)'; \
	fi; \
	token="$$($(THRESHOLD) token --sub dev-admin --role admin --ttl 30d)" || exit 1; \
	echo ""; \
	echo "API:        http://127.0.0.1:8080"; \
	echo "Swagger UI: http://127.0.0.1:8080/swagger-ui/"; \
	echo "Admin token (30 days): $$token"; \
	echo "Try: curl -H \"Authorization: Bearer $$token\" http://127.0.0.1:8080/v1/organizations"; \
	echo ""; \
	exec $(THRESHOLD) serve --database-url '$(DEV_DATABASE_URL)' --bind 127.0.0.1:8080

test:
	scripts/ensure-postgres.sh
	$(CARGO) test --workspace

lint: domain-purity layers hud-codes-check
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# What may import what (ARCHITECTURE.md, "Invariants"): nothing outside api/src/http imports
# it, no resource imports another, persistence modules import each other in no circle.
layers:
	python3 scripts/check-layers.py

# The domain's HUD code lists and HMIS CSV column catalog, generated from the reference data in domain/hud/ (README.md
# there); the check fails when a generated file differs from what the script would write.
hud-codes:
	python3 scripts/gen-hud-codes.py

hud-codes-check:
	python3 scripts/gen-hud-codes.py --check

# The domain holds rules only: no storage, HTTP or API-doc crate may reach it.
DOMAIN_CRATE := threshold-domain
domain-purity:
	@found="$$($(CARGO) tree -p $(DOMAIN_CRATE) -e normal --prefix none \
		| grep -E '^(diesel|actix-web|utoipa)[a-z_-]* v' | sed 's/ (\*)$$//' | sort -u)"; \
	if [ -n "$$found" ]; then \
		echo "$(DOMAIN_CRATE) must not depend on diesel, actix-web or utoipa, but depends on:"; \
		echo "$$found"; \
		exit 1; \
	fi; \
	echo "$(DOMAIN_CRATE) depends on none of diesel, actix-web, utoipa"

openapi:
	@# Through a temporary file, so a failed build does not leave openapi.yaml empty.
	$(CARGO) run -q -p threshold-api --bin threshold -- openapi > openapi.yaml.tmp \
		|| { rm -f openapi.yaml.tmp; exit 1; }
	mv openapi.yaml.tmp openapi.yaml

# The committed spec must lint clean with Redocly CLI and generate TypeScript types that a
# small typed client compiles against (spec/client.ts). Node.js packages are pinned in
# spec/package-lock.json.
spec-check:
	cd spec && npm ci --no-audit --no-fund --loglevel=error
	cd spec && npm run --silent lint
	cd spec && npm run --silent types
	cd spec && npm run --silent typecheck
	@echo "openapi.yaml lints clean and generates a client that type-checks"

# Swagger UI of a running server in headless Chromium (Debian's, installed when missing):
# HUD code lists are drop-downs and show their labels. Screenshots in target/swagger-ui/.
swagger-ui-check:
	CARGO='$(CARGO)' scripts/swagger-ui-check.sh

# Performance figures on a release build against a throwaway PostgreSQL database
# (threshold_bench): writes BENCHMARKS.md and bench/results.json. Not part of `make test`.
bench:
	CARGO='$(CARGO)' bench/run.sh

# Schemathesis (pinned, in target/fuzz-venv) over every operation of openapi.yaml against a
# fresh server on a temporary SQLite file, or on a fresh database of the PostgreSQL server at
# FUZZ_DATABASE_URL: fails on any 5xx, response that does not match its schema, undocumented
# status or content type. FUZZ_EXAMPLES (default 25) and FUZZ_SEED bound and fix the cases.
fuzz-api:
	CARGO='$(CARGO)' scripts/fuzz-api.sh
