"""``solve report``: one self-contained, responsive HTML page; checked as text, and in headless
Chromium where it can be had (the tests that need it skip otherwise)."""
import os
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from solver.analysis.report import build_report
from solver.api import load_game
from solver.cli import main
from solver.present.html import render_report

RANGED_TECH_TRANSFER_PARAMETERS = 10


@pytest.fixture(scope="module")
def tech_transfer_page(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "tech_transfer.html"
    result = CliRunner().invoke(main, ["report", "games/tech_transfer.yaml", "-o", str(path), "--sweep-points", "9"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


def test_self_contained(tech_transfer_page):
    page = tech_transfer_page.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<script" not in page and "<link" not in page and "<img" not in page and "<iframe" not in page
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:|//)""", page)       # nothing fetched
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", page)                        # no remote CSS resources
    assert "@import" not in page
    assert page.count("<style>") == 1


def test_sections_and_content(tech_transfer_page):
    page = tech_transfer_page.read_text(encoding="utf-8")
    for section in ["description", "parameters", "picture", "equilibria", "explanation", "sweeps"]:
        assert f'<section id="{section}">' in page
    assert "<h1>Russia&#x27;s technology transfer to North Korea, with China and the US responding</h1>" in page
    # parameters with their sources
    assert "<code>ammo_gain</code>" in page and "A1: &quot;Russia urgently requires" in page
    # the equilibrium, what the list covers (the words every report uses), and the reasoning
    assert "Path of play: <strong>Withhold → Enable → Engage</strong>" in page
    assert ("1 found by backward-induction. This is the game&#x27;s only subgame-perfect equilibrium.</p>" in page)
    assert "US after Transfer→Enable: Deter −7 &gt; Engage −8." in page
    # inline SVG: the tree plus one sweep plot per ranged parameter, labels as text
    assert page.count("<svg") == 1 + RANGED_TECH_TRANSFER_PARAMETERS
    assert ">Withhold<" in page and ">(0, 0, 0)<" in page
    for name in ["ammo_gain", "deter_cost", "restraint_efficacy"]:
        assert f'id="sweep-{name}"' in page
    # ammo_gain: Withhold below s = 6, Transfer → Restrain → Engage above (docs/scenarios.md threshold a > s)
    sweep = page.split('id="sweep-ammo_gain"')[1].split("</figure>")[0]
    assert "Withhold → Enable → Engage" in sweep and "Transfer → Restrain → Engage" in sweep


def test_normal_form_report():
    page = render_report(build_report(load_game("games/battle_of_the_sexes.yaml")), source_path="games/battle_of_the_sexes.yaml")
    assert page.count("<h3>Equilibrium ") == 3
    assert "Row ╲ Column" in page                                      # the matrix picture, as SVG text
    assert "2q = 1(1 − q), so q = 1/3." in page
    assert '<section id="sweeps">' not in page                          # no ranged parameters


def test_no_sweeps_and_errors(tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", "games/chicken.yaml", "--sweep-points", "0", "-o", str(out)])
    assert result.exit_code == 0
    assert '<section id="sweeps">' not in out.read_text(encoding="utf-8")
    bad = tmp_path / "bad.html"
    result = CliRunner().invoke(main, ["report", "games/chicken.yaml", "--set", "crash=1", "-o", str(bad)])
    assert result.exit_code == 2 and "unknown parameter 'crash'" in result.stderr
    assert not bad.exists()


def test_sweep_over_chicken_crash_cost():
    page = render_report(build_report(load_game("games/chicken.yaml"), sweep_points=5))
    assert 'id="sweep-crash_cost"' in page


# ---- in a browser -------------------------------------------------------------------------------
def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def headless(tmp_path, *args):
    browser = chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (.ci/install_chromium.sh installs it)")
    profile = tmp_path / "profile"
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={profile}", *args]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"Chromium could not run here: {error}")


def png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_dom_in_chromium(tech_transfer_page, tmp_path):
    completed = headless(tmp_path, "--dump-dom", tech_transfer_page.as_uri())
    if completed.returncode != 0 or "<html" not in completed.stdout:
        pytest.skip(f"Chromium did not render: {completed.stderr[-300:]}")
    dom = completed.stdout
    assert "<h1>Russia's technology transfer" in dom
    for section in ["parameters", "picture", "equilibria", "explanation", "sweeps"]:
        assert f'<section id="{section}">' in dom
    assert len(re.findall(r"<svg\b", dom)) == 1 + RANGED_TECH_TRANSFER_PARAMETERS
    assert "US after Transfer→Enable: Deter −7 &gt; Engage −8." in dom


@pytest.mark.parametrize("size", ["1280,2000", "390,1600"], ids=["laptop", "phone"])
def test_screenshot_in_chromium(tech_transfer_page, tmp_path, size):
    shot = tmp_path / f"report_{size.replace(',', 'x')}.png"
    completed = headless(tmp_path, f"--screenshot={shot}", f"--window-size={size}", tech_transfer_page.as_uri())
    if not shot.exists():
        pytest.skip(f"Chromium did not take a screenshot: {completed.stderr[-300:]}")
    width, height = png_size(shot)
    assert (width, height) == tuple(int(v) for v in size.split(","))
    from PIL import Image
    image = Image.open(shot).convert("L")
    colours = image.getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20          # not a blank page
    # the page fits the window: no column of the right edge is covered by text overflowing it
    right_edge = image.crop((width - 4, 0, width, height))
    assert right_edge.getextrema()[0] > 200              # nothing dark is drawn at the very edge


# ---- the game's picture on a phone --------------------------------------------------------------
def test_picture_keeps_its_size_and_scrolls_on_a_phone():
    from solver.present.html import CSS
    assert re.search(r"figure\.picture \{[^}]*overflow-x: auto", CSS)          # scrolls inside its own box
    phone = CSS.split("@media (max-width: 40rem)")[1].split("\n}")[0]
    assert re.search(r"figure\.picture svg \{[^}]*max-width: none", phone)    # not shrunk to the screen
    assert re.search(r"figure\.picture figcaption \{[^}]*position: sticky", phone)


def test_tree_readable_on_a_phone_in_chromium(tmp_path):
    """At 390 px the tree is drawn at its own size (labels ~12 px), not shrunk to fit the screen."""
    page = render_report(build_report(load_game("games/covert_transfer.yaml"), sweep_points=0))
    section = page[page.index('<section id="picture">'):]
    section = section[:section.index("</section>") + len("</section>")]
    section = re.sub(r"<figcaption>.*?</figcaption>", "", section, flags=re.S)       # only the tree
    only = tmp_path / "picture.html"
    only.write_text(page[:page.index("<main>") + len("<main>")] + section + "</main></body></html>", encoding="utf-8")
    natural = re.search(r'<svg[^>]*height="([\d.]+)pt"', section)
    natural_px = float(natural.group(1)) * 96 / 72
    shot = tmp_path / "phone.png"
    completed = headless(tmp_path, f"--screenshot={shot}", "--window-size=390,1200", only.as_uri())
    if not shot.exists():
        pytest.skip(f"Chromium did not take a screenshot: {completed.stderr[-300:]}")
    from PIL import Image
    image = Image.open(shot).convert("L")
    width, height = image.size
    # the tree: the dark pixels below the heading
    dark = image.point(lambda v: 255 if v < 120 else 0)
    rows = [y for y in range(90, height) if dark.crop((0, y, width, y + 1)).getbbox()]
    assert rows, "nothing drawn"
    assert max(rows) - min(rows) >= 0.6 * natural_px, (min(rows), max(rows), natural_px)   # shrunk: ~0.35
    assert image.crop((width - 4, 0, width, height)).getextrema()[0] > 200    # nothing runs off the page
