import os

# Small mat-vecs: BLAS threads only compete with the embedding model's own threads
# (measured here to triple query latency). Set before numpy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
