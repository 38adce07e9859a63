# Importing api first sets the BLAS/OpenMP thread counts before numpy loads (see api/__init__.py).
import api  # noqa: F401
