"""The games an explorer serves: a table built once, when the server starts, from one game file or
the game files of one directory. The browser addresses a game by its id in this table (the file
name without its suffix, made safe), never by a path, so no request can reach another file.

>>> catalog = Catalog.from_path("games/tech_transfer.yaml")
>>> [entry.id for entry in catalog], catalog.get("tech_transfer").game.players
(['tech_transfer'], ('Russia', 'China', 'US'))
>>> catalog.get("../../etc/passwd") is None
True
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from solver.api import SolveError, load_game
from solver.io.yamlfile import GameFileError
from solver.model.expr import ExpressionError, to_exact

#: The files a directory's games are read from.
GAME_SUFFIXES = (".yaml", ".yml", ".nfg", ".efg")
UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Entry:
    """One served game: its id in the URL, the file it was read from, and the game as loaded."""
    id: str
    path: str
    game: object

    @property
    def title(self) -> str:
        return self.game.info.title or os.path.basename(self.path)

    @property
    def description(self) -> str:
        return self.game.info.description

    @property
    def parameters(self) -> tuple:
        return self.game.info.parameters

    def defaults(self) -> dict[str, object]:
        """Each parameter's value in the file, exact."""
        return {p.name: to_exact(p.value) for p in self.parameters}


@dataclass(frozen=True)
class Skipped:
    """A file of the directory that could not be read, and the one-line reason."""
    path: str
    reason: str


class Catalog:
    """The served games by id, in file-name order, and the files that were skipped."""

    def __init__(self, entries: list[Entry], skipped: tuple[Skipped, ...] = (), directory: str = ""):
        self._entries = {entry.id: entry for entry in entries}
        self.skipped = skipped
        self.directory = directory

    @classmethod
    def from_path(cls, path: str) -> "Catalog":
        """The game file at ``path``, or every game file directly inside the directory ``path``.
        A single file that cannot be read raises its error; a directory's unreadable files are
        listed as skipped."""
        if not os.path.isdir(path):
            game = load_game(path)
            return cls([Entry(game_id(path, set()), path, game)])
        entries, skipped, taken = [], [], set()
        for name in sorted(os.listdir(path)):
            file = os.path.join(path, name)
            if not name.lower().endswith(GAME_SUFFIXES) or not os.path.isfile(file):
                continue
            try:
                game = load_game(file)
            except (GameFileError, SolveError, ExpressionError, ValueError) as error:
                skipped.append(Skipped(file, str(error).splitlines()[0]))
                continue
            ident = game_id(file, taken)
            taken.add(ident)
            entries.append(Entry(ident, file, game))
        return cls(entries, tuple(skipped), path)

    def get(self, ident: str) -> Entry | None:
        return self._entries.get(ident)

    def __iter__(self):
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def single(self) -> Entry | None:
        """The one game when the server was started with a file."""
        return next(iter(self._entries.values())) if len(self._entries) == 1 and not self.directory else None


def game_id(path: str, taken: set[str]) -> str:
    """``games/tech_transfer.yaml`` → ``tech_transfer``; letters, digits, ``_`` and ``-`` only,
    made unique against ``taken`` with a numeric suffix."""
    base = UNSAFE.sub("-", os.path.splitext(os.path.basename(path))[0]).strip("-") or "game"
    ident, k = base, 2
    while ident in taken:
        ident, k = f"{base}-{k}", k + 1
    return ident
