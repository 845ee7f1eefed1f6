#!/usr/bin/env python3
"""Generate airflow3.toml, a reroute codemod for the Airflow 2 -> 3 moves.

Facts come from ruff's Airflow rule tables (AIR301 removal_in_3.rs, AIR302
moved_to_provider_in_3.rs, AIR311 suggested_to_update_3_0.rs, AIR312
suggested_to_move_to_provider_in_3.rs), parsed by ruff_tables.py, plus a few provider
versions read from the Airflow provider changelogs. The TOML and its messages are written here.

Usage: python3 gen_airflow3.py [--examples-tiers-unmet] [OUT]\n       (default OUT: builtin/airflow3.toml; ruff's repository from RUFF_REPO, a git dir)
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections import OrderedDict
from pathlib import Path

from ruff_tables import Entry, all_entries, ruff_commit

HERE = Path(__file__).resolve().parent
_ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
OUT = Path(_ARGS[0]) if _ARGS else HERE.parent.parent / "builtin" / "airflow3.toml"

AIRFLOW3 = "apache-airflow>=3"
RULE_ORDER = {"AIR302": 0, "AIR301": 1, "AIR312": 2, "AIR311": 3, "DOCS": 4}  # dedup preference

# Beyond ruff's tables: Airflow 3 moves and removals that break real provider packages and
# DAGs (found by bench/upgrades.py), each checked against apache-airflow 3.0.6 with
# apache-airflow-providers-standard 1.21.0 installed (the standard-provider homes are tiered on
# that version: the first release that has them was not checked).
STANDARD_CHECKED = "apache-airflow-providers-standard>=1.21.0"
BEYOND_RUFF = [
    {"path": "airflow.utils.weekday", "to": "airflow.providers.standard.utils.weekday",
     "requires": STANDARD_CHECKED, "kind": "module"},
    {"path": "airflow.utils.python_virtualenv", "to": "airflow.providers.standard.utils.python_virtualenv",
     "requires": STANDARD_CHECKED, "kind": "module"},
    {"path": "airflow.auth.managers", "to": "airflow.api_fastapi.auth.managers",
     "requires": "apache-airflow>=3", "kind": "module"},
    {"path": "airflow.utils.operator_helpers.context_to_airflow_vars",
     "to": "airflow.sdk.execution_time.context.context_to_airflow_vars", "requires": "apache-airflow>=3",
     "kind": "symbol"},
    {"path": "airflow.typing_compat.Protocol", "to": "typing.Protocol", "kind": "symbol"},
    {"path": "airflow.typing_compat.runtime_checkable", "to": "typing.runtime_checkable", "kind": "symbol"},
    {"path": "airflow.www"},
    {"path": "airflow.exceptions.RemovedInAirflow3Warning"},
    {"path": "airflow.utils.json.AirflowJsonEncoder"},
    {"path": "airflow.operators.python.is_venv_installed"},
]

# ------------------------------------------------------------------ tiers

# Targets of AIR301/AIR311 that are not airflow.sdk but exist only from Airflow 3 on.
NEW_IN_3_PREFIXES = (
    "airflow.sdk",
    "airflow.api_fastapi",
    "airflow.assets",
    "airflow.listeners.spec.asset",
    "airflow.models.asset",
    "airflow.timetables.assets",
    "airflow.lineage.hook.AssetLineageInfo",
    "airflow.timetables.simple.AssetTriggeredTimetable",
    "airflow.security.permissions.RESOURCE_ASSET",
)

# Targets that exist on Airflow 2, but not on every 2.x: PatternAllow/BlockListValidator came
# with the pattern-matching metric lists (apache/airflow#36250, released in 2.9.0).
AIRFLOW2_MINOR_TIERS = {
    "airflow.metrics.validators.PatternAllowListValidator": "apache-airflow>=2.9",
    "airflow.metrics.validators.PatternBlockListValidator": "apache-airflow>=2.9",
}

# Targets that exist on every Airflow 2.x (or in the standard library): no tier.
UNTIERED_TARGETS = {
    "airflow.hooks.base.BaseHook",                                # since 2.0
    "airflow.secrets.local_filesystem.load_connections_dict",     # since 2.0
    "tempfile.TemporaryDirectory",                                # standard library
}

# AIR301 renames inside provider packages (datasets -> assets). Ruff gives no version; these are
# the first provider releases whose changelog lists the dataset->asset rename (apache/airflow
# #41348), or the later "Use asset in common provider" release where one exists (#43110 amazon,
# #43111 openlineage), to stay on the safe side.
PROVIDER_ASSET_TIERS = {
    "airflow.providers.amazon.": "apache-airflow-providers-amazon>=9.1.0",
    "airflow.providers.common.io.": "apache-airflow-providers-common-io>=1.4.2",
    "airflow.providers.google.": "apache-airflow-providers-google>=10.24.0",
    "airflow.providers.mysql.": "apache-airflow-providers-mysql>=5.7.2",
    "airflow.providers.postgres.": "apache-airflow-providers-postgres>=5.13.1",
    "airflow.providers.trino.": "apache-airflow-providers-trino>=5.8.1",
    "airflow.providers.openlineage.": "apache-airflow-providers-openlineage>=1.13.0",
}

# Ruff typo: AIR312 sends BashSensor to `airflow.providers.standard.sensor.bash`; the provider's
# module is `sensors.bash`.
TARGET_FIXES = {
    "airflow.providers.standard.sensor.bash.BashSensor":
        "airflow.providers.standard.sensors.bash.BashSensor",
}

# `airflow.models.<..>.Param` etc. (a `..` in the middle of ruff's pattern): the paths
# Airflow 2 actually binds. `airflow.models` re-exports all three (ruff's fixture imports them
# from there) and `airflow.models.param` defines them.
MIDDLE_WILDCARD_PARENTS = {
    "airflow.models.*": ["airflow.models", "airflow.models.param"],
}

# ------------------------------------------------------------------ messages (own wording)

REMOVE_MESSAGES = [
    (r"airflow\.www",
     "removed in Airflow 3: the Flask web server is gone (the UI is served by the API server); "
     "Flask AppBuilder views and `has_access` live in the fab provider"),
    (r"airflow\.exceptions\.RemovedInAirflow3Warning",
     "removed in Airflow 3: drop the warning filter or the reference"),
    (r"airflow\.utils\.json\.AirflowJsonEncoder",
     "removed in Airflow 3: use `json.JSONEncoder`, or serialise the value yourself"),
    (r"airflow\.operators\.python\.is_venv_installed",
     "removed in Airflow 3: check for the virtualenv package yourself "
     "(`importlib.util.find_spec(\"virtualenv\")`)"),
    (r"airflow\.PY3\d+", "removed in Airflow 3: compare `sys.version_info` instead"),
    (r"airflow\.api_connexion\.security\.requires_access",
     "removed in Airflow 3 with the Connexion API: use the matching `requires_access_*` "
     "dependency from `airflow.api_fastapi.core_api.security`"),
    (r"airflow\.configuration\.\w+",
     "removed in Airflow 3: the module-level config helpers are gone; call the same method on "
     "the config object (`from airflow.configuration import conf`, then `conf.get(...)`, "
     "`conf.getboolean(...)`, ...)"),
    (r"airflow\.contrib",
     "removed in Airflow 3: `airflow.contrib` is gone; import the class from its provider "
     "package (apache-airflow-providers-*) instead"),
    (r"airflow\.datasets\.DatasetAliasEvent",
     "removed in Airflow 3 with no public replacement"),
    (r"airflow\.datasets\.DatasetEvent",
     "made private in Airflow 3: annotate with `dict[str, Any]` until the Task SDK offers an "
     "`AssetEvent` type"),
    (r"airflow\.operators\.subdag",
     "removed in Airflow 3: SubDAGs are gone; group tasks with a TaskGroup "
     "(`airflow.sdk.TaskGroup`) instead"),
    (r"airflow\.operators\.postgres_operator\.Mapping",
     "removed in Airflow 3 along with `airflow.operators.postgres_operator`: import `Mapping` "
     "from `collections.abc`"),
    (r"airflow\.triggers\.external_task\.TaskStateTrigger",
     "removed in Airflow 3 with no replacement"),
    (r"airflow\.utils\.dag_cycle_tester\.test_cycle",
     "removed in Airflow 3 with no replacement (cycles are reported when the DAG is parsed)"),
    (r"airflow\.utils\.db\.create_session",
     "removed in Airflow 3: DAG and task code can no longer open metadata-database sessions; "
     "no drop-in replacement"),
    (r"airflow\.utils\.dates\.days_ago",
     "removed in Airflow 3: use `pendulum.today('UTC').add(days=-N)`, or better a fixed "
     "`start_date`"),
    (r"airflow\.utils\.dates\.\w+",
     "removed in Airflow 3 with no replacement: compute dates with `pendulum` or `datetime`"),
    (r"airflow\.utils\.file\.mkdirs",
     "removed in Airflow 3: use `pathlib.Path(path).mkdir(parents=True, exist_ok=True)`"),
    (r"airflow\.utils\.state\.(SHUTDOWN|terminating_states)",
     "removed in Airflow 3 (the `shutdown` task state is gone); no replacement"),
    (r"airflow\.utils\.trigger_rule\.TriggerRule\.DUMMY",
     "removed in Airflow 3: the `dummy` trigger rule is gone; `TriggerRule.ALWAYS` runs the "
     "task unconditionally"),
    (r"airflow\.www\.auth\.\w+",
     "removed in Airflow 3 with the Flask web server; no replacement in core"),
    (r"airflow\.www\.utils\.\w+",
     "removed in Airflow 3 with the Flask web server; no public replacement"),
    (r"airflow\.utils\.decorators\.apply_defaults",
     "removed in Airflow 3: default arguments are always applied now, so drop the decorator"),
]


def remove_message(path: str) -> str:
    for pattern, msg in REMOVE_MESSAGES:
        m = re.fullmatch(pattern, path)
        if m:
            return msg.format(*m.groups())
    raise KeyError(f"no message for removed {path}")


# ------------------------------------------------------------------ skipped ruff entries

# Everything else ruff's four rules report that is not an importable dotted path: renamed
# arguments, methods, attributes, context keys. One row per (owner, name).
SKIPPED = []


def skip(rule, what, names, why):
    for n in names:
        SKIPPED.append({"rule": rule, "what": what, "name": n, "why": why})


CONTEXT_KEYS = ["conf", "execution_date", "next_ds", "next_ds_nodash", "next_execution_date",
                "prev_ds", "prev_ds_nodash", "prev_execution_date", "prev_execution_date_success",
                "tomorrow_ds", "yesterday_ds", "yesterday_ds_nodash"]
skip("AIR301", "context key / task parameter", CONTEXT_KEYS,
     "a key of the task context (or a task-function parameter), not an importable name")
skip("AIR301", "context key", ["triggering_dataset_events -> triggering_asset_events"],
     "a string key of the task context")
skip("AIR301", "context access", ['inlet_events["<uri>"]'],
     "indexing a context value by string, not a name")
skip("AIR301", "attribute of context value", ['context["dag_run"].external_trigger'],
     "an attribute of a runtime object")
skip("AIR301", "DAG argument",
     ["concurrency -> max_active_tasks", "fail_stop -> fail_fast", "schedule_interval -> schedule",
      "timetable -> schedule", "default_view", "orientation"],
     "a keyword argument of DAG(...)")
skip("AIR301", "Variable.get argument", ["default_var -> default"], "a keyword argument")
skip("AIR301", "auth manager constructor", ["appbuilder"], "a constructor argument")
skip("AIR301", "task handler argument", ["filename_template"], "a keyword argument")
skip("AIR301", "operator argument",
     ["task_concurrency -> max_active_tis_per_dag", "provide_context",
      "TriggerDagRunOperator(execution_date -> logical_date)",
      "use_task_execution_day -> use_task_logical_date"],
     "a keyword argument of an operator")
skip("AIR301", "trigger_rule value",
     ['"none_failed_or_skipped" -> "none_failed_min_one_success"',
      "TriggerRule.NONE_FAILED_OR_SKIPPED -> TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS"],
     "an argument value (an enum member renamed inside its class)")
skip("AIR301", "class attribute",
     ["ProvidersManager.dataset_factories", "ProvidersManager.dataset_uri_handlers",
      "ProvidersManager.dataset_to_openlineage_converters", "DatasetLineageInfo.dataset"],
     "an attribute of an instance, renamed")
skip("AIR301", "method",
     ["DatasetManager.register_dataset_change", "DatasetManager.create_datasets",
      "DatasetManager.notify_dataset_created", "DatasetManager.notify_dataset_changed",
      "DatasetManager.notify_dataset_alias_created",
      "HookLineageCollector.create_dataset", "HookLineageCollector.add_input_dataset",
      "HookLineageCollector.add_output_dataset", "HookLineageCollector.collected_datasets",
      "DAG.create_dagrun",
      "ProvidersManager.initialize_providers_dataset_uri_resources",
      "LocalFilesystemBackend.get_connections",
      "Dataset*.iter_datasets", "Dataset*.iter_dataset_aliases",
      "*SecretsBackend.get_conn_uri", "*SecretsBackend.get_connections",
      "*Hook.get_connections", "*AuthManager.is_authorized_dataset"],
     "a method called on an instance")
skip("AIR301", "AirflowPlugin class attribute", ["executors", "operators", "sensors", "hooks"],
     "an attribute assigned in a plugin class body")
skip("AIR301", "enum member rename",
     ["airflow.providers.amazon.aws.auth_manager.avp.entities.AvpEntities.DATASET -> .ASSET"],
     "a member renamed inside its class (the target `AvpEntities.ASSET` is not a module-level name)")
skip("AIR311", "DAG argument", ["sla_miss_callback"], "a keyword argument of DAG(...)")
skip("AIR311", "DatasetOrTimeSchedule argument", ["datasets -> assets"], "a keyword argument")
skip("AIR311", "operator argument", ["sla"], "a keyword argument of an operator")

# Paths ruff matches by name that we also skip (subset of SKIPPED, matched from the tables).
SKIP_PATHS = {
    "airflow.providers.amazon.aws.auth_manager.avp.entities.AvpEntities.DATASET",
}


# ------------------------------------------------------------------ build


def dist_for(provider: str) -> str:
    return f"apache-airflow-providers-{provider}"


def airflow_tier(target: str) -> str | None:
    if target in AIRFLOW2_MINOR_TIERS:
        return AIRFLOW2_MINOR_TIERS[target]
    if target in UNTIERED_TARGETS:
        return None
    for prefix in NEW_IN_3_PREFIXES:
        if target == prefix or target.startswith(prefix + "."):
            return AIRFLOW3
    for prefix, req in PROVIDER_ASSET_TIERS.items():
        if target.startswith(prefix):
            return req
    raise KeyError(f"no tier decision for target {target}")


def expand_paths(e: Entry) -> list[str]:
    if not e.has_wildcard:
        return [e.path]
    # tail wildcard: the module and all under it
    if not isinstance(e.segments[-1], str) and all(isinstance(s, str) for s in e.segments[:-1]):
        return [".".join(e.segments[:-1])]
    # middle wildcard
    head = ".".join(s if isinstance(s, str) else "*" for s in e.segments[:-1])
    parents = MIDDLE_WILDCARD_PARENTS[head]
    return [f"{p}.{e.segments[-1]}" for p in parents]


def main() -> None:
    entries = all_entries()
    ident = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")

    # 1. one candidate per (rule, path)
    candidates = []  # dicts: path, rule, action, to, requires, kind, message
    for e in entries:
        for path in expand_paths(e):
            c = {"path": path, "rule": e.rule, "variant": e.variant}
            if path in SKIP_PATHS:
                c["action"] = "skip"
            elif e.variant in ("None", "Message"):
                c["action"] = "remove"
            elif e.variant == "SourceModuleMoved":  # airflow.configuration.get -> conf.get
                c["action"] = "remove"
            else:
                target = f"{e.module}.{e.name}"
                target = TARGET_FIXES.get(target, target)
                c["action"] = "move"
                c["to"] = target
                if e.provider:
                    c["requires"] = f"{dist_for(e.provider)}>={e.version}"
                else:
                    c["requires"] = airflow_tier(target)
                # `airflow.utils.log.secrets_masker` is a module; everything else a name
                c["kind"] = "module" if path == "airflow.utils.log.secrets_masker" else "symbol"
            candidates.append(c)

    # apply_defaults is reported by AIR301's decorator check, not its name table
    candidates.append({"path": "airflow.utils.decorators.apply_defaults", "rule": "AIR301",
                       "variant": "Message", "action": "remove"})

    for extra in BEYOND_RUFF:
        c = {"path": extra["path"], "rule": "DOCS", "variant": "Docs"}
        if "to" in extra:
            c.update(action="move", to=extra["to"], kind=extra["kind"])
            if "requires" in extra:
                c["requires"] = extra["requires"]
        else:
            c["action"] = "remove"
        candidates.append(c)

    # 2. dedupe by path: prefer a concrete move, then AIR302 > AIR301 > AIR312 > AIR311
    by_path: "OrderedDict[str, list]" = OrderedDict()
    for c in candidates:
        by_path.setdefault(c["path"], []).append(c)
    chosen, dropped = [], []
    for path, cs in by_path.items():
        cs.sort(key=lambda c: (c["action"] != "move", RULE_ORDER[c["rule"]]))
        chosen.append(cs[0])
        for other in cs[1:]:
            dropped.append((other, cs[0]))

    for c in chosen:
        assert ident.fullmatch(c["path"]), c
        if c["action"] == "move":
            assert ident.fullmatch(c["to"]), c
            assert c["to"] != c["path"], c

    moves = [c for c in chosen if c["action"] == "move"]
    removes = [c for c in chosen if c["action"] == "remove"]
    skipped_table = [c for c in chosen if c["action"] == "skip"]

    # chain sanity: no `to` may be (under) another move's `from`
    froms = {c["path"] for c in moves} | {c["path"] for c in removes}
    for c in moves:
        parts = c["to"].split(".")
        for i in range(1, len(parts) + 1):
            assert ".".join(parts[:i]) not in froms, f"chain: {c['path']} -> {c['to']}"

    # 3. group moves with the same (to, requires, kind) into one [[move]] with a `from` list
    groups: "OrderedDict[tuple, list]" = OrderedDict()
    for c in sorted(moves, key=lambda c: (RULE_ORDER[c["rule"]], c["to"], c["path"])):
        groups.setdefault((c["to"], c.get("requires"), c["kind"]), []).append(c)

    rgroups: "OrderedDict[str, list]" = OrderedDict()
    for c in removes:
        rgroups.setdefault(remove_message(c["path"]), []).append(c)

    commit = ruff_commit() or "unknown"
    description = (
        "Airflow 2 -> 3: names removed in Airflow 3, moved to the Task SDK (airflow.sdk) or to "
        "provider packages, as listed by ruff's rules AIR301 (removed in 3), AIR302 (moved to a "
        "provider), AIR311 (suggested update) and AIR312 (suggested move to a provider), "
        f"astral-sh/ruff {commit[:12]}, crates/ruff_linter/src/rules/airflow/rules/; provider "
        "versions from ruff, or for the datasets->assets renames inside providers from the "
        "provider changelogs (https://airflow.apache.org/docs/apache-airflow-providers/); see "
        "also Airflow's 'Upgrading to Airflow 3' guide "
        "(https://airflow.apache.org/docs/apache-airflow/stable/installation/upgrading_to_airflow3.html) "
        "and https://docs.astral.sh/ruff/rules/#airflow-air. Tiers: "
        "apache-airflow>=3 for Airflow-3-only homes, the provider distribution for provider "
        "homes. Beyond ruff's tables, a few moves and removals checked against an Airflow 3.0.6 "
        "install (`airflow.auth.managers`, `airflow.utils.weekday`, `airflow.www`, ...). "
        "Renamed arguments, methods, attributes and context keys are not covered. "
        "Generated by bench/differential/gen_airflow3.py."
    )

    lines = [f"description = {json.dumps(description)}", ""]

    def tstr(s):
        return json.dumps(s, ensure_ascii=False)

    def from_value(paths):
        if len(paths) == 1:
            return tstr(paths[0])
        return "[\n" + "".join(f"    {tstr(p)},\n" for p in paths) + "]"

    current_rule = None
    for (to, requires, kind), cs in groups.items():
        rule = cs[0]["rule"]
        if rule != current_rule:
            lines.append(f"# ---- {rule} " + "-" * 60)
            lines.append("")
            current_rule = rule
        lines.append("[[move]]")
        lines.append(f"from = {from_value([c['path'] for c in cs])}")
        lines.append(f"to = {tstr(to)}")
        if requires:
            lines.append(f"requires = {tstr(requires)}")
        lines.append(f"kind = {tstr(kind)}")
        lines.append("")

    lines.append("# ---- removed with no drop-in replacement " + "-" * 36)
    lines.append("")
    for msg, cs in rgroups.items():
        lines.append("[[remove]]")
        lines.append(f"from = {from_value([c['path'] for c in cs])}")
        lines.append(f"message = {tstr(msg)}")
        lines.append("")

    # `reroute test` (reroute HEAD cd56e64 and later) runs examples as if every `requires` tier
    # were met, so a tiered move shows its rewrite. With --examples-tiers-unmet the tiered
    # examples are written as "stays unchanged" instead (the older behaviour).
    tiers_met = "--examples-tiers-unmet" not in sys.argv
    examples = [
        # untiered moves: the new home exists on every Airflow 2.x
        ("from airflow.hooks.base_hook import BaseHook\n",
         "from airflow.hooks.base import BaseHook\n", False),
        ("from airflow.utils.file import TemporaryDirectory\n",
         "from tempfile import TemporaryDirectory\n", False),
        # tiered on apache-airflow>=3 (held as notes until the project requires Airflow 3)
        ("from airflow.decorators import dag, task\n",
         "from airflow.sdk import dag, task\n", True),
        ("from airflow import DAG\n", "from airflow.sdk import DAG\n", True),
        ("from airflow.utils.log.secrets_masker import mask_secret\n",
         "from airflow.sdk.execution_time.secrets_masker import mask_secret\n", True),
        # tiered on a provider distribution (held until the project requires that provider)
        ("from airflow.operators.bash import BashOperator\n",
         "from airflow.providers.standard.operators.bash import BashOperator\n", True),
        ("from airflow.hooks.S3_hook import S3Hook\n",
         "from airflow.providers.amazon.aws.hooks.s3 import S3Hook\n", True),
        ("from airflow.operators.dummy import DummyOperator\n",
         "from airflow.providers.standard.operators.empty import EmptyOperator as DummyOperator\n",
         True),
        # removals are reported, never rewritten
        ("from airflow.utils.dates import days_ago\n", None, False),
        ("from airflow.contrib.hooks.ssh_hook import SSHHook\n", None, False),
        # kind = "symbol": the module airflow.decorators.task_group itself did not move
        ("import airflow.decorators.task_group\n", None, False),
    ]
    examples = [(b, None if (tiered and not tiers_met) else a) for b, a, tiered in examples]
    for before, after in examples:
        lines.append("[[example]]")
        lines.append(f"before = {tstr(before)}")
        if after is not None:
            lines.append(f"after = {tstr(after)}")
        lines.append("")

    text = "\n".join(lines).rstrip("\n") + "\n"
    OUT.write_text(text)

    # 4. validate and report
    data = tomllib.loads(text)
    allowed_top = {"description", "move", "remove", "example"}
    assert set(data) <= allowed_top, set(data)
    seen = {}
    for section in ("move", "remove"):
        for i, item in enumerate(data.get(section, [])):
            assert set(item) <= ({"from", "to", "requires", "kind"} if section == "move"
                                 else {"from", "message"}), item
            fs = item["from"] if isinstance(item["from"], list) else [item["from"]]
            for f in fs:
                assert ident.fullmatch(f), f
                assert f not in seen, f"duplicate from {f}: {seen[f]} and {section}[{i}]"
                seen[f] = f"{section}[{i}]"
    for item in data["example"]:
        assert set(item) <= {"before", "after"}, item

    def count(pred):
        return sum(1 for c in moves if pred(c.get("requires")))

    report = {
        "file": str(OUT),
        "move_entries": len(data["move"]),
        "moved_paths": len(moves),
        "moved_paths_tier_apache_airflow_3": count(lambda r: r == AIRFLOW3),
        "moved_paths_tier_apache_airflow_2.9": count(lambda r: r == "apache-airflow>=2.9"),
        "moved_paths_tier_provider": count(lambda r: bool(r) and r.startswith("apache-airflow-providers-")),
        "moved_paths_untiered": count(lambda r: r is None),
        "remove_entries": len(data["remove"]),
        "removed_paths": len(removes),
        "examples": len(data["example"]),
        "skipped_ruff_entries": len(SKIPPED),
        "skipped_from_name_tables": len(skipped_table),
        "duplicates_resolved": [
            f"{d['path']}: kept {k['rule']} {k['action']}"
            + (f" -> {k.get('to')}" if k["action"] == "move" else "")
            + f", dropped {d['rule']} {d['action']}"
            + (f" -> {d.get('to')}" if d["action"] == "move" else "")
            for d, k in dropped
        ],
        "ruff_commit": commit,
    }
    print(json.dumps(report, indent=2))
    print("skipped examples:")
    for s in SKIPPED[:: max(1, len(SKIPPED) // 3)][:3]:
        print(f"  {s['rule']} {s['what']}: {s['name']} ({s['why']})")


if __name__ == "__main__":
    main()
