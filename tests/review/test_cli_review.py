"""``budgetwatch review``: the synced demo district as JSON and as a list, headless (no Qt imported)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from desktop import cli
from sync.schema import REVIEW_RULES
from sync.server.demo import CURRENT_YEAR, PLANTS
from tests.conftest import ROOT

TOWNSHIP = "511702001"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["review", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_every_rule_with_its_figures_in_wan_yuan_and_percent(demo_home, capsys):
    code, out, _err = run(capsys, "--home", str(demo_home), "--format", "json")
    found = json.loads(out)
    assert code == 0 and {w["rule"] for w in found} == set(REVIEW_RULES)
    assert all(set(w) >= {"rule", "level", "subject", "figures", "message"} and w["level"] in ("yellow", "red")
               and set(w["subject"]) >= {"type", "id", "name"} for w in found)
    lag = next(w for w in found if w["rule"] == "execution_lag" and PLANTS[0].subject in w["subject"]["name"])
    figures = lag["figures"]
    assert 900 <= figures["budget"] <= 1300 and 38 <= figures["execution_percent"] <= 45  # 万元, %
    assert figures["time_progress"] == 83.3 and figures["lag_points"] > 10
    assert all(isinstance(value, int | float) for w in found for value in w["figures"].values())


def test_one_year_one_region_and_the_table(demo_home, capsys):
    code, out, _err = run(capsys, "--home", str(demo_home), "--year", str(CURRENT_YEAR - 1), "--format", "json")
    assert code == 0 and {w["year"] for w in json.loads(out)} == {CURRENT_YEAR - 1}
    township = json.loads(run(capsys, "--home", str(demo_home), "--region", TOWNSHIP, "--format", "json")[1])
    assert township and {w["subject"]["region"] for w in township} == {TOWNSHIP}
    code, out, _err = run(capsys, "--home", str(demo_home), "--region", TOWNSHIP)
    red = sum(w["level"] == "red" for w in township)
    last = out.rstrip().splitlines()[-1]
    assert code == 0 and last == f"共 {len(township)} 条：预警 {red} 条，提示 {len(township) - red} 条。"
    assert run(capsys, "--home", str(demo_home), "--region", "999")[0] == 2


def test_no_warnings_is_still_exit_0(demo_home, capsys):
    code, out, _err = run(capsys, "--home", str(demo_home), "--year", "1999", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    assert run(capsys, "--home", str(demo_home), "--year", "1999")[1].strip() == "没有预警。"


def test_no_replica_says_so(tmp_path, capsys):
    code, _out, err = run(capsys, "--home", str(tmp_path))
    assert code == 1 and "没有" in err


def test_the_review_never_imports_qt(demo_home):
    code = ("import sys, pkgutil, importlib, desktop.review, desktop.cli;"
            "[importlib.import_module(m.name)"
            " for m in pkgutil.iter_modules(desktop.review.__path__, 'desktop.review.')];"
            f"desktop.cli.main(['review', '--home', {str(demo_home)!r}, '--format', 'json']);"
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=os.environ, capture_output=True)
