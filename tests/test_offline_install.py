"""The office's machines have no package index (issue 16 point 14): the README's offline install
— a folder of wheels built on a connected machine, installed with the index switched off — is
run here as written, into a fresh environment."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


def test_a_folder_of_wheels_installs_and_runs_with_no_index(tmp_path):
    wheels = tmp_path / "hnreport-wheels"
    # On the connected machine: README § Offline install, step 1.
    run(sys.executable, "-m", "pip", "wheel", "-q", ROOT, "-w", wheels)
    built = sorted(p.name for p in wheels.glob("*.whl"))
    assert any(name.startswith("hnreport-") for name in built), built
    # Pure Python throughout but for lxml (python-docx's XML parser, compiled per platform): build
    # the folder on the office machines' system, or fetch lxml for it (README § Offline install).
    assert all(name.endswith(("-py3-none-any.whl", "-py2.py3-none-any.whl")) or name.startswith("lxml-") for name in built), built

    # On the office machine: a fresh environment, no index, no configuration that could name one.
    target = tmp_path / "office"
    venv.create(target, with_pip=True)
    bindir = target / ("Scripts" if os.name == "nt" else "bin")
    offline = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    offline.update(PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    run(bindir / "python", "-m", "pip", "install", "-q", "--no-index", "--find-links", wheels, "hnreport", env=offline)

    home = tmp_path / "office-home"
    home.mkdir()
    env = {**offline, "HOME": str(home), "USERPROFILE": str(home), "XDG_DATA_HOME": str(home / "data"), "NO_COLOR": "1"}
    env.pop("HNREPORT_DB", None)
    out = run(bindir / "hnreport", "report", env=env).stdout
    assert out.startswith("衡南县2022年政府工作报告 — 截至 ")
    assert "主要预期目标" in out
