# madoguchi — `make run` starts everything, `make test` runs every test. Both set up what they need.
.PHONY: run test env model bench-retrieval clean

run: env model
	.venv/bin/python scripts/run.py

test:
	bash scripts/test.sh

env:
	bash scripts/env.sh all

model:
	bash scripts/train.sh

clean:
	rm -rf var models results .pytest_cache
