"""Throwaway apps and helpers for the sign-in tests."""
