"""The security tests' world: built once per module on SQLite, restored before every test.

Permissions do not depend on the database, so these modules run on SQLite only: they use their
own `world` fixture instead of the `app`/`database_url` pair, which conftest's
pytest_generate_tests would otherwise parametrize over PostgreSQL too.
"""
import pytest

from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory, sqlite_template) -> World:
    built = build_world(tmp_path_factory.mktemp("security"), sqlite_template)
    yield built
    built.close()


@pytest.fixture
def fresh(world) -> World:
    """The world as built, whatever the previous test did to it."""
    world.restore()
    return world
