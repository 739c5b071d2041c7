"""The report as ONE self-contained HTML file: inline CSS and inline SVG, no scripts, no network.

It shows a :class:`~solver.analysis.report.Report`: the game's description, its parameters with
their sources, the tree or matrix as a picture, every equilibrium, the step-by-step explanation
(in the words of ``solver.present.explain``), and for each parameter with a ``range`` a sweep plot
of the equilibrium payoffs with the regions of each outcome shaded, and how likely each outcome is
when the ranged parameters are uniformly uncertain (``robustness_html``). A report on perfect
Bayesian (or sequential) equilibria walks through their beliefs instead (``belief_walk_html``) and
gives each ranged parameter's exact thresholds (``thresholds_html``). The page is responsive
(viewport meta, a max-width column, pictures that scale); on a phone the game's picture keeps its
own size, so that its labels stay readable, and scrolls sideways inside its box.
"""
from __future__ import annotations

import html
import re
from fractions import Fraction
from typing import Mapping

from solver.analysis.labels import decision_point, move_names
from solver.analysis.pictures import PlayedTree
from solver.analysis.pbe_explanation import PBEExplanation
from solver.analysis.report import Report, SweepSeries
from solver.model.expr import to_exact
from solver.present.beliefs import approximate_sentence, belief_lines, stretch_name, walk_parts, walk_title
from solver.present.draw import PLAYER_COLOURS, game_figure, svg_markup
from solver.present import markdown
from solver.present.explain import num, sections
from solver.present.robustness_text import condition_text, percent
from solver.present.sweep_plot import PALE, OutcomeColours
from solver.present.text import concept_title, continua_section, describe_mixed, note_lines
from solver.present.words import CONCEPT_WORDS, completeness_sentence, plural
from solver.results import Solution


CSS = """
:root { --ink: #1d2731; --muted: #5d6d7e; --line: #d5dbe0; --accent: #d35400; --soft: #f7f9fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.55;
       font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1.2rem 1rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.6rem 0 0.4rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.3rem 0 0.4rem; }
p, li { max-width: 48rem; }
.meta { color: var(--muted); font-size: 0.92rem; }
.source { color: var(--muted); font-size: 0.92rem; border-left: 3px solid var(--line); padding-left: 0.8rem; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: 0.6rem 0; }
table { border-collapse: collapse; font-size: 0.92rem; min-width: 20rem; }
th, td { border: 1px solid var(--line); padding: 0.35rem 0.55rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 0.7rem;
      overflow-x: auto; font-size: 0.85rem; line-height: 1.25; }
figure { margin: 0.8rem 0; }
figure svg { display: block; width: auto; height: auto; max-width: 100%; margin: 0 auto; }
figure.picture { overflow-x: auto; -webkit-overflow-scrolling: touch; }
figure.picture svg { min-width: min(100%, 36rem); }
figcaption { color: var(--muted); font-size: 0.88rem; margin-top: 0.3rem; }
.eq { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 4px; padding: 0.5rem 0.9rem;
      margin: 0.7rem 0; background: #fff; }
.eq h3 { margin-top: 0.3rem; }
.tag { display: inline-block; font-size: 0.78rem; border: 1px solid var(--line); border-radius: 999px;
       padding: 0 0.5rem; margin-left: 0.3rem; color: var(--muted); font-weight: normal; }
.warn { color: #a04000; }
.sweeps { display: grid; grid-template-columns: repeat(auto-fill, minmax(24rem, 1fr)); gap: 1.2rem; }
ul.outcomes { list-style: none; padding: 0; margin: 0.3rem 0 0; font-size: 0.85rem; color: var(--ink); }
ul.outcomes li { margin: 0.1rem 0; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border: 1px solid #aaa; margin-right: 0.4em;
          vertical-align: -0.1em; }
td.range { white-space: nowrap; }
footer { color: var(--muted); font-size: 0.82rem; margin-top: 3rem; border-top: 1px solid var(--line); padding-top: 0.6rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  main { padding: 0.8rem 0.7rem 2rem; }
  h1 { font-size: 1.3rem; }
  .sweeps { grid-template-columns: 1fr; }
  figure.picture { border: 1px solid var(--line); border-radius: 4px; padding: 0.3rem; }
  figure.picture svg { max-width: none; min-width: 0; margin: 0; }
  figure.picture figcaption { position: sticky; left: 0; max-width: calc(100vw - 2.4rem); }
  table { font-size: 0.85rem; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; min-width: 0; }
  table.stack thead { display: none; }
  table.stack tr { border: 1px solid var(--line); border-radius: 4px; margin: 0 0 0.6rem; }
  table.stack td { border: none; border-bottom: 1px solid var(--soft); text-align: left; white-space: normal; }
  table.stack td::before { content: attr(data-label); display: block; font-size: 0.75rem; color: var(--muted); }
}
@media print { .sweeps { display: block; } }
"""


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def markdown_inline(text: str) -> str:
    """Escape, then a little Markdown: ``code``, **bold**, *emphasis*."""
    out = esc(text)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)
    out = re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"<em>\1</em>", out)
    return out


def markdown_blocks(text: str) -> str:
    """Paragraphs (blank-line separated) and ``-`` lists."""
    blocks = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [l.strip() for l in block.strip().split("\n") if l.strip()]
        if not lines:
            continue
        if all(l.startswith(("- ", "* ")) for l in lines):
            blocks.append("<ul>" + "".join(f"<li>{markdown_inline(l[2:])}</li>" for l in lines) + "</ul>")
        else:
            blocks.append(f"<p>{markdown_inline(' '.join(lines))}</p>")
    return "\n".join(blocks)


def markdown_html(text: str) -> str:
    """The Markdown our reports write, as HTML: ``#`` headings, ``|`` tables, ``-`` lists (nested
    by two spaces), paragraphs, and ``markdown_inline``'s code, bold and emphasis. Not a general
    Markdown parser: it reads what :mod:`solver.present.markdown` writes."""
    out = []
    for block in re.split(r"\n\s*\n", (text or "").strip("\n")):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        heading = re.match(r"(#{1,6}) (.*)", lines[0])
        if heading and len(lines) == 1:
            level = len(heading.group(1))
            out.append(f"<h{level}>{markdown_inline(heading.group(2))}</h{level}>")
        elif all(line.startswith("|") for line in lines):
            out.append(_markdown_table_html(lines))
        elif all(line.lstrip().startswith("- ") for line in lines):
            out.append(_nested_list([line.replace("- ", "", 1) for line in lines], markdown_inline))
        else:
            out.append(f"<p>{markdown_inline(' '.join(line.strip() for line in lines))}</p>")
    return "\n".join(out)


def _markdown_table_html(lines: list[str]) -> str:
    def cells(line: str) -> list[str]:
        return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
    header, rows = cells(lines[0]), [cells(line) for line in lines[2:]]
    return _table([markdown_inline(h) for h in header], [[markdown_inline(c) for c in row] for row in rows])


NUMERIC = ' class="num"'


def _table(header, rows, numeric_columns=()) -> str:
    """A table; on narrow screens each row becomes a card (cells labelled by their column)."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = []
    for row in rows:
        cells = "".join(f"<td data-label=\"{esc(header[k])}\"{NUMERIC if k in numeric_columns else ''}>{c}</td>"
                        for k, c in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return (f"<div class=\"table-wrap\"><table class=\"stack\"><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>")


# ---- sections -----------------------------------------------------------------------------------
def parameters_html(game, values: Mapping[str, object]) -> str:
    if not values:
        return ""
    described = {p.name: p for p in game.info.parameters}
    rows = []
    for name, value in values.items():
        p = described.get(name)
        default = to_exact(p.value) if p is not None else None
        shown = esc(num(value))
        if default is not None and Fraction(str(default)) != Fraction(str(value)):
            shown += f" <span class=\"meta\">(default {esc(num(default))})</span>"
        span = ""
        if p is not None and p.range:
            span = f"{esc(num(to_exact(p.range[0])))} … {esc(num(to_exact(p.range[1])))}"
        rows.append([f"<code>{esc(name)}</code>", shown, span, markdown_inline(p.description if p else ""),
                     markdown_inline(p.source if p else "")])
    return ("<section id=\"parameters\"><h2>Parameters</h2>"
            + _table(["name", "value", "range", "meaning", "source"], rows, numeric_columns=(1, 2)) + "</section>")


def equilibria_html(solution: Solution, verbose: bool = False) -> str:
    """The equilibria, what the list covers (in the words every report uses), the continua and notes."""
    sentence = esc(completeness_sentence(solution))
    if not solution.complete:
        sentence = f"<span class=\"warn\">{sentence}</span>"
    parts = [f"<section id=\"equilibria\"><h2>{concept_title(solution)}</h2>",
             f"<p class=\"meta\">{len(solution.equilibria):,} found by {esc(solution.method_title)}. {sentence}</p>"]
    if not solution.equilibria:
        parts.append("<p>None.</p>")
    for k, e in enumerate(solution.equilibria, 1):
        parts.append(_equilibrium_html(solution, k, e))
    title, intro, lines = continua_section(solution, verbose)
    if lines:
        parts.append(f"<h3>{esc(title)}</h3>" + (f"<p>{esc(intro)}</p>" if intro else "") + _nested_list(lines))
    for note in note_lines(solution, verbose):
        parts.append(f"<p class=\"meta\">Note: {esc(note)}</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _nested_list(lines: list[str], words=esc) -> str:
    """Lines as a list; a line indented by two spaces belongs to the one above it. ``words`` turns
    a line's text into HTML."""
    items: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("  ") and items:
            items[-1][1].append(line.strip())
        else:
            items.append((line, []))
    return "<ul>" + "".join(f"<li>{words(top)}" + ("<ul>" + "".join(f"<li>{words(s)}</li>" for s in sub) + "</ul>" if sub else "")
                            + "</li>" for top, sub in items) + "</ul>"


def solution_html(solution: Solution) -> str:
    """The ``--format markdown`` report rendered as an HTML fragment: what a notebook shows for a
    ``Solution``."""
    return f"<div class=\"solver-solution\">{markdown_html(markdown.render(solution, solution.game.info.path or ''))}</div>"


def _equilibrium_html(solution: Solution, k: int, e) -> str:
    tags = [("pure" if e.pure else "mixed")]
    if e.subgame_perfect is not None and solution.concept == "nash":
        tags.append("subgame-perfect" if e.subgame_perfect else "not subgame-perfect")
    tag_html = "".join(f"<span class=\"tag\">{esc(t)}</span>" for t in tags)
    label = f": {esc(e.label)}" if e.label and solution.form == "normal" else ""
    parts = [f"<div class=\"eq\"><h3>Equilibrium {k}{label}{tag_html}</h3>"]
    payoffs = ", ".join(f"{esc(p)} <strong>{esc(num(e.payoffs[p]))}</strong>" for p in solution.players)
    if solution.form == "sequential":
        if e.path and len(e.path) == 1:
            parts.append(f"<p>Path of play: <strong>{esc(e.path[0][0])}</strong></p>")
        elif e.path:
            rows = [[esc(num(p)), esc(o)] for o, p in e.path]
            parts.append("<p>Outcomes:</p>" + _table(["probability", "outcome"], rows, numeric_columns=(0,)))
        parts.append(f"<p>Payoffs: {payoffs}</p>")
        names = move_names(solution.game)
        rows = [[esc(p), "; ".join(f"{esc(describe_mixed(probs))} {esc(decision_point(label, p, names))}"
                                   for label, probs in e.strategies[p].items()) or "—"] for p in solution.players]
        parts.append(_table(["player", "moves (on and off the path)"], rows))
    else:
        rows = [[esc(p), esc(describe_mixed(e.strategies[p]))] for p in solution.players]
        parts.append(_table(["player", "strategy"], rows))
        parts.append(f"<p>Payoffs: {payoffs}</p>")
    if e.assessment is not None:                      # --concept pbe: beliefs and refinements
        items = "".join(f"<li>{esc(line.strip())}</li>" for line in belief_lines(e.assessment))
        parts.append(f"<ul class=\"beliefs\">{items}</ul>")
    parts += [f"<p class=\"warn\">⚠ {esc(note.text())}</p>" for note in e.notes]
    return "\n".join(parts + ["</div>"])


def explanation_html(explained) -> str:
    """The sections of the explanation: paragraphs, lists of consecutive items, preformatted pictures."""
    parts = ["<section id=\"explanation\"><h2>Step by step</h2>"]
    for k, section in enumerate(explained, 1):
        parts.append(f"<h3>{k}. {esc(section.title)}</h3>")
        items = section.items
        i = 0
        while i < len(items):
            kind, content = items[i]
            if kind == "li":
                bullets = []
                while i < len(items) and items[i][0] == "li":
                    bullets.append(f"<li>{esc(items[i][1])}</li>")
                    i += 1
                parts.append("<ul>" + "".join(bullets) + "</ul>")
                continue
            if kind == "pre":
                parts.append(f"<pre>{esc(content.rstrip())}</pre>")
            else:
                parts.append(f"<p>{esc(content)}</p>")
            i += 1
    parts.append("</section>")
    return "\n".join(parts)


# ---- sweeps -------------------------------------------------------------------------------------
def belief_walk_html(explained: PBEExplanation) -> str:
    """``solve explain --concept pbe`` as the report's step-by-step section."""
    kind = CONCEPT_WORDS[explained.solution.concept]
    parts = ["<section id=\"explanation\"><h2>Step by step</h2>",
             f"<p>Each {kind} equilibrium: the beliefs (by Bayes' rule on the path, with their numbers; off the path, "
             "those that support it), each move's value given the beliefs, and the refinements' verdicts.</p>"]
    if not explained.walks:
        parts.append(f"<p>There is no {kind} equilibrium to walk through.</p>")
    for walk in explained.walks:
        parts.append(f"<h3>{esc(walk_title(walk))}</h3>")
        for sentence, items in walk_parts(walk):
            parts.append(f"<p>{esc(sentence)}</p>" + ("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>" if items else ""))
    parts.append("</section>")
    return "\n".join(parts)


def thresholds_html(report: Report) -> str:
    """Each ranged parameter's exact thresholds for the report's concept, and the equilibria on each stretch."""
    if not report.thresholds:
        return ""
    kind = CONCEPT_WORDS[report.solution.concept]
    parts = ["<section id=\"thresholds\"><h2>How the equilibria change with each parameter</h2>",
             f"<p class=\"meta\">For each parameter with a range, the others as above: the values where the set of {kind} "
             "equilibria changes, found exactly, and the equilibria between them (profiles that differ only off the path "
             "counted once). <code>solve thresholds --concept</code> gives the same for any range.</p>"]
    for item in report.thresholds:
        heading = f"<h3><code>{esc(item.name)}</code> from {esc(num(item.lo))} to {esc(num(item.hi))}"
        if item.error:
            parts.append(f"{heading}</h3><p>No thresholds: {esc(item.error)}</p>")
            continue
        result = item.result
        found = ", ".join(str(t) for t in result.thresholds)
        parts.append(f"{heading}: " + (f"{plural(len(result.thresholds), 'threshold')} ({esc(found)})" if found else "no threshold")
                     + "</h3>")
        rows = [[esc(stretch_name(item.name, stretch)),
                 "<ul>" + "".join(f"<li>{esc(e)}</li>" for e in stretch.equilibria) + "</ul>" if stretch.equilibria else "none"]
                for stretch in result.stretches]
        parts.append(_table(["values", "equilibria"], rows))
        if result.approximate:
            parts.append(f"<p class=\"meta\">{esc(approximate_sentence(result))}</p>")
    parts.append("</section>")
    return "\n".join(parts)


def outcome_colours(labels) -> OutcomeColours:
    """One pale shade per outcome label, all different: hand the same map to every plot of a
    report, so that an outcome has one colour throughout."""
    return OutcomeColours(PALE, pale=True, labels=labels)


def report_colours(report: Report) -> OutcomeColours:
    """The outcome → colour map shared by all the sweep plots of ``report``."""
    return outcome_colours(label for series in report.sweeps for label in series.labels)


def sweep_figure(players, series: SweepSeries, current=None, colour_of: OutcomeColours | None = None):
    """Equilibrium payoffs against one parameter; the background shows which outcome is played
    (in ``colour_of``'s colours, shared with the report's other plots)."""
    from matplotlib.figure import Figure  # heavy: imported only when a picture is drawn
    xs, labels, payoffs = series.xs, series.labels, series.payoffs
    fig = Figure(figsize=(5.6, 2.9))
    ax = fig.add_axes([0.13, 0.18, 0.84, 0.72])
    colour_of = outcome_colours(labels) if colour_of is None else colour_of
    step = (xs[-1] - xs[0]) / max(1, len(xs) - 1)
    start = 0
    for k in range(1, len(xs) + 1):
        if k == len(xs) or labels[k] != labels[start]:
            left = xs[start] - step / 2 if start else xs[0]
            right = xs[k - 1] + step / 2 if k < len(xs) else xs[-1]
            ax.axvspan(left, right, color=colour_of[labels[start]], zorder=0, linewidth=0)
            start = k
    for i, player in enumerate(players):
        ax.plot(xs, payoffs[:, i], color=PLAYER_COLOURS[i % len(PLAYER_COLOURS)], linewidth=2.0, label=player,
                marker="o", markersize=2.5, linestyle=["-", "--", "-.", ":"][i % 4])
    if current is not None:
        ax.axvline(float(current), color="#333333", linestyle=(0, (3, 3)), linewidth=1)
        ax.text(float(current), 1.01, "value in use", transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                fontsize=9)
    ax.set_xlabel(series.name, fontsize=11)
    ax.set_ylabel("payoff", fontsize=11)
    ax.tick_params(labelsize=10)
    ax.set_xlim(xs[0], xs[-1])
    ax.legend(fontsize=9, loc="best", framealpha=0.85)
    return fig


def outcome_legend_html(labels, colour_of: OutcomeColours | None = None) -> str:
    colour_of = outcome_colours(labels) if colour_of is None else colour_of
    items = "".join(f"<li><span class=\"swatch\" style=\"background:{colour_of[l]}\"></span>{esc(l)}</li>"
                    for l in dict.fromkeys(labels))
    return f"<ul class=\"outcomes\">{items}</ul>"


def sweeps_html(report: Report) -> str:
    if not report.sweeps:
        return ""
    parts = ["<section id=\"sweeps\"><h2>How the equilibrium changes with each parameter</h2>",
             f"<p class=\"meta\">Each plot varies one parameter over its range ({report.sweep_points} points) with the "
             "others as above; the shading shows which outcome is played (the subgame-perfect path, or the set of "
             "equilibria); lines are the equilibrium payoffs where the equilibrium is unique.</p>", "<div class=\"sweeps\">"]
    colour_of = report_colours(report)
    for series in report.sweeps:
        if series.error:
            parts.append(f"<figure><figcaption>{esc(series.name)}: no sweep ({esc(series.error)})</figcaption></figure>")
            continue
        distinct = list(dict.fromkeys(series.labels))
        fig = sweep_figure(report.game.players, series, report.values.get(series.name), colour_of)
        caption = f"<code>{esc(series.name)}</code> from {esc(num(series.lo))} to {esc(num(series.hi))}: " + \
                  ("one outcome throughout" if len(distinct) == 1 else f"{len(distinct)} outcomes")
        parts.append(f"<figure class=\"sweep\" id=\"sweep-{esc(series.name)}\">{svg_markup(fig)}<figcaption>{caption}"
                     f"{outcome_legend_html(series.labels, colour_of)}</figcaption></figure>")
    parts.append("</div></section>")
    return "\n".join(parts)


def robustness_html(report: Report) -> str:
    """How likely each outcome is when every ranged parameter is uniformly uncertain over its range."""
    result = report.robustness
    if result is None:
        return ""
    names = ", ".join(f"<code>{esc(n)}</code>" for n in result.beliefs.distributions)
    parts = ["<section id=\"robustness\"><h2>How robust the outcome is</h2>",
             f"<p class=\"meta\">{result.samples:,} samples with {names} each uniform over its range (the others as above), "
             f"seed {result.seed}; 95% Wilson intervals. <code>solve robustness</code> takes other beliefs.</p>"]
    rows = [[percent(o.probability), f"{percent(o.low, 2)} – {percent(o.high, 2)}", esc(o.label)] for o in result.outcomes]
    parts.append(_table(["probability", "95% interval", "outcome"], rows, numeric_columns=(0, 1)))
    if result.timed_out:
        parts.append(f"<p>{result.timed_out} sample(s) timed out and are not solved (counted above).</p>")
    if result.explanations:
        items = [f"<li>{esc(e.label)}: {percent(e.coverage)} of its cases have <code>{esc(condition_text(e))}</code> "
                 f"({percent(e.precision)} of the cases meeting it have this outcome)</li>" for e in result.explanations]
        parts.append("<p>The exact thresholds (the other parameters at their medians or at the values above) that explain them:</p><ul>"
                     + "".join(items) + "</ul>")
    rows = [[esc(p.player), num_or_dash(p.mean)] + [num_or_dash(v) for _, v in p.quantiles] for p in result.payoffs]
    parts.append(_table(["player", "mean payoff", "5%", "25%", "median", "75%", "95%"], rows, numeric_columns=(1, 2, 3, 4, 5, 6)))
    parts.append("</section>")
    return "\n".join(parts)


def num_or_dash(value) -> str:
    return "–" if value != value else esc(num(value))


# ---- the page -----------------------------------------------------------------------------------
def _description_html(info) -> str:
    """The situation in the game file's own words (Markdown), and its source."""
    source = f"<div class=\"source\">{markdown_blocks('Source: ' + info.source)}</div>" if info.source else ""
    if not info.description:
        return f"<section id=\"description\">{source}</section>" if source else ""
    parts = [f"<section id=\"description\"><h2>The situation</h2>{markdown_blocks(info.description)}", source, "</section>"]
    return "\n".join(p for p in parts if p)


def render_report(report: Report, source_path: str = "", verbose: bool = False) -> str:
    """The whole report as one HTML string (``verbose``: every component and continuum listed)."""
    game, numeric = report.game, report.numeric
    info = game.info
    title = info.title or "Untitled game"
    tree = isinstance(report.picture, PlayedTree)
    kind = "sequential game" if tree else "normal-form game (" + " × ".join(str(n) for n in numeric.shape) + ")"
    body = [f"<header><h1>{esc(title)}</h1>",
            f"<p class=\"meta\">{esc(source_path or info.path)} · {kind} · {plural(len(game.players), 'player')}: "
            f"{esc(', '.join(game.players))}</p></header>",
            _description_html(info), parameters_html(game, report.values)]
    picture = svg_markup(game_figure(report.picture, title=""))
    what = (f"The game tree. Orange: the moves of the (first) {CONCEPT_WORDS.get(report.picture.concept, 'Nash')} equilibrium, thickest on the path."
            + (" Dashed brackets join nodes a player cannot tell apart." if not numeric.is_perfect_information else "")
            + (" μ: its belief at each node of an information set." if tree and report.picture.beliefs else "")
            if tree else
            "The payoff matrix. A boxed payoff is a best response; a shaded cell is a pure equilibrium.")
    body.append(f"<section id=\"picture\"><h2>The game</h2><figure class=\"picture\">{picture}<figcaption>{what}</figcaption></figure></section>")
    body.append(equilibria_html(report.solution, verbose))
    if isinstance(report.explanation, PBEExplanation):
        body.append(belief_walk_html(report.explanation))
        body.append(thresholds_html(report))
    else:
        body.append(explanation_html(sections(report.explanation)))
        body.append(sweeps_html(report))
    body.append(robustness_html(report))
    body.append("<footer>Made with <code>solve report</code>. Self-contained: no scripts, no external files.</footer>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(b for b in body if b) + "\n</main>\n</body>\n</html>\n")
