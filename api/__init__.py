import os

# Small mat-vecs: BLAS threads only compete with the embedding engine's own threads
# (measured here to triple query latency). Set before numpy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", os.environ.get("MADOGUCHI_EMBED_THREADS", "2"))
