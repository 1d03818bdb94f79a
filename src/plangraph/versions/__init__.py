"""Versions of the plan side by side: what an amendment changed, and whether it still holds."""
