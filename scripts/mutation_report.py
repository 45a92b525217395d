"""Summarise a mutmut run over casebridge/policy (called by scripts/mutate.sh).

Prints killed/total per module, then every mutant not killed, each marked either `text` (the
mutant only changes the human-readable reason of a Decision or the refusal of a rule: never the
rule's condition, its allowed flag or its filter) or `CHECK` (anything else: it must be killed by a
test or explained as equivalent in docs/testing.md)."""

import ast
import collections
import glob
import json
import re
import subprocess
import sys

MUTMUT = sys.argv[1] if len(sys.argv) > 1 else ".venv/bin/mutmut"
STRING = re.compile(r'''f?"(?:[^"\\]|\\.)*"|f?'(?:[^'\\]|\\.)*\'''')
# A Decision's reason (its second argument), or a rule's refusal standing alone on its line.
REASON = re.compile(r'Decision\((True|False),\s*(.*)\)\s*$')


_SOURCES: dict[str, dict[str, list[str]]] = {}


def _functions(module: str) -> dict[str, list[str]]:
    """The functions of mutmut's copy of the module (mutants/...), by name, as lines."""
    if module not in _SOURCES:
        path = "mutants/casebridge/policy/" + module + ".py"
        source = open(path).read()
        lines = source.splitlines()
        _SOURCES[module] = {node.name: lines[node.lineno - 1:node.end_lineno]
                            for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FunctionDef)}
    return _SOURCES[module]


def changed_lines(name: str) -> list[tuple[str, str]]:
    """(original, mutated) line pairs of the mutant `casebridge.policy.<module>.<function>__mutmut_<n>`."""
    module, function = name.split(".")[2], name.split(".", 3)[3]
    functions = _functions(module)
    mutant = functions.get(function)
    original = functions.get(function.rsplit("__mutmut_", 1)[0] + "__mutmut_orig")
    if mutant is None or original is None or len(mutant) != len(original):
        return []
    return [(old, new) for old, new in zip(original[1:], mutant[1:]) if old != new]


def only_reason_text(name: str) -> bool:
    pairs = changed_lines(name)
    if not pairs:
        return False
    for old, new in pairs:
        old_m, new_m = REASON.search(old), REASON.search(new)
        if old_m and new_m:
            if old_m.group(1) != new_m.group(1) or old[:old_m.start()] != new[:new_m.start()]:
                return False
            continue
        # A refusal line of a Rule/AccessRule, or the reason wording ("core"/"on-request").
        stripped = STRING.sub("S", old.strip())
        if stripped in ("S,", "S") or 'kind = "core" if' in old:
            if STRING.sub("S", new.strip()).replace("None", "S") == stripped:
                continue
        return False
    return True


def main() -> None:
    from mutmut.stats import status_by_exit_code  # mutmut's own reading of its meta files

    counts, left = collections.Counter(), collections.defaultdict(list)
    for meta in sorted(glob.glob("mutants/casebridge/policy/*.py.meta")):
        module = meta.rsplit("/", 1)[1].split(".")[0]
        for name, code in json.load(open(meta))["exit_code_by_key"].items():
            status = status_by_exit_code.get(code, "not checked") if code is not None else "not checked"
            counts[module, status] += 1
            counts[module, "total"] += 1
            if status != "killed":
                left[module].append((name, status))
    modules = sorted({module for module, _ in counts})
    print(f"{'module':16} {'killed':>7} {'total':>6} {'not killed':>11} {'of which reason text':>21}")
    totals = collections.Counter()
    details = []
    for module in modules:
        text = 0
        for name, status in left[module]:
            is_text = status == "survived" and only_reason_text(name)
            text += is_text
            details.append(f"  {'text ' if is_text else 'CHECK'} {name}: {status}")
        row = (counts[module, "killed"], counts[module, "total"], len(left[module]), text)
        totals.update(dict(zip(("killed", "total", "left", "text"), row)))
        print(f"{module:16} {row[0]:>7} {row[1]:>6} {row[2]:>11} {row[3]:>21}")
    print(f"{'all':16} {totals['killed']:>7} {totals['total']:>6} {totals['left']:>11} {totals['text']:>21}")
    print("\n".join(details))
    print(f"Show a mutant with: {MUTMUT} show <name>")


if __name__ == "__main__":
    main()
