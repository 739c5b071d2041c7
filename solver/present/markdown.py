"""The report as Markdown: headings and tables, for notes, issues and wikis (and, rendered, the
notebook view of a ``Solution``)."""
from __future__ import annotations

from solver.analysis.labels import decision_point, move_names
from solver.present.beliefs import belief_lines
from solver.present.table import markdown_table, number, number_with_decimal
from solver.present.text import concept_title, continua_section, describe_mixed, note_lines, payoff_line
from solver.present.words import completeness_sentence, plural
from solver.results import Solution


def render(solution: Solution, source_path: str = "", verbose: bool = False) -> str:
    """The report; ``verbose`` lists every component, convex set and continuum."""
    game = solution.game
    info = game.info
    out = [f"# {info.title or 'Untitled game'}", ""]
    kind = "Sequential game" if solution.form == "sequential" else "Normal-form game"
    out.append(f"{kind} with {plural(len(solution.players), 'player')}: {', '.join(solution.players)}. "
               f"File: `{source_path or info.path}`.")
    out.append("")
    if info.description:
        out += [info.description.strip(), ""]
    if solution.parameters:
        described = {p.name: p for p in info.parameters}
        rows = [[f"`{name}`", number(value), described[name].description if name in described else "",
                 described[name].source if name in described else ""] for name, value in solution.parameters.items()]
        out += ["## Parameters", "", *markdown_table(["name", "value", "description", "source"], rows), ""]
    out += [f"## {concept_title(solution)}", ""]
    out.append(f"{len(solution.equilibria):,} found by {solution.method_title}. {completeness_sentence(solution)}")
    out.append("")
    if not solution.equilibria:
        out += ["No equilibrium found.", ""]
    elif solution.form == "normal":
        rows = [[str(k), *(describe_mixed(e.strategies[p]) for p in solution.players),
                 "(" + ", ".join(number_with_decimal(e.payoffs[p]) for p in solution.players) + ")"]
                for k, e in enumerate(solution.equilibria, 1)]
        out += [*markdown_table(["#", *solution.players, "payoffs"], rows), ""]
    else:
        for k, e in enumerate(solution.equilibria, 1):
            out += _equilibrium_lines(solution, k, e)
    title, intro, continua = continua_section(solution, verbose)
    if continua:
        out += [f"## {title}", ""] + ([intro, ""] if intro else []) + [_list_item(line) for line in continua] + [""]
    if solution.value is not None:
        out += [f"Value of the game to {solution.players[0]}: {number_with_decimal(solution.value)}.", ""]
    notes = note_lines(solution, verbose)
    if notes:
        out += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(out)


def _list_item(line: str) -> str:
    """A line of the continua section as a Markdown list item (indented lines nest)."""
    depth = (len(line) - len(line.lstrip(" "))) // 2
    return "  " * depth + "- " + line.strip()


def _equilibrium_lines(solution: Solution, k: int, e) -> list[str]:
    tags = "pure" if e.pure else "mixed"
    if solution.concept == "nash" and e.subgame_perfect is not None:
        tags += ", subgame-perfect" if e.subgame_perfect else ", **not** subgame-perfect"
    path = " ; ".join(f"{o} ({number(p)})" if p != 1 else o for o, p in (e.path or ()))
    out = [f"### Equilibrium {k} ({tags})", "", f"- Path: {path}",
           f"- Payoffs: {payoff_line(e, solution.players)}"]
    moves = move_names(solution.game)
    for p in solution.players:
        points = "; ".join(f"{describe_mixed(probs)} {decision_point(label, p, moves)}"
                           for label, probs in e.strategies[p].items())
        out.append(f"- {p}: {points or '—'}")
    if e.assessment is not None:                      # --concept pbe: beliefs and refinements
        out += [_list_item(line[2:]) for line in belief_lines(e.assessment)]
    out += [f"- ⚠ {note.text()}" for note in e.notes]
    return out + [""]
