"""Figures drawn from a results folder's tables (never from the model)."""
