"""Tests of the asset registry."""
