"""setup.py's choice of kernel variants follows the target platform, not the build
machine (issue #30, item 1): a cross build for aarch64 on x86 gets no -mavx2 and no AVX2
module. The function is read out of setup.py, which cannot be imported (it builds)."""
import ast
import sysconfig
from pathlib import Path

import pytest

SETUP = Path(__file__).resolve().parents[1] / "setup.py"


@pytest.fixture(scope="module")
def target_is_x86():
    if not SETUP.exists():
        pytest.skip("setup.py is not beside the tests (an installed copy of the suite)")
    tree = ast.parse(SETUP.read_text())
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_target_is_x86")
    namespace = {"sysconfig": sysconfig}
    exec(compile(ast.Module([node], type_ignores=[]), str(SETUP), "exec"), namespace)
    return namespace["_target_is_x86"]


@pytest.mark.parametrize("target, x86", [
    ("linux-x86_64", True), ("linux-i686", True), ("win-amd64", True), ("win32", True),
    ("macosx-10.9-x86_64", True), ("linux-aarch64", False), ("macosx-11.0-arm64", False),
    ("macosx-10.9-universal2", False), ("win-arm64", False), ("linux-ppc64le", False),
    ("linux-s390x", False), ("linux-armv7l", False),
])
def test_variants_follow_the_target_platform(target_is_x86, monkeypatch, target, x86):
    monkeypatch.setattr(sysconfig, "get_platform", lambda: target)
    assert target_is_x86() is x86


def test_a_cross_build_is_seen_through_the_host_platform_variable(target_is_x86, monkeypatch):
    """sysconfig.get_platform() honours _PYTHON_HOST_PLATFORM, which cross builds set."""
    monkeypatch.setenv("_PYTHON_HOST_PLATFORM", "linux-aarch64")
    assert sysconfig.get_platform() == "linux-aarch64"
    assert target_is_x86() is False
