"""Red-team fixtures: the API city of ``tests/api`` (two Haidian schools, one user per role, a Haidian node key)."""

from tests.api.conftest import ApiCity, assert_error, fresh, shared  # noqa: F401  (fixtures re-used here)
