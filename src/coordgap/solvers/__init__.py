"""Solvers: algorithms as plain functions, one module per family."""
