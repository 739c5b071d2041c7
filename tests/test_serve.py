"""``solve serve``: the explorer's endpoints through Starlette's TestClient (no browser), its
safety (only the served games; values parsed as ``--set`` parses them), its bounded work, the
command, and ``solver.explore`` for notebooks. The browser itself is driven in
tests/test_explorer_browser.py.

Known answers: tech_transfer's path is Withhold → Enable → Engage at the file's values and
Transfer → Restrain → Engage when ammo_gain (Russia's gain) exceeds china_squeeze (6): the
threshold a > s worked by hand in docs/scenarios.md and printed by ``solve thresholds``.
"""
import asyncio
import json
import re
import subprocess
import sys
import threading
import urllib.request
import warnings
from fractions import Fraction

import pytest
from click.testing import CliRunner

pytest.importorskip("starlette", reason="the explorer's optional extra (starlette) is not installed")
pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx")

with warnings.catch_warnings():                 # newer Starlette suggests httpx2 over httpx; both work
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from solver.api import load_game, solve  # noqa: E402
from solver.cli import main  # noqa: E402
from solver.commands import serve as serve_module  # noqa: E402
from solver.serve.app import bind, create_app, is_loopback  # noqa: E402
from solver.serve.catalog import Catalog  # noqa: E402
from solver.serve.gate import STALE, Gate  # noqa: E402
from solver.serve.regionmap import HEIGHT, LEFT, TOP, WIDTH  # noqa: E402
from solver.serve.views import Explorer  # noqa: E402

WITHHOLD = "Withhold → Enable → Engage"
TRANSFER = "Transfer → Restrain → Engage"


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Catalog.from_path("games"))) as test_client:
        yield test_client


def path_moves(picture: str) -> list[str]:
    """The moves drawn as the path of play (thick orange), root first."""
    return re.findall(r'<line class="edge chosen path" data-node="\d+" data-move="([^"]+)"', picture)


# ---- pages ----------------------------------------------------------------------------------------
def test_the_index_lists_every_game_with_its_title_and_description(client):
    page = client.get("/").text
    for game in ["tech_transfer", "covert_transfer", "prisoners_dilemma", "alliance_rupture"]:
        assert f'href="/game/{game}"' in page
        assert f"<strong>{load_game(f'games/{game}.yaml').info.title}</strong>".replace("'", "&#x27;") in page
    assert "Russia decides whether to transfer sensitive missile re-entry" in page       # the description's start


def test_a_single_file_is_served_at_the_root():
    with TestClient(create_app(Catalog.from_path("games/prisoners_dilemma.yaml"))) as single:
        page = single.get("/").text
        assert "<h1>Prisoner" in page and 'class="crumbs"' not in page
        assert single.get("/game/tech_transfer").status_code == 404      # only the game it was started with


def test_the_page_has_a_slider_and_a_box_per_parameter_with_its_range_and_description(client):
    page = client.get("/game/tech_transfer").text
    game = load_game("games/tech_transfer.yaml")
    for p in game.info.parameters:
        assert f'id="value-{p.name}"' in page and f'id="slider-{p.name}"' in page and f'id="ticks-{p.name}"' in page
        assert p.description.split("(")[0].strip()[:40] in page.replace("&#x27;", "'")
    assert 'id="slider-ammo_gain" data-name="ammo_gain" min="0.0" max="10.0" step="0.05" value="4.0"' in page
    assert 'id="slider-deter_efficacy" data-name="deter_efficacy" min="0.0" max="1.0" step="0.005"' in page
    assert f'<p id="summary" class="summary" aria-live="polite" data-shown="">Path of play: {WITHHOLD}</p>' in page
    assert path_moves(page) == ["Withhold", "Enable", "Engage"]
    assert '<select id="map-x" name="map_x"><option value="ammo_gain" selected>' in page
    assert '<script src="/static/explorer.js" defer></script>' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)          # nothing from the network


def test_a_permalink_reproduces_the_view(client):
    page = client.get("/game/tech_transfer?ammo_gain=13/2&map_x=china_squeeze&map_y=ammo_gain").text
    assert f"Path of play: {TRANSFER}</p>" in page
    assert path_moves(page) == ["Transfer", "Restrain", "Engage"]
    assert 'id="value-ammo_gain" name="ammo_gain" value="6.5"' in page           # 13/2, as the box shows it
    assert 'id="slider-ammo_gain" data-name="ammo_gain" min="0.0" max="10.0" step="0.05" value="6.5"' in page
    assert '<option value="china_squeeze" selected>' in page.split('id="map-x"')[1].split("</select>")[0]
    assert '<option value="ammo_gain" selected>' in page.split('id="map-y"')[1].split("</select>")[0]
    assert 'href="/download/tech_transfer.yaml?ammo_gain=13%2F2' in page


def test_static_files_ship_in_the_package(client):
    assert "AbortController" in client.get("/static/explorer.js").text
    assert client.get("/static/explorer.css").headers["content-type"].startswith("text/css")
    pyproject = open("pyproject.toml", encoding="utf-8").read()
    assert '"solver.serve" = ["static/*.js", "static/*.css"]' in pyproject       # a wheel carries them


# ---- the answers ----------------------------------------------------------------------------------
def test_view_follows_the_threshold_ammo_gain_above_china_squeeze(client):
    for value, expected, moves in [("4", WITHHOLD, ["Withhold", "Enable", "Engage"]), ("5.95", WITHHOLD, ["Withhold", "Enable", "Engage"]),
                                   ("6.5", TRANSFER, ["Transfer", "Restrain", "Engage"])]:
        data = client.get(f"/api/tech_transfer/view?ammo_gain={value}").json()
        assert data["summary"] == f"Path of play: {expected}"
        assert path_moves(data["picture"]) == moves
        assert data["completeness"] == "This is the game's only subgame-perfect equilibrium."
        assert data["complete"] is True and data["timed_out"] is False
    # raising china_squeeze above ammo_gain turns Russia back (a > s again decides)
    data = client.get("/api/tech_transfer/view?ammo_gain=6.5&china_squeeze=7").json()
    assert data["summary"] == f"Path of play: {WITHHOLD}"


def test_view_of_a_matrix_marks_the_pure_equilibrium(client):
    data = client.get("/api/prisoners_dilemma/view").json()
    assert data["summary"] == "Equilibrium: (Defect, Defect)"
    assert data["picture"].count('<td class="eq">') == 1                # one shaded cell
    assert data["completeness"] == "This is the game's only Nash equilibrium."
    chicken = client.get("/api/chicken/view").json()
    assert chicken["summary"].startswith("3 equilibria: (Swerve, Straight) | (Straight, Swerve) | (Row Swerve")


def test_the_explanation_is_solve_explains(client):
    html = client.get("/api/tech_transfer/explain").json()["html"]
    assert "US after Transfer→Enable: Deter −7 &gt; Engage −8." in html          # as in the report test


def test_thresholds_are_the_exact_values_where_the_outcome_changes(client):
    data = client.get("/api/tech_transfer/thresholds/ammo_gain").json()
    assert [(t["value"], t["text"]) for t in data["ticks"]] == [(6.0, "6")]
    assert data["ticks"][0]["why"] == "Russia: Transfer rather than Withhold iff ammo_gain > 6 (= china_squeeze)"
    moved = client.get("/api/tech_transfer/thresholds/ammo_gain?china_squeeze=15/2").json()
    assert [t["text"] for t in moved["ticks"]] == ["15/2"]                    # the threshold follows china_squeeze
    assert client.get("/api/tech_transfer/thresholds/nothing").status_code == 400


def _fill_at(svg: str, x: float, y: float) -> str:
    """The colour of the map's cell under the pixel (x, y)."""
    for rx, ry, rw, rh, fill in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="(#\w+)" data', svg):
        if float(rx) <= x <= float(rx) + float(rw) and float(ry) <= y <= float(ry) + float(rh):
            return fill
    raise AssertionError(f"no cell at {x}, {y}")


def test_the_region_map_colours_each_outcome_and_marks_the_point(client):
    data = client.get("/api/tech_transfer/map?map_x=ammo_gain&map_y=china_squeeze&ammo_gain=6.5").json()
    legend = {item["label"]: item["colour"] for item in data["legend"]}
    assert set(legend) >= {WITHHOLD, TRANSFER}
    svg = data["svg"]
    # Transfer where ammo_gain > china_squeeze (below the diagonal), Withhold above it
    assert _fill_at(svg, LEFT + 0.9 * WIDTH, TOP + 0.9 * HEIGHT) == legend[TRANSFER]        # a = 9, s = 1
    assert _fill_at(svg, LEFT + 0.1 * WIDTH, TOP + 0.1 * HEIGHT) == legend[WITHHOLD]        # a = 1, s = 9
    assert _fill_at(svg, LEFT + 0.65 * WIDTH, TOP + 0.4 * HEIGHT) == legend[TRANSFER]       # the current point
    mark = re.search(r'<g id="map-point" transform="translate\(([\d.]+) ([\d.]+)\)">', svg)
    assert (float(mark.group(1)), float(mark.group(2))) == (pytest.approx(LEFT + 0.65 * WIDTH, abs=0.1),
                                                            pytest.approx(TOP + HEIGHT - 0.6 * HEIGHT, abs=0.1))
    assert client.get("/api/tech_transfer/map?map_x=ammo_gain&map_y=ammo_gain").status_code == 400


# ---- downloads ------------------------------------------------------------------------------------
def test_the_yaml_download_loads_back_with_the_new_values(client, tmp_path):
    response = client.get("/download/tech_transfer.yaml?ammo_gain=6.5&deter_efficacy=1/3")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="tech_transfer.yaml"'
    path = tmp_path / "changed.yaml"
    path.write_text(response.text, encoding="utf-8")
    game = load_game(path)
    values = {p.name: p.value for p in game.info.parameters}
    assert values["ammo_gain"] == Fraction(13, 2) and values["deter_efficacy"] == Fraction(1, 3)
    assert values["china_squeeze"] == 6                                         # the others as in the file
    assert [p.range for p in game.info.parameters] == [p.range for p in load_game("games/tech_transfer.yaml").info.parameters]
    original = solve(load_game("games/tech_transfer.yaml"), {"ammo_gain": "6.5", "deter_efficacy": "1/3"})
    assert solve(game).equilibria[0].path == original.equilibria[0].path == (("Transfer → Enable → Engage", 1),)


def test_the_report_download_is_the_static_report_at_these_values(client):
    response = client.get("/download/tech_transfer.html?ammo_gain=6.5")
    assert response.status_code == 200 and response.text.startswith("<!DOCTYPE html>")
    assert f"Path of play: <strong>{TRANSFER}</strong>" in response.text


# ---- safety ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [
    "/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2F..%2Fetc%2Fpasswd",
    "/game/..%2F..%2Fetc%2Fpasswd", "/game/../../etc/passwd", "/api/..%2F..%2Fetc%2Fpasswd/view",
    "/download/..%2F..%2Fetc%2Fpasswd.yaml", "/download/..%2Fgames%2Ftech_transfer.yaml", "/etc/passwd",
    "/games/tech_transfer.yaml", "/game/tech_transfer.yaml", "/download/tech_transfer.nfg", "/download/pyproject.toml",
    "/static/../pages.py", "/static/%2e%2e/pages.py",
])
def test_nothing_but_the_served_games_is_reachable(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "root:" not in response.text and "[project]" not in response.text and "import" not in response.text


@pytest.mark.parametrize("query, message", [
    ("ammo_gain=six", "games/tech_transfer.yaml: --set ammo_gain: expected a number such as 6.5, 13/2 or 2**-1, got 'six'"),
    ("ammo_gain=", "games/tech_transfer.yaml: --set ammo_gain=: expected NAME=VALUE, e.g. --set ammo_gain=6.5"),
    ("ammo_gain=__import__('os')", "games/tech_transfer.yaml: --set ammo_gain: expected a number such as 6.5, 13/2 or 2**-1, "
                                   "got \"__import__('os')\""),
    ("ammo_gain=china_squeeze", "games/tech_transfer.yaml: --set ammo_gain: expected a number such as 6.5, 13/2 or 2**-1, "
                                "got 'china_squeeze'"),
])
def test_a_malformed_value_gives_the_one_line_error_of_set(client, query, message):
    name, value = query.split("=", 1)
    response = client.get("/api/tech_transfer/view", params={name: value})
    assert response.status_code == 400 and response.json() == {"error": message}
    cli = CliRunner().invoke(main, ["games/tech_transfer.yaml", "--set", query])
    assert cli.exit_code == 2 and cli.stderr.strip() == f"Error: {message}"         # the command line's words
    page = client.get("/game/tech_transfer", params={name: value})
    assert page.status_code == 200
    assert '<p id="status" class="status error" role="alert">Error: ' in page.text


def test_an_unknown_parameter_and_an_undefined_payoff_are_one_line_errors(client):
    response = client.get("/api/tech_transfer/view?crash=1")
    assert response.status_code == 400
    assert response.json()["error"].startswith("games/tech_transfer.yaml: --set crash: unknown parameter 'crash' (parameters: ammo_gain,")
    bad = client.get("/api/alliance_rupture/view?" + "&".join(f"{p.name}={p.range[1] if p.range else p.value}"
                                                               for p in load_game("games/alliance_rupture.yaml").info.parameters))
    assert bad.status_code in (200, 400) and "Traceback" not in bad.text


def test_a_solve_past_the_time_limit_is_stopped_and_the_page_says_so():
    # A microsecond: no worker can read, solve and answer in it (1 ms was once enough for chicken).
    with TestClient(create_app(Catalog.from_path("games/chicken.yaml"), timeout=1e-6)) as quick:
        response = quick.get("/api/chicken/view")
        assert response.status_code == 503
        assert response.json() == {"error": "no answer within the time limit (1e-06 s); the work was stopped", "timed_out": True}
        page = quick.get("/").text
        assert ('<p id="status" class="status error" role="alert">Error: no answer within the time limit (1e-06 s); '
                'the work was stopped</p>') in page


def test_a_solve_cut_by_the_deadline_says_the_list_may_be_incomplete():
    """In process (the notebook's way), the solve deadline itself: the result says it is incomplete."""
    view = Explorer(Catalog.from_path("games/chicken.yaml"), timeout=1e-9).view("chicken", ())
    assert view["timed_out"] is True and view["complete"] is False
    assert view["notice"] == "The solve was stopped by the time limit (1e-09 s per request): the list may miss equilibria."


# ---- bounded work ---------------------------------------------------------------------------------
def test_quick_moves_do_not_queue_work():
    """While one solve runs, 20 more requests from the page arrive: only the newest is run."""
    gate, started, release, ran = Gate(1), threading.Event(), threading.Event(), []

    def job(k):
        def work():
            ran.append(k)
            if k == 0:
                started.set()
                release.wait(10)
            return k
        return work

    async def moves():
        first = asyncio.ensure_future(gate.run(("page", "view"), 0, job(0)))
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 10)
        later = [asyncio.ensure_future(gate.run(("page", "view"), k, job(k))) for k in range(1, 21)]
        await asyncio.sleep(0.05)
        release.set()
        return [await first] + [await task for task in later]

    answers = asyncio.run(moves())
    gate.close()
    assert ran == [0, 20]
    assert answers[0] == 0 and answers[-1] == 20 and all(a is STALE for a in answers[1:-1])


def test_a_superseded_request_is_answered_stale(client):
    client.get("/api/tech_transfer/view?_page=p1&_seq=5")
    assert client.get("/api/tech_transfer/view?ammo_gain=1&_page=p1&_seq=3").json() == {"stale": True}
    assert client.get("/api/tech_transfer/view?ammo_gain=1&_page=p2&_seq=3").json()["summary"] == f"Path of play: {WITHHOLD}"


# ---- the command ----------------------------------------------------------------------------------
def test_the_command_prints_the_address_and_warns_off_loopback(monkeypatch):
    served = []
    monkeypatch.setattr(serve_module, "run", lambda app, sock: (served.append(sock.getsockname()), sock.close()))
    result = CliRunner().invoke(main, ["serve", "games/tech_transfer.yaml"])
    assert result.exit_code == 0, result.output
    port = served[0][1]
    assert result.stdout == f"Serving 1 game at http://127.0.0.1:{port}/  (Ctrl+C to stop)\n" and port > 0
    assert "Warning" not in result.stderr
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and not is_loopback("0.0.0.0")
    monkeypatch.setattr(serve_module, "bind", lambda host, port: bind("127.0.0.1", 0))          # listen nowhere else
    result = CliRunner().invoke(main, ["serve", "games", "--host", "0.0.0.0", "--port", "8123"])
    assert "Warning: listening on 0.0.0.0: anyone who can reach this machine" in result.stderr


def test_the_command_serves_until_stopped():
    """The real thing: ``solve serve`` in a process, asked over HTTP, stopped with SIGTERM."""
    pytest.importorskip("uvicorn", reason="the explorer's optional extra (uvicorn) is not installed")
    process = subprocess.Popen([sys.executable, "-m", "solver", "serve", "games/tech_transfer.yaml"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        url = re.fullmatch(r"Serving 1 game at (http://127\.0\.0\.1:\d+/)  \(Ctrl\+C to stop\)\n", line).group(1)
        with urllib.request.urlopen(url + "api/tech_transfer/view?ammo_gain=6.5", timeout=120) as response:
            assert json.loads(response.read())["summary"] == f"Path of play: {TRANSFER}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_command_refuses_what_it_cannot_serve(tmp_path):
    missing = CliRunner().invoke(main, ["serve", str(tmp_path / "nothing.yaml")])
    assert missing.exit_code == 2 and missing.stderr == f"Error: {tmp_path / 'nothing.yaml'}: no such file or directory\n"
    empty = CliRunner().invoke(main, ["serve", str(tmp_path)])
    assert empty.exit_code == 2 and "no game files (.yaml, .yml, .nfg, .efg) in this directory" in empty.stderr


# ---- notebooks ------------------------------------------------------------------------------------
def test_explore_without_ipywidgets_returns_the_view_as_html(monkeypatch):
    from solver.explore import NO_WIDGETS, StaticView, explore
    monkeypatch.setitem(sys.modules, "ipywidgets", None)                  # as if not installed
    view = explore("games/tech_transfer.yaml", ammo_gain=6.5)
    assert isinstance(view, StaticView) and view.note == NO_WIDGETS
    assert f"Path of play: {TRANSFER}" in view._repr_html_() and NO_WIDGETS in view._repr_html_()
    assert "Error: games/tech_transfer.yaml: --set ammo_gain: expected a number" in explore("games/tech_transfer.yaml", ammo_gain="x").html


def test_explore_with_ipywidgets_redraws_when_a_slider_moves():
    widgets = pytest.importorskip("ipywidgets", reason="ipywidgets is not installed (pip install ipywidgets)")
    from solver.explore import explore
    box = explore(load_game("games/tech_transfer.yaml"))
    assert isinstance(box, widgets.VBox)
    sliders, output = box.children[:-1], box.children[-1]
    assert [s.description for s in sliders] == [p.name for p in load_game("games/tech_transfer.yaml").info.parameters]
    assert f"Path of play: {WITHHOLD}" in output.value
    sliders[0].value = 6.5
    assert f"Path of play: {TRANSFER}" in output.value
