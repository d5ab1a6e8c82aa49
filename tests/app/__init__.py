"""Pilot and snapshot tests of the reader UI, grouped by feature (helpers in conftest)."""
