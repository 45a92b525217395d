"""The README is part of the product: it must match the settings, the demo and CI."""

import re
from pathlib import Path

from casebridge import config
from casebridge.cli import COMMANDS
from casebridge.demo.people import DEMO_PASSWORD, DEMO_TOTP_BASE32, PERSONAS

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme():
    missing = [setting.name for setting in config.SETTINGS if f"`{setting.name}`" not in README]
    assert not missing, f"document these settings in README.md: {missing}"


def test_the_quick_start_begins_with_exactly_the_demo_and_test_commands():
    quick_start = README.split("## Quick start", 1)[1]
    first_block = re.search(r"```[^\n]*\n(.*?)```", quick_start, re.S).group(1)
    assert first_block.strip().splitlines() == ["bash scripts/demo.sh", "bash scripts/test.sh"]


def test_ci_runs_the_readme_test_command():
    lines = (ROOT / ".ci" / "run").read_text().strip().splitlines()
    assert lines == ["#!/usr/bin/env bash", "exec bash scripts/test.sh"]


def test_the_readme_gives_the_demo_password_totp_key_and_every_persona():
    assert DEMO_PASSWORD in README and DEMO_TOTP_BASE32 in README
    assert all(f"| `{persona}` |" in README for persona in PERSONAS)


def test_every_subcommand_is_documented_in_the_readme():
    assert all(f"`casebridge {name}" in README for name in COMMANDS)
