"""All Nash equilibria of an N-player normal-form game by support enumeration and polynomial systems.

Sources
-------
* R. D. McKelvey and A. McLennan, "Computation of equilibria in finite games", Handbook of
  Computational Economics vol. 1 (1996) ch. 2, §6 — every equilibrium solves the indifference
  equations of its own support profile, a system of multilinear polynomial equations.
* R. Porter, E. Nudelman and Y. Shoham, "Simple search methods for finding a Nash equilibrium",
  Games and Economic Behavior 63 (2008) 642–662 — backtracking over support profiles with
  iterated removal of conditionally strictly dominated strategies.
* R. S. Datta, "Using computer algebra to find Nash equilibria", ISSAC 2003 — solving the
  equilibrium equations with Gröbner bases.
* A. McLennan and R. McKelvey, "The maximal number of regular totally mixed Nash equilibria",
  J. Economic Theory 72 (1997) 411–425 — the multihomogeneous Bézout count of a support system.
* A. P. Morgan and A. J. Sommese, "A homotopy for solving general polynomial systems that
  respects m-homogeneous structures", Appl. Math. Comput. 24 (1987) 101–113 — the
  linear-product start system and the "gamma trick" used for float payoffs.
* D. Cox, J. Little and D. O'Shea, "Ideals, Varieties, and Algorithms", ch. 2–3 and 9 —
  elimination with lex bases, the shape lemma, dimension from leading monomials.

Method
------
Support profiles come from a backtracking search with dominance pruning (:mod:`.support`). For a
support profile the unknowns are the probabilities of the players who mix, with
``p_j[s0] = 1 - sum(rest)``; the equations say each mixing player is indifferent among its
support; the constraints are positivity on the support and "no better reply outside it".

Exact payoffs (``int`` / ``Fraction``; float payoffs that are small-denominator rationals such
as ``0.25`` are treated the same way and the answers converted to float):

* at most two mixing players: the equations are linear, solved with exact fractions; solution
  polytopes (degenerate games) are described by vertices found with linear programs and then
  re-solved exactly from their active constraints (:mod:`.linear`);
* three or more mixing players and at most ``GB_MAX_VARIABLES`` unknowns, or any system the
  homotopy below flags (singular or failed paths): a Gröbner basis decides emptiness and the
  dimension (:mod:`.groebner`); zero-dimensional systems are solved in shape position, rational
  roots exactly and irrational ones to 50 significant digits, computed with as many
  working digits as cancellation needs (:mod:`.algebraic`); positive-dimensional
  systems are *families*, described by sample points on their boundary and inside. Every sympy
  call runs under a per-system budget and the deadline (:mod:`.budget`); past it the system is
  solved numerically with a note;
* larger systems are first solved numerically (:mod:`.tracking`); when every path ends at a
  nonsingular root or diverges, the roots are rounded to rationals and kept exact if they verify
  exactly, otherwise returned as floats.

Exact irrational payoffs (sums of rational multiples of square roots such as ``sqrt(2)``, passed as
``algebraic=`` :class:`~solver.core.numbers.Surd` numbers next to their floats): the support search
compares them exactly, and supports where at most two players mix are solved exactly in that field
(:mod:`.linear`: every vertex of small polytopes enumerated exactly; with two mixing players in a
game of three or more, the product of the two players' polytopes, cut by the pure players'
bilinear constraints), so ties, degenerate supports and continua are found as for rational
payoffs. Supports where three or more players mix are tracked numerically; when a path is singular
or fails (a degenerate system) the result says ``complete=False`` with an ``inexact-support`` note.

Float payoffs: generic games are assumed (a support profile whose multihomogeneous Bézout count
is zero is skipped). Two mixing players: two square linear systems. Three mixing players with two
strategies each: a closed form (two ratios of linear functions and a quadratic). Otherwise a
linear-product homotopy with the gamma trick, tracked for all support profiles of one shape at once;
endpoints are refined by Newton's method. Singular or failed paths near the simplex set
``complete=False``.
When two strategies of a player earn payoffs within the tie tolerance (``1e-12`` of the payoff
range) against some pure profile of the others, the game may be degenerate: ``complete=False``
with a ``float-ties`` note naming the tolerance; otherwise a note says the game was treated as
generic, with that tolerance.

Every equilibrium is checked before it is reported: exact zero regret for exact answers, regret at
most ``1e-9`` times the payoff range for float ones. ``profiles`` holds the equilibria isolated
within their own support system (for a degenerate game these include the vertices of families
whose vertex has a smaller support); ``families`` the positive-dimensional sets as
:class:`~solver.equilibria.result.Family` data with the points found on them. Results are
deduplicated and sorted by their probability vectors.
"""
from solver.equilibria.polynomial.common import rational_profile
from solver.equilibria.polynomial.enumeration import enumerate_polynomial, prepared_payoffs, support_equilibria

__all__ = ["enumerate_polynomial", "prepared_payoffs", "rational_profile", "support_equilibria"]
