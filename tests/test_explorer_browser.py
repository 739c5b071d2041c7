"""``solve serve`` in a real browser: Debian's Chromium (headless), driven by Playwright with that
system browser (never a downloaded one). Skips cleanly when Chromium, Playwright or the explorer's
extra is missing; ``.ci/install_chromium.sh`` installs Chromium in CI.

The server runs in a thread on a free loopback port. Known answers as in tests/test_serve.py:
tech_transfer's path turns from Withhold → Enable → Engage to Transfer → Restrain → Engage when
ammo_gain passes china_squeeze = 6.

Set ``EXPLORER_SCREENSHOTS=DIR`` to also keep the screenshots there (docs/explorer_*.png were made so).
"""
import os
import re
import shutil

import pytest

pytest.importorskip("starlette", reason="the explorer's optional extra (starlette) is not installed")
pytest.importorskip("uvicorn", reason="the explorer's optional extra (uvicorn) is not installed")
playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")

from solver.serve.app import Background, create_app  # noqa: E402
from solver.serve.catalog import Catalog  # noqa: E402

WITHHOLD = "Path of play: Withhold → Enable → Engage"
TRANSFER = "Path of play: Transfer → Restrain → Engage"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]
WAIT = 30_000          # ms


def chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


@pytest.fixture(scope="module")
def server():
    running = Background(create_app(Catalog.from_path("games")))
    yield running.url
    running.stop()


@pytest.fixture(scope="module")
def browser():
    path = chromium()
    if path is None:
        pytest.skip("Chromium is not installed (.ci/install_chromium.sh installs it)")
    with playwright_api.sync_playwright() as driver:
        try:
            launched = driver.chromium.launch(executable_path=path, args=ARGS)
        except playwright_api.Error as error:
            pytest.skip(f"Chromium could not be started by Playwright: {str(error).splitlines()[0]}")
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == []                                  # no script error on the page


def shown(page, query: str, summary: str):
    """Wait until the page shows the answer for ``query`` (its values), and return the summary."""
    page.wait_for_function("([q]) => document.getElementById('summary').dataset.shown === q", arg=[query], timeout=WAIT)
    text = page.inner_text("#summary")
    assert text == summary
    return text


def path_moves(page) -> list[str]:
    return page.eval_on_selector_all("#picture line.edge.path", "lines => lines.map(l => l.dataset.move)")


def test_moving_ammo_gain_past_china_squeeze_moves_the_path(page, server):
    page.goto(server + "game/tech_transfer")
    assert page.inner_text("#summary") == WITHHOLD
    assert path_moves(page) == ["Withhold", "Enable", "Engage"]
    page.fill("#slider-ammo_gain", "6.5")                        # the slider: an input event, as a drag makes
    shown(page, "ammo_gain=6.5", TRANSFER)
    assert path_moves(page) == ["Transfer", "Restrain", "Engage"]
    assert page.input_value("#value-ammo_gain") == "6.5"
    assert "Path of play: Transfer → Restrain → Engage" in page.inner_text("#equilibria")
    assert page.url.endswith("/game/tech_transfer?ammo_gain=6.5")                # the permalink in the address bar
    assert page.get_attribute("#download-yaml", "href") == "/download/tech_transfer.yaml?ammo_gain=6.5"
    page.click("#reset")
    shown(page, "", WITHHOLD)
    assert page.input_value("#value-ammo_gain") == "4"


def test_a_permalink_reproduces_the_view(page, server):
    page.goto(server + "game/tech_transfer?ammo_gain=6.5")
    assert page.inner_text("#summary") == TRANSFER
    assert path_moves(page) == ["Transfer", "Restrain", "Engage"]
    assert page.input_value("#slider-ammo_gain") == "6.5" and page.input_value("#value-ammo_gain") == "6.5"


def test_the_region_map_marks_the_point_and_follows_the_slider(page, server):
    page.goto(server + "game/tech_transfer?ammo_gain=6.5")
    page.wait_for_selector("#region-map svg #map-point", timeout=WAIT)
    geometry = page.eval_on_selector("#region-map svg", "svg => ({...svg.dataset})")
    left, top, width, height = (float(geometry[k]) for k in ("left", "top", "width", "height"))

    def mark():
        transform = page.get_attribute("#map-point", "transform")
        x, y = re.match(r"translate\(([\d.]+) ([\d.]+)\)", transform).groups()
        return float(x), float(y)

    assert mark() == (pytest.approx(left + 0.65 * width, abs=0.2), pytest.approx(top + height - 0.6 * height, abs=0.2))
    legend = page.inner_text("#map-legend")
    assert "Transfer → Restrain → Engage" in legend and "Withhold → Enable → Engage" in legend
    page.fill("#slider-ammo_gain", "2")
    shown(page, "ammo_gain=2", WITHHOLD)
    page.wait_for_function("() => document.getElementById('map-point').dataset.x === '2'", timeout=WAIT)
    assert mark()[0] == pytest.approx(left + 0.2 * width, abs=0.2)


def test_thresholds_are_ticks_on_the_sliders(page, server):
    page.goto(server + "game/tech_transfer")
    tick = page.wait_for_selector("#ticks-ammo_gain .tick", timeout=WAIT)
    assert tick.inner_text() == "6" and tick.get_attribute("data-value") == "6"
    assert tick.get_attribute("title") == "Russia: Transfer rather than Withhold iff ammo_gain > 6 (= china_squeeze)"
    page.fill("#value-china_squeeze", "15/2")                     # a fraction, as --set takes it
    shown(page, "china_squeeze=15%2F2", WITHHOLD)
    page.wait_for_function("() => document.querySelector('#ticks-ammo_gain .tick')?.textContent === '15/2'", timeout=WAIT)


def test_fifty_quick_slider_moves_leave_the_last_answer(page, server):
    page.goto(server + "game/tech_transfer")
    page.wait_for_function("() => document.getElementById('explorer').dataset.ready === 'true'")
    # 49 moves on both sides of the threshold, 5 ms apart (a fast drag), then the last at 6.5
    page.evaluate("""async () => {
        const slider = document.getElementById('slider-ammo_gain');
        for (let k = 0; k < 50; k++) {
            slider.value = k === 49 ? '6.5' : String((k * 37 % 100) / 10);
            slider.dispatchEvent(new Event('input', {bubbles: true}));
            await new Promise(done => setTimeout(done, 5));
        }
    }""")
    shown(page, "ammo_gain=6.5", TRANSFER)
    page.wait_for_timeout(1500)                                   # no late answer to an older move replaces it
    shown(page, "ammo_gain=6.5", TRANSFER)
    assert path_moves(page) == ["Transfer", "Restrain", "Engage"]


def test_a_malformed_value_shows_the_one_line_error(page, server):
    page.goto(server + "game/tech_transfer")
    page.fill("#value-ammo_gain", "six")
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Error')", timeout=WAIT)
    assert page.inner_text("#status") == ("Error: games/tech_transfer.yaml: --set ammo_gain: expected a number such as 6.5, "
                                          "13/2 or 2**-1, got 'six'")
    page.fill("#value-ammo_gain", "13/2")
    shown(page, "ammo_gain=13%2F2", TRANSFER)
    assert page.inner_text("#status") == ""


def test_the_explanation_is_one_click_away(page, server):
    page.goto(server + "game/tech_transfer")
    page.click("#explain summary")
    page.wait_for_function("() => document.getElementById('explanation').textContent.includes('Deter −7 > Engage −8')",
                           timeout=WAIT)


def test_the_index_lists_the_games(page, server):
    page.goto(server)
    page.click("text=Russia's technology transfer to North Korea, with China and the US responding")
    page.wait_for_url("**/game/tech_transfer")
    assert page.inner_text("#summary") == WITHHOLD


@pytest.mark.parametrize("width", [1280, 390], ids=["laptop", "phone"])
def test_screenshots(browser, server, tmp_path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(server + "game/tech_transfer?ammo_gain=6.5")
    page.wait_for_selector("#region-map svg #map-point", timeout=WAIT)
    page.wait_for_selector("#ticks-deter_cost .tick", timeout=WAIT)          # the last slider's ticks: all are drawn
    assert page.evaluate("document.documentElement.scrollWidth") <= width     # nothing runs off the page sideways
    if width < 500:        # on a phone the answer comes before the sliders
        assert page.eval_on_selector("#result", "e => e.getBoundingClientRect().top") < \
            page.eval_on_selector("#controls", "e => e.getBoundingClientRect().top")
    shot = tmp_path / f"explorer_{width}.png"
    page.screenshot(path=str(shot), full_page=width > 500)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(data[16:20], "big") == width
    keep = os.environ.get("EXPLORER_SCREENSHOTS")
    if keep:
        shutil.copy(shot, os.path.join(keep, shot.name))
    context.close()
