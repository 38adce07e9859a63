# madoguchi — `make run` starts everything, `make test` runs every test. Both set up what they need.
.PHONY: run run-scaled test env model bench-retrieval bench-langs calibrate clean

# the demo applications of README's table: on for `make run` (MADOGUCHI_DEMO=0 make run: off)
run: env model
	MADOGUCHI_DEMO=$${MADOGUCHI_DEMO:-1} .venv/bin/python scripts/run.py

# several api, Rasa and action server processes on this machine's PostgreSQL and Redis (docs/deploy.md);
# production's shape: no demo applications unless MADOGUCHI_DEMO=1
run-scaled: env model
	.venv/bin/python scripts/run.py --scaled

test:
	bash scripts/test.sh

env:
	bash scripts/env.sh all

model:
	bash scripts/train.sh

clean:
	rm -rf var models results .pytest_cache

bench-retrieval: env
	.venv/bin/python -m bench.retrieval bench/data/hikarino --cache var/cache/embeddings.sqlite

bench-langs: env
	.venv/bin/python -m bench.langs --cache var/cache/embeddings.sqlite

calibrate: env
	.venv/bin/python -m bench.calibrate
	.venv/bin/python -m bench.langs --calibrate  # the foreign-language zones, on the refitted search
