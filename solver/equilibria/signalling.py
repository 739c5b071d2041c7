"""Signalling games inside a tree, and the hybrid (semi-separating) equilibria of two-type ones.

A signalling game is a tree whose root is a chance move over the sender's types; each type's node
is the sender's own information set, with the same messages; after each message the receiver has
one information set holding one node per type, with the same responses; then the game ends
(Cho & Kreps 1987; Fudenberg & Tirole 1991, §8.2.1). :func:`signalling_structure` recognises it.

Mixed equilibria of a two-type game (:func:`hybrid_candidates`): fix a support for each type's
messages and for the receiver's responses after each message sent. The receiver's indifference
between the responses it mixes is linear in the sender's probabilities (Bayes' rule multiplied
out: Σ_t p_t σ_t(m) (u_R(t, m, a) − u_R(t, m, b)) = 0), and each type's indifference between the
messages it mixes is linear in the receiver's probabilities. The two linear systems are solved
exactly; a solution with every supported probability positive, completed with a pure response
after each unsent message, is a candidate that :func:`solver.equilibria.pbe.assess` then checks
like any other profile. Supports of at most two messages per type and two responses per message
are searched; a system with more unknowns than conditions is a continuum and is noted.

    I.-K. Cho, D. M. Kreps (1987), "Signaling games and stable equilibria", Quarterly Journal of
      Economics 102, 179–221.
    D. Fudenberg, J. Tirole (1991), Game Theory, MIT Press, §8.2.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

from solver.core.deadline import expired
from solver.equilibria.result import DEADLINE, Note
from solver.model.tree import CHANCE, TERMINAL, ExtensiveGame

CONTINUUM = "continuum"
SUPPORTS = "supports"
#: The largest support (messages of a type, responses after a message) the hybrid search tries.
MAX_SUPPORT = 2


@dataclass(frozen=True)
class SignallingGame:
    """Where a signalling game sits in its tree. ``node[t][m]``: the receiver's node after type t
    sends message m; ``payoff[i][t][m][a]``: payoff to player i (0 sender, 1 receiver)."""
    sender: int
    receiver: int
    types: tuple[str, ...]
    prior: tuple[Fraction, ...]
    messages: tuple[str, ...]
    responses: tuple[str, ...]
    sender_infosets: tuple[int, ...]
    receiver_infosets: tuple[int, ...]
    node: tuple[tuple[int, ...], ...]
    payoff: tuple


def _exact(value) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def signalling_structure(tree: ExtensiveGame) -> SignallingGame | None:
    """The signalling game ``tree`` is, or None."""
    if tree.node_player[0] != CHANCE:
        return None
    types = tree.node_moves[0]
    senders = list(tree.children(0))
    sender = int(tree.node_player[senders[0]])
    messages = tree.node_moves[senders[0]]
    if sender < 0 or any(int(tree.node_player[s]) != sender or tree.node_moves[s] != messages
                         or len(tree.infosets[int(tree.node_infoset[s])].nodes) != 1 for s in senders):
        return None
    node = tuple(tuple(tree.children(s)) for s in senders)
    receiver = int(tree.node_player[node[0][0]])
    if receiver < 0 or receiver == sender:
        return None
    responses = tree.node_moves[node[0][0]]
    receiver_infosets = []
    for m in range(len(messages)):
        h = int(tree.node_infoset[node[0][m]])
        after = {node[t][m] for t in range(len(types))}
        if set(tree.infosets[h].nodes) != after or tree.infosets[h].player != receiver or tree.infosets[h].moves != responses:
            return None
        receiver_infosets.append(h)
    if len(set(receiver_infosets)) != len(messages):
        return None
    if any(tree.node_player[c] != TERMINAL for row in node for x in row for c in tree.children(x)):
        return None
    payoff = tuple(tuple(tuple(tuple(_exact(tree.leaf_payoffs[c][player]) for c in tree.children(x)) for x in row)
                         for row in node) for player in (sender, receiver))
    return SignallingGame(sender, receiver, tuple(types), tuple(_exact(tree.chance_probs[s]) for s in senders),
                          tuple(messages), tuple(responses), tuple(int(tree.node_infoset[s]) for s in senders),
                          tuple(receiver_infosets), node, payoff)


def solve_linear(rows: list[list[Fraction]], n: int) -> tuple[tuple[Fraction, ...] | None, tuple]:
    """A solution of the augmented system (free unknowns 0) and a basis of the directions in which
    it may move (empty when unique); (None, ()) when the system is inconsistent.

    >>> solve_linear([[Fraction(1), Fraction(1), Fraction(1)]], 2)
    ((Fraction(1, 1), Fraction(0, 1)), ((Fraction(-1, 1), Fraction(1, 1)),))
    """
    m = [list(r) for r in rows]
    pivots, r = [], 0
    for col in range(n):
        pivot = next((k for k in range(r, len(m)) if m[k][col] != 0), None)
        if pivot is None:
            continue
        m[r], m[pivot] = m[pivot], m[r]
        m[r] = [v / m[r][col] for v in m[r]]
        for k in range(len(m)):
            if k != r and m[k][col] != 0:
                m[k] = [a - m[k][col] * b for a, b in zip(m[k], m[r])]
        pivots.append(col)
        r += 1
    if any(all(v == 0 for v in row[:n]) and row[n] != 0 for row in m):
        return None, ()
    solution = [Fraction(0)] * n
    for k, col in enumerate(pivots):
        solution[col] = m[k][n]
    directions = []
    for free in (c for c in range(n) if c not in pivots):
        direction = [Fraction(0)] * n
        direction[free] = Fraction(1)
        for k, col in enumerate(pivots):
            direction[col] = -m[k][free]
        directions.append(tuple(direction))
    return tuple(solution), tuple(directions)


def _supports(count: int) -> list[tuple[int, ...]]:
    return [s for size in range(1, min(MAX_SUPPORT, count) + 1) for s in itertools.combinations(range(count), size)]


def _sender_mix(game: SignallingGame, supports, mixing: dict) -> tuple[dict | None, tuple]:
    """The types' probabilities on their supports from the receiver's indifference conditions."""
    columns = [(t, m) for t, s in enumerate(supports) for m in s]
    rows = [[Fraction(int(ct == t)) for ct, _ in columns] + [Fraction(1)] for t in range(len(supports))]
    for m, (a, b) in mixing.items():
        rows.append([game.prior[t] * (game.payoff[1][t][m][a] - game.payoff[1][t][m][b]) if cm == m else Fraction(0)
                     for t, cm in columns] + [Fraction(0)])
    solution, directions = solve_linear(rows, len(columns))
    if solution is None:
        return None, ()
    return dict(zip(columns, solution)), tuple(dict(zip(columns, d)) for d in directions)


def _receiver_mix(game: SignallingGame, supports, responses: dict) -> tuple[dict | None, tuple]:
    """The receiver's probabilities after each message sent from the types' indifference conditions."""
    columns = [(m, a) for m, s in responses.items() for a in s]
    rows = [[Fraction(int(cm == m)) for cm, _ in columns] + [Fraction(1)] for m in responses]
    for t, s in enumerate(supports):
        for m, other in zip(s, s[1:]):
            rows.append([(game.payoff[0][t][m][a] if cm == m else 0) - (game.payoff[0][t][other][a] if cm == other else 0)
                         for cm, a in columns] + [Fraction(0)])
    solution, directions = solve_linear(rows, len(columns))
    if solution is None:
        return None, ()
    return dict(zip(columns, solution)), tuple(dict(zip(columns, d)) for d in directions)


def hybrid_candidates(game: SignallingGame, deadline: float | None = None) -> tuple[list[dict], dict, tuple[Note, ...]]:
    """Profiles in which some type, or the receiver after a message sent, mixes, from the
    indifference conditions (see the module docstring); each still has to be checked. Notes: supports not searched, continua, deadline."""
    notes: list[Note] = []
    if len(game.messages) > MAX_SUPPORT or len(game.responses) > MAX_SUPPORT:
        notes.append(Note(SUPPORTS, "mixed equilibria in which a type mixes over more than two messages, or the "
                                    "receiver over more than two responses, were not searched"))
    found, continua, samples = [], set(), {}
    for supports in itertools.product(_supports(len(game.messages)), repeat=len(game.types)):
        sent = sorted({m for s in supports for m in s})
        for chosen in itertools.product(_supports(len(game.responses)), repeat=len(sent)):
            if all(len(s) == 1 for s in supports + chosen):
                continue                      # pure on the path: the pure enumeration's
            if expired(deadline):
                return found, samples, tuple(notes) + (Note(DEADLINE),)
            responses = dict(zip(sent, chosen))
            if not _pure_ties_hold(game, supports, responses):
                continue
            receiver, receiver_free = _receiver_mix(game, supports, responses)
            if receiver is None:
                continue
            sender, sender_free = _sender_mix(game, supports, {m: r for m, r in responses.items() if len(r) == 2})
            if sender is None:
                continue
            pattern = tuple(tuple(game.messages[m] for m in s) for s in supports)
            if len(sender_free) + len(receiver_free) == 1:
                for sender_point, receiver_point in _segment_points(sender, sender_free, receiver, receiver_free):
                    samples.setdefault(pattern, []).extend(_completed(game, sender_point, receiver_point, sent))
                continue
            if sender_free or receiver_free:
                continua.add(pattern)
                continue
            if any(v <= 0 for v in sender.values()) or any(v <= 0 for v in receiver.values()):
                continue
            found.extend(_completed(game, sender, receiver, sent))
    if continua:
        listed = sorted(continua)
        shown = "; ".join(" | ".join("+".join(s) for s in c) for c in listed[:3]) + ("; …" if len(listed) > 3 else "")
        notes.append(Note(CONTINUUM, "for {count} support pattern(s) the indifference conditions leave two or more "
                                     "probabilities free: mixed equilibria there, if any, form continua that are not listed "
                                     "(messages of each type: {supports})", {"count": len(listed), "supports": shown}))
    return found, samples, tuple(notes)


#: Points tried along a segment of mixtures left free by the indifference conditions.
SEGMENT_POINTS = 7


def _segment_points(sender: dict, sender_free: tuple, receiver: dict, receiver_free: tuple) -> list[tuple[dict, dict]]:
    """Points strictly inside the segment {x + λ·d} where every supported probability is positive."""
    base, direction = (sender, sender_free[0]) if sender_free else (receiver, receiver_free[0])
    low, high = None, None
    for key, d in direction.items():
        if d != 0:
            bound = -base[key] / d
            if d > 0:
                low = bound if low is None else max(low, bound)
            else:
                high = bound if high is None else min(high, bound)
    if low is None or high is None or low >= high:
        return []
    points = []
    for k in range(1, SEGMENT_POINTS + 1):
        lam = low + (high - low) * Fraction(k, SEGMENT_POINTS + 1)
        moved = {key: base[key] + lam * direction[key] for key in base}
        points.append((moved, receiver) if sender_free else (sender, moved))
    return points


def _pure_ties_hold(game: SignallingGame, supports, responses: dict) -> bool:
    """A type that mixes between two messages after each of which the receiver's response is pure
    must get the same payoff from both (no unknown can make it so)."""
    for t, s in enumerate(supports):
        for m, other in zip(s, s[1:]):
            if len(responses[m]) == 1 and len(responses[other]) == 1 and \
                    game.payoff[0][t][m][responses[m][0]] != game.payoff[0][t][other][responses[other][0]]:
                return False
    return True


def _completed(game: SignallingGame, sender: dict, receiver: dict, sent: list[int]) -> list[dict]:
    """The behaviour profiles with these mixtures and each pure response after the unsent messages."""
    base = {}
    for t, h in enumerate(game.sender_infosets):
        base[h] = tuple(sender.get((t, m), Fraction(0)) for m in range(len(game.messages)))
    for m in sent:
        base[game.receiver_infosets[m]] = tuple(receiver.get((m, a), Fraction(0)) for a in range(len(game.responses)))
    unsent = [m for m in range(len(game.messages)) if m not in sent]
    profiles = []
    for replies in itertools.product(range(len(game.responses)), repeat=len(unsent)):
        profile = dict(base)
        for m, a in zip(unsent, replies):
            profile[game.receiver_infosets[m]] = tuple(Fraction(int(k == a)) for k in range(len(game.responses)))
        profiles.append(profile)
    return profiles


def classification(game: SignallingGame, profile) -> str:
    """``pooling`` (every type sends the same messages with the same probabilities: the receiver
    learns nothing), ``separating`` (no message is sent by two types), or ``semi-separating``."""
    mixes = [tuple(profile[h]) for h in game.sender_infosets]
    if all(m == mixes[0] for m in mixes):
        return "pooling"
    used = [{m for m, p in enumerate(mix) if p > 0} for mix in mixes]
    if all(not (a & b) for a, b in itertools.combinations(used, 2)):
        return "separating"
    return "semi-separating"
