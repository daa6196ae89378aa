"""Helpers more than one test tier uses: built once here instead of copied per test file."""
