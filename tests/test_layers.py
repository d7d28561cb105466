"""The layers of STYLE.md hold: `lint-imports` keeps every contract in pyproject.toml's
[tool.importlinter] (services never import web, api or jobs; matching/ is pure; models import
no layer above them; jobs never import web or api; web and api never import each
other). scripts/test runs it before pytest too."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")


def test_the_import_contracts_are_kept():
    result = subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout and result.stdout.count(" KEPT") >= 5, result.stdout
