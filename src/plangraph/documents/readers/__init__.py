"""Readers of the published forms of the plan: each turns a file's bytes into blocks (blocks.py)."""
