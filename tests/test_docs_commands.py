"""docs/commands.md documents every registered command; every command's --help has an example; the
examples in the docs use only commands and options that exist, and files that exist."""
import os
import re
import shlex

import click
import pytest
from click.testing import CliRunner

from solver.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, "docs", "commands.md")
COMMANDS = list(main.commands)


def doc_text() -> str:
    return open(DOC, encoding="utf-8").read()


def sections() -> dict[str, str]:
    """Command name → the text of its ``## `name` `` section."""
    text = doc_text()
    parts = re.split(r"^## `([a-z-]+)`\s*$", text, flags=re.M)
    return {parts[k]: parts[k + 1] for k in range(1, len(parts), 2)}


def test_commands_are_registered():
    assert {"solve", "methods", "validate", "explain", "draw", "report", "dynamics"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_a_section_with_examples(name):
    documented = sections()
    assert name in documented, f"docs/commands.md has no section '## `{name}`'"
    body = documented[name]
    invocation = "solve" if name == "solve" else f"solve {name}"
    assert f"`{invocation}" in body, f"the section for {name} does not show its synopsis"
    examples = [line for line in body.splitlines() if line.startswith("$ solve")]
    assert examples, f"the section for {name} has no '$ solve …' example"
    assert f"[`{name}`](#{name})" in doc_text(), f"{name} is missing from the table of commands"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_help_text_has_an_example(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    help_text = result.output
    assert re.search(r"^\s*Examples?:\s*$", help_text, flags=re.M), f"'solve {name} --help' shows no example"
    after = help_text.split("Example", 1)[1]
    prefix = "solve" if name in ("solve", "methods") else f"solve {name}"
    assert re.search(rf"^\s+{re.escape(prefix)}\b", after, flags=re.M), f"the example of {name} does not run it"


def doc_examples():
    out = []
    for name, body in sections().items():
        for line in body.splitlines():
            if line.startswith("$ solve"):
                out.append((name, line[2:]))
    return out


def _options(command: click.Command) -> set[str]:
    names = set()
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            names.update(parameter.opts)
            names.update(parameter.secondary_opts)
    return names


@pytest.mark.parametrize("section,line", doc_examples(), ids=[line for _, line in doc_examples()])
def test_doc_examples_use_real_commands_options_and_files(section, line, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = shlex.split(line)[1:]
    if section not in main.commands:
        pytest.skip(f"'{section}' is not registered yet")
    if args and args[0] in main.commands:
        name, rest = args[0], args[1:]
    else:
        name, rest = "solve", args
    if name not in main.commands:
        pytest.skip(f"'{name}' is not registered yet")
    command = main.commands[name]
    known = _options(command)
    for arg in rest:
        if arg.startswith("-") and not re.fullmatch(r"-?\d.*", arg):
            option = arg.split("=", 1)[0]
            assert option in known, f"{line}: 'solve {name}' has no option {option}"
    for arg in rest:
        if re.search(r"\.(yaml|nfg|efg)$", arg) and rest[rest.index(arg) - 1] not in ("-o", "--output"):
            if arg.startswith("games/") and not os.path.exists(arg):
                pytest.skip(f"{arg} not written yet")
            assert os.path.exists(arg), f"{line}: no file {arg}"
    # the arguments parse (no command is run)
    context = command.make_context(f"solve {name}", list(rest), resilient_parsing=False)
    context.close()


def _shared_options() -> str:
    """The table of options shared by the commands (before the first command's section)."""
    return doc_text().split("## `", 1)[0]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_is_documented(name):
    """Each option of each command appears in its section (synopsis or text) or in the shared table."""
    body = sections().get(name, "")
    shared = _shared_options()
    missing = []
    for parameter in main.commands[name].params:
        if not isinstance(parameter, click.Option) or parameter.hidden:
            continue
        names = parameter.opts + parameter.secondary_opts
        if not any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", body + shared) for n in names):
            missing.append(max(names, key=len))
    assert not missing, f"docs/commands.md does not document {', '.join(missing)} of 'solve {name}'"


def test_the_global_debug_flag_is_documented():
    assert "`--debug`" in _shared_options() and "SOLVE_DEBUG" in _shared_options()
