"""Beliefs for people: the lines a report shows under a perfect Bayesian equilibrium.

Reads the record ``Equilibrium.assessment`` (from
:func:`solver.equilibria.refinements.assessment_record`): at each information set of several
nodes the belief (Bayes' rule on the path) or the condition on beliefs that supports the
equilibrium off the path, the classification of a signalling game's equilibrium, and the verdicts
of the refinements.

>>> record = {"beliefs": {"Beer": {"strong": 1}},
...           "belief_conditions": {"Beer": {"on_path": False, "condition": "μ(strong | Beer) ≥ 1/2"}},
...           "sequential": {"holds": True, "why": ""}, "classification": "pooling",
...           "intuitive_criterion": {"holds": False, "why": "weak cannot gain"}, "d1": {"holds": None, "why": ""}}
>>> print("\\n".join(belief_lines(record)))
  Classification: pooling
  Beliefs:
    at Beer  μ(strong | Beer) ≥ 1/2   (off the path)
  Sequential: yes · Intuitive Criterion: fails · D1: not decided
  ! fails the Intuitive Criterion: weak cannot gain
"""
from __future__ import annotations

from typing import Mapping

from solver.equilibria.refinements import node_labels
from solver.present.table import columns, number

VERDICTS = {True: "passes", False: "fails", None: "not decided"}
REFINEMENTS = (("intuitive_criterion", "Intuitive Criterion"), ("d1", "D1"))
ARTICLE = {"Intuitive Criterion": "the "}


def belief_lines(record: Mapping) -> list[str]:
    """The report's lines for one PBE, indented to sit under its strategies."""
    lines = []
    if "classification" in record:
        lines.append(f"  Classification: {record['classification']}")
    conditions = record.get("belief_conditions", {})
    if conditions:
        lines.append("  Beliefs:")
        rows = [[f"at {label}", c["condition"].removeprefix("Bayes' rule: "),
                 "(Bayes' rule, on the path)" if c["on_path"] else "(off the path)"] for label, c in conditions.items()]
        lines.extend(columns(rows, ["  ", "   "], indent="    "))
    sequential = record["sequential"]["holds"]
    verdicts = [f"Sequential: {'yes' if sequential else 'no' if sequential is False else 'not decided'}"]
    verdicts += [f"{name}: {VERDICTS[record[key]['holds']]}" for key, name in REFINEMENTS if key in record]
    lines.append("  " + " · ".join(verdicts))
    for key, name in REFINEMENTS:
        if key in record and record[key]["holds"] is False:
            lines.append(f"  ! fails {ARTICLE.get(name, '')}{name}: {record[key]['why']}")
    return lines


# ---- solve explain --concept pbe -------------------------------------------------------------
def _bayes_line(step) -> str:
    """``μ(strong) = 9/10·1 / (9/10·1 + 1/10·1) = 9/10``, for each node."""
    weights = [f"{number(t.chance)}·{number(t.players)}" for t in step.terms]
    total = " + ".join(weights)
    parts = [f"μ({t.node}) = {w} / ({total}) = {number(p)}" for t, w, (_, p) in zip(step.terms, weights, step.belief)]
    return f"{step.player} at {step.label}: " + "; ".join(parts) + "."


def _values_line(step) -> str:
    ranked = sorted(step.values, key=lambda mv: -mv[1])
    played = " and ".join(step.played)
    others = ", ".join(f"{m} {number(v)}" for m, v in ranked if m not in step.played)
    given = ""
    if len(step.terms) > 1:
        given = " given " + ", ".join(f"μ({n}) = {number(p)}" for n, p in step.belief)
    best = ", ".join(f"{m} {number(v)}" for m, v in step.values if m in step.played)
    tie = " (indifferent, so it may mix)" if len(step.played) > 1 else ""
    return f"{step.player} at {step.label}{given}: plays {played}{tie}: {best}" + (f" ≥ {others}" if others else "") + "."


def walk_parts(walk) -> list[tuple[str, list[str]]]:
    """One equilibrium's walk as (sentence, items) pairs: the beliefs on and off the path, the
    best responses given them, and each refinement's verdict (a sentence without items)."""
    record = walk.record
    parts = []
    on_path = [s for s in walk.steps if len(s.terms) > 1 and s.on_path]
    off_path = [s for s in walk.steps if len(s.terms) > 1 and not s.on_path]
    if on_path:
        parts.append(("Beliefs by Bayes' rule on the path (chance's probability · the players' probability of the path):",
                      [_bayes_line(s) for s in on_path]))
    if off_path:
        parts.append(("Beliefs off the path (Bayes' rule does not apply; these support the equilibrium):",
                      [f"{s.player} at {s.label}: {s.condition}; below, "
                       + ", ".join(f"μ({n}) = {number(p)}" for n, p in s.belief) + "." for s in off_path]))
    parts.append(("Best responses given the beliefs (last movers first):", [_values_line(s) for s in walk.steps]))
    for key, name in REFINEMENTS:
        if key in record:
            verdict = record[key]
            parts.append((f"{name}: {VERDICTS[verdict['holds']]}" + (f" — {verdict['why']}." if verdict["why"] else "."), []))
    sequential = record["sequential"]
    parts.append((f"Sequential: {'yes' if sequential['holds'] else 'no' if sequential['holds'] is False else 'not decided'}"
                  + (f" — {sequential['why']}." if sequential["why"] else "."), []))
    return parts


def walk_title(walk) -> str:
    """``Equilibrium 2 (separating)``."""
    record = walk.record
    return f"Equilibrium {walk.number}" + (f" ({record['classification']})" if "classification" in record else "")


def explanation_text(explanation) -> str:
    """``solve explain --concept pbe``: each equilibrium's beliefs with their numbers, the best
    responses given them, and why a refinement removes it."""
    solution = explanation.solution
    kind = "sequential" if solution.concept == "sequential" else "perfect Bayesian"
    count = len(solution.equilibria)
    lines = [f"{solution.game.info.title}: {count} {kind} equilibri{'um' if count == 1 else 'a'}", ""]
    for walk in explanation.walks:
        lines.append(walk_title(walk))
        for sentence, items in walk_parts(walk):
            lines.append(f"  {sentence}")
            lines.extend(f"  - {item}" for item in items)
        lines.append("")
    notes = solution.note_texts()
    if notes:
        lines.append("Notes")
        lines.extend(f"  - {n}" for n in notes)
    return "\n".join(lines).rstrip("\n") + "\n"


# ---- solve thresholds --concept pbe ----------------------------------------------------------
def stretch_name(parameter: str, stretch) -> str:
    if stretch.low == stretch.high:
        return f"{parameter} = {stretch.low}"
    return (f"{stretch.low} {'≤' if stretch.closed_low else '<'} {parameter} "
            f"{'≤' if stretch.closed_high else '<'} {stretch.high}")


def approximate_sentence(report) -> str:
    """Where the check saw the equilibria change with no exact threshold found there."""
    return ("The check found changes between the candidates near: "
            + ", ".join(f"{v:.4g}" for v in report.approximate) + " (approximate).")


def thresholds_text(report) -> str:
    """The thresholds of a parameter for perfect Bayesian equilibria, and the equilibria on each
    stretch between them (``PBEThresholds`` of :mod:`solver.analysis.pbe_thresholds`)."""
    kind = "sequential" if report.concept == "sequential" else "perfect Bayesian"
    found = ", ".join(str(t) for t in report.thresholds) or "none"
    lines = [f"Thresholds of {report.parameter} for {kind} equilibria: {found}", ""]
    for stretch in report.stretches:
        count = len(stretch.equilibria)
        lines.append(f"{stretch_name(report.parameter, stretch)}: {count} equilibri{'um' if count == 1 else 'a'} "
                     f"(profiles that differ only off the path counted once)")
        lines.extend(f"  - {e}" for e in stretch.equilibria)
    if report.approximate:
        lines += ["", approximate_sentence(report)]
    return "\n".join(lines) + "\n"


def thresholds_record(report) -> dict:
    """The same as JSON: thresholds as exact strings, and each stretch with its equilibria."""
    return {"parameter": report.parameter, "concept": report.concept,
            "thresholds": [str(t) for t in report.thresholds],
            "stretches": [{"low": str(s.low), "high": str(s.high), "closed_low": s.closed_low,
                           "closed_high": s.closed_high, "equilibria": list(s.equilibria)}
                          for s in report.stretches],
            "approximate": list(report.approximate)}


# ---- solve draw --concept pbe ----------------------------------------------------------------
def annotate_tree(text: str, played) -> str:
    """The plain-text tree with each node of an information set followed by its belief
    (``μ = 9/10``) from ``played`` (a :class:`~solver.analysis.pictures.PlayedTree`): the picture
    lists nodes depth first, so the k-th line naming a set is its k-th node in that order."""
    lines = text.split("\n")
    tree = played.tree
    for info in tree.infosets:
        names = dict(zip((int(x) for x in info.nodes), node_labels(tree, info.nodes)))
        order = sorted((x for x in names if x in played.beliefs), key=lambda x: tree.depth_first_rank[x])
        marker = f"[information set {info.label}]"
        seen = 0
        for i, line in enumerate(lines):
            if line.endswith(marker) and seen < len(order):
                node = order[seen]
                lines[i] = f"{line}  μ({names[node]}) = {number(played.beliefs[node])}"
                seen += 1
    if played.off_path:
        lines.insert(len(lines) - 1, "Beliefs off the path are one supporting choice: " + "; ".join(played.off_path) + ".")
    return "\n".join(lines)
