"""The report as Markdown: headings and tables, for notes, issues and wikis."""
from __future__ import annotations

from fractions import Fraction

from solver.present.text import decision_label, describe_mixed, move_names, number, short_number
from solver.results import Solution


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render(solution: Solution, source_path: str = "") -> str:
    game = solution.game
    info = game.info
    out = [f"# {info.title or 'Untitled game'}", ""]
    kind = "Sequential game" if solution.form == "sequential" else "Normal-form game"
    out.append(f"{kind} with {len(solution.players)} players: {', '.join(solution.players)}. File: `{source_path or info.path}`.")
    out.append("")
    if info.description:
        out += [info.description.strip(), ""]
    if solution.parameters:
        described = {p.name: p for p in info.parameters}
        out += ["## Parameters", "", "| name | value | description | source |", "| --- | --- | --- | --- |"]
        for name, value in solution.parameters.items():
            p = described.get(name)
            out.append(f"| `{name}` | {short_number(value)} | {_cell(p.description if p else '')} | {_cell(p.source if p else '')} |")
        out.append("")
    concept = "Subgame-perfect equilibria" if solution.concept == "subgame-perfect" else "Nash equilibria"
    out += [f"## {concept}", ""]
    out.append(f"Method: {solution.method}. Complete: **{'yes' if solution.complete else 'no'}**.")
    out.append("")
    if not solution.equilibria:
        out += ["No equilibrium found.", ""]
    elif solution.form == "normal":
        out.append("| # | " + " | ".join(solution.players) + " | payoffs |")
        out.append("| --- | " + " | ".join("---" for _ in solution.players) + " | --- |")
        for k, e in enumerate(solution.equilibria, 1):
            strategies = " | ".join(_cell(describe_mixed(e.strategies[p])) for p in solution.players)
            payoffs = ", ".join(number(e.payoffs[p], False) for p in solution.players)
            out.append(f"| {k} | {strategies} | ({payoffs}) |")
        out.append("")
    else:
        for k, e in enumerate(solution.equilibria, 1):
            tags = "pure" if e.pure else "mixed"
            if solution.concept == "nash" and e.subgame_perfect is not None:
                tags += ", subgame-perfect" if e.subgame_perfect else ", **not** subgame-perfect"
            out += [f"### Equilibrium {k} ({tags})", ""]
            path = " ; ".join(f"{o} ({short_number(p)})" if p != 1 else o for o, p in (e.path or ()))
            out.append(f"- Path: {path}")
            out.append(f"- Payoffs: " + ", ".join(f"{p} {number(e.payoffs[p], False)}" for p in solution.players))
            for p in solution.players:
                moves = "; ".join(f"{describe_mixed(probs)} {decision_label(label, p, move_names(game))}" for label, probs in e.strategies[p].items())
                out.append(f"- {p}: {moves or '—'}")
            for note in e.notes:
                out.append(f"- ⚠ {note}")
            out.append("")
    if solution.value is not None:
        out += [f"Value of the game to {solution.players[0]}: {number(solution.value, False)}.", ""]
    if solution.notes:
        out += ["## Notes", ""] + [f"- {n}" for n in solution.notes] + [""]
    return "\n".join(out)
