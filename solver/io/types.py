"""Players' types in a staged game file: the ``types:`` section, turned into the Harsanyi tree.

``types: {Sender: {strong: p, weak: 1 - p}}`` gives a player private information: a set of types
and the common prior over them (expressions over the parameters are allowed). The section becomes
a chance stage per player with types, named ``<player>_type`` and placed before every other stage
(types of different players are drawn independently), and each player's stages observe its own
type and not the others' (Harsanyi 1967–68): a stage with ``observes`` gets its mover's type
added; one without sees every earlier stage except other players' types (with ``timing:
simultaneous``, only its own type, and the game is unfolded as a tree). Type names are 0/1
indicators in the payoffs, as moves are, so payoffs may depend on types.

    J. C. Harsanyi (1967–68), "Games with incomplete information played by 'Bayesian' players",
      Management Science 14, 159–182, 320–334, 486–502.
"""
from __future__ import annotations

from solver.io.located import Located

TYPE_STAGE_SUFFIX = "_type"


def type_stage_name(player: str) -> str:
    return f"{player}{TYPE_STAGE_SUFFIX}"


def with_types(reader, players, types_item: Located, stages_item: Located, timing: str) -> tuple[Located, str]:
    """The ``stages`` list with a chance stage per player with types in front, each player stage's
    ``observes`` set as the module docstring says, and the timing to unfold with."""
    spec = reader.mapping(types_item, "a mapping from each player with private information to {type: prior probability}")
    stages = reader.sequence(stages_item, "a list of stages")
    idents = {reader.text(s.value[k]) for s in stages if isinstance(s.value, dict) for k in ("id", "chance") if k in s.value}
    chance_stages, typed = [], set()
    for player, item in spec.items():
        if player not in players:
            reader.fail(item, f"'{player}' is not a player (players: {', '.join(players)})")
        priors = reader.mapping(item, "a mapping from each type to its prior probability")
        if len(priors) < 2:
            reader.fail(item, "a player with private information needs at least two types")
        name = type_stage_name(player)
        if name in idents:
            reader.fail(item, f"a stage is already called '{name}', the name of {player}'s type draw")
        chance_stages.append(Located({"chance": Located(name, item.line, f"{item.key}"), "outcomes": item},
                                     item.line, item.key, item.path))
        typed.add(player)
    rewritten = [_observing(reader, s, stages[:k], typed, timing) for k, s in enumerate(stages)]
    return Located(chance_stages + rewritten, stages_item.line, stages_item.key, stages_item.path), "sequential"


def _observing(reader, stage: Located, earlier: list[Located], typed: set[str], timing: str) -> Located:
    """A player's stage with its ``observes`` including its own type and excluding the others'."""
    spec = stage.value
    if not isinstance(spec, dict) or "player" not in spec:
        return stage
    mover = reader.text(spec["player"])
    own = [Located(type_stage_name(mover), stage.line, f"{stage.key}.observes")] if mover in typed else []
    if "observes" in spec:
        listed = reader.sequence(spec["observes"], "a list of earlier stages (player names, chance names or stage ids)")
        observes = listed + own
    elif timing == "simultaneous":
        observes = own
    else:
        observes = own + [Located(_stage_ref(reader, s), s.line, f"{stage.key}.observes") for s in earlier
                          if isinstance(s.value, dict)]
    return Located({**spec, "observes": Located(observes, stage.line, f"{stage.key}.observes", stage.path)},
                   stage.line, stage.key, stage.path)


def _stage_ref(reader, stage: Located) -> str:
    spec = stage.value
    for key in ("id", "player", "chance"):
        if key in spec:
            return reader.text(spec[key])
    return ""
