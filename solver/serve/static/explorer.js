// The explorer page: sliders and number boxes → the server solves exactly → picture, equilibria,
// region map and threshold ticks are redrawn. No framework, no build step, nothing from the network.
// Quick moves: each new request aborts the one before (AbortController), carries a sequence
// number (the server drops work superseded before it starts) and answers to old requests are ignored.
(function () {
  "use strict";
  const main = document.getElementById("explorer");
  if (!main) return;
  const config = JSON.parse(main.dataset.config);
  const game = encodeURIComponent(config.game);
  const page = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const $ = (id) => document.getElementById(id);
  const params = Array.from(document.querySelectorAll(".param")).map((element) => {
    const name = element.dataset.name;
    return { name, box: $("value-" + name), slider: $("slider-" + name), ticks: $("ticks-" + name) };
  });
  const summary = $("summary"), status = $("status"), picture = $("picture"), equilibria = $("equilibria");
  const explain = $("explain"), explanation = $("explanation");
  const mapBox = $("region-map"), legend = $("map-legend"), mapX = $("map-x"), mapY = $("map-y");

  // ---- values and queries ---------------------------------------------------------------------
  function parameterQuery() {       // the values that differ from the file's, as the URL holds them
    const query = new URLSearchParams();
    for (const p of params) {
      if (p.box.value.trim() !== config.defaults[p.name]) query.append(p.name, p.box.value.trim());
    }
    return query;
  }
  function pageQuery() {            // the permalink: values, and the map's axes when not the first two
    const query = parameterQuery();
    if (config.map && mapX && (mapX.value !== config.map[0] || mapY.value !== config.map[1])) {
      query.append("map_x", mapX.value);
      query.append("map_y", mapY.value);
    }
    return query.toString();
  }
  function numeric(text) {          // a box's number for placing a slider or the map's mark; NaN if none
    const t = text.trim();
    const fraction = /^(-?\d*\.?\d+)\s*\/\s*(\d*\.?\d+)$/.exec(t);
    if (fraction) return Number(fraction[1]) / Number(fraction[2]);
    return t === "" ? NaN : Number(t);
  }
  function sliderText(slider) {     // 6.5, not 6.500000000000001
    const decimals = Math.min(10, Math.max(0, -Math.floor(Math.log10(Number(slider.step) || 1)) + 1));
    return String(Number(Number(slider.value).toFixed(decimals)));
  }
  function api(path, query, sequence) {
    const extra = new URLSearchParams(query);
    extra.append("_page", page);
    extra.append("_seq", String(sequence));
    return `/api/${game}/${path}?${extra.toString()}`;
  }

  // ---- the view: picture, equilibria, summary --------------------------------------------------
  let viewSequence = 0, viewController = null;
  async function refreshView() {
    const query = parameterQuery().toString();
    const sequence = ++viewSequence;
    if (viewController) viewController.abort();
    const controller = viewController = new AbortController();
    main.classList.add("busy");
    try {
      const response = await fetch(api("view", query, sequence), { signal: controller.signal });
      const data = await response.json();
      if (sequence !== viewSequence || data.stale) return;
      if (!response.ok) showError(data.error, query);
      else render(data, query);
    } catch (error) {
      if (error.name !== "AbortError" && sequence === viewSequence) showError("the server did not answer (" + error.message + ")", query);
    } finally {
      if (sequence === viewSequence) main.classList.remove("busy");
    }
  }
  function showError(message, query) {
    status.textContent = "Error: " + message;
    status.className = "status error";
    status.setAttribute("role", "alert");
    summary.textContent = "No answer for these values.";
    summary.dataset.shown = query;
    main.classList.add("failed");
  }
  function render(data, query) {
    picture.innerHTML = data.picture;
    equilibria.innerHTML = data.equilibria;
    summary.textContent = data.summary;
    summary.dataset.shown = query;
    status.textContent = data.notice || "";
    status.className = "status" + (data.timed_out ? " warn" : "");
    status.removeAttribute("role");
    main.classList.remove("failed");
    links();
    if (explain.open) refreshExplanation();
    scheduleMap(false);
    scheduleThresholds();
  }
  function links() {
    const query = pageQuery();
    const suffix = query ? "?" + query : "";
    history.replaceState(null, "", location.pathname + suffix);
    $("permalink").href = location.pathname + suffix;
    const values = parameterQuery().toString();
    $("download-yaml").href = `/download/${game}.yaml` + (values ? "?" + values : "");
    $("download-report").href = `/download/${game}.html` + (values ? "?" + values : "");
  }

  // ---- the explanation, fetched when opened --------------------------------------------------
  let explainSequence = 0;
  async function refreshExplanation() {
    const sequence = ++explainSequence;
    try {
      const response = await fetch(api("explain", parameterQuery().toString(), sequence));
      const data = await response.json();
      if (sequence !== explainSequence || data.stale) return;
      explanation.innerHTML = response.ok ? data.html : `<p class="status error">Error: ${escapeHtml(data.error)}</p>`;
    } catch (error) { /* the next change asks again */ }
  }

  // ---- the region map: fetched when a parameter off its axes changes; the mark moves by itself --
  let mapSequence = 0, mapKey = null, mapTimer = null;
  function scheduleMap(force) {
    if (!config.map || !mapX) return;
    const query = parameterQuery();
    query.delete(mapX.value);
    query.delete(mapY.value);
    const key = `${mapX.value}|${mapY.value}|${query.toString()}`;
    if (!force && key === mapKey) { moveMark(); return; }
    clearTimeout(mapTimer);
    mapTimer = setTimeout(() => refreshMap(key), 150);
  }
  async function refreshMap(key) {
    const sequence = ++mapSequence;
    const query = parameterQuery();
    query.append("map_x", mapX.value);
    query.append("map_y", mapY.value);
    mapBox.classList.add("busy");
    try {
      const response = await fetch(api("map", query.toString(), sequence));
      const data = await response.json();
      if (sequence !== mapSequence || data.stale) return;
      if (!response.ok) { mapBox.innerHTML = `<p class="status error">Error: ${escapeHtml(data.error)}</p>`; return; }
      mapBox.innerHTML = data.svg;
      legend.innerHTML = data.legend.map((o) => `<li><span class="swatch" style="background:${o.colour}"></span>${escapeHtml(o.label)}</li>`).join("");
      mapKey = key;
      moveMark();
    } catch (error) { /* the next change asks again */ } finally {
      if (sequence === mapSequence) mapBox.classList.remove("busy");
    }
  }
  function moveMark() {
    const svg = mapBox.querySelector("svg"), mark = $("map-point");
    if (!svg || !mark) return;
    const g = svg.dataset, x = numeric($("value-" + mapX.value).value), y = numeric($("value-" + mapY.value).value);
    if (!isFinite(x) || !isFinite(y)) return;
    const share = (v, lo, hi) => Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
    const px = Number(g.left) + share(x, Number(g.xLo), Number(g.xHi)) * Number(g.width);
    const py = Number(g.top) + Number(g.height) - share(y, Number(g.yLo), Number(g.yHi)) * Number(g.height);
    mark.setAttribute("transform", `translate(${px.toFixed(1)} ${py.toFixed(1)})`);
    mark.dataset.x = String(x);
    mark.dataset.y = String(y);
  }

  // ---- exact thresholds as ticks under each slider --------------------------------------------
  let thresholdGeneration = 0, thresholdTimer = null;
  function scheduleThresholds() {
    clearTimeout(thresholdTimer);
    thresholdTimer = setTimeout(refreshThresholds, 250);
  }
  async function refreshThresholds() {
    const generation = ++thresholdGeneration;
    const query = parameterQuery().toString();
    for (const p of params) {
      if (!p.slider) continue;
      if (generation !== thresholdGeneration) return;
      try {
        const response = await fetch(api("thresholds/" + encodeURIComponent(p.name), query, generation));
        const data = await response.json();
        if (generation !== thresholdGeneration || data.stale) return;
        drawTicks(p, response.ok ? data.ticks : []);
      } catch (error) { return; }
    }
  }
  function drawTicks(p, ticks) {
    const lo = Number(p.slider.min), hi = Number(p.slider.max);
    p.ticks.innerHTML = ticks.map((t) => {
      const share = Math.min(1, Math.max(0, (t.value - lo) / (hi - lo)));
      return `<span class="tick" data-value="${t.value}" title="${escapeHtml(t.why)}" ` +
        `style="left: calc(8px + (100% - 16px) * ${share.toFixed(4)})">${escapeHtml(t.text)}</span>`;
    }).join("");
    p.ticks.dataset.count = String(ticks.length);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  // ---- wiring ---------------------------------------------------------------------------------
  for (const p of params) {
    if (p.slider) {
      p.slider.addEventListener("input", () => { p.box.value = sliderText(p.slider); refreshView(); });
    }
    p.box.addEventListener("input", () => {
      const value = numeric(p.box.value);
      if (p.slider && isFinite(value)) p.slider.value = String(value);
      refreshView();
    });
  }
  $("reset").addEventListener("click", () => {
    for (const p of params) {
      p.box.value = config.defaults[p.name];
      if (p.slider) p.slider.value = String(numeric(p.box.value));
    }
    refreshView();
  });
  explain.addEventListener("toggle", () => { if (explain.open) refreshExplanation(); });
  if (mapX) {
    let previous = [mapX.value, mapY.value];
    const swap = (changed, other, was) => { if (changed.value === other.value) other.value = was; };
    mapX.addEventListener("change", () => { swap(mapX, mapY, previous[0]); previous = [mapX.value, mapY.value]; links(); scheduleMap(true); });
    mapY.addEventListener("change", () => { swap(mapY, mapX, previous[1]); previous = [mapX.value, mapY.value]; links(); scheduleMap(true); });
  }
  if (!summary.textContent && !status.textContent) refreshView();
  scheduleMap(true);
  scheduleThresholds();
  main.dataset.ready = "true";
})();
