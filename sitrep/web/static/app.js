/* sitrep web map: markers, timeline, filters, event panel with evidence, tallies.
 *
 * Everything scraped (article text, outlets, names) is inserted with textContent or as
 * attribute values through the DOM API, never as HTML: the page's CSP forbids inline
 * scripts and styles, and this keeps article text inert even without it. */
"use strict";

(() => {
  // ------------------------------------------------------------------ helpers

  const $ = (sel) => document.querySelector(sel);

  /** An element with attributes (set through the DOM, never parsed) and children (strings
   * become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  async function getJSON(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    if (!r.ok) {
      let msg = r.statusText;
      try { msg = (await r.json()).detail || msg; } catch (_) { /* not JSON */ }
      throw new Error(`${url.split("?")[0]}: ${msg}`);
    }
    return r.json();
  }

  function setStatus(text, isError) {
    const s = $("#status");
    s.textContent = text;
    s.classList.toggle("error", !!isError);
  }

  const DAY = 86400000;
  /** Days since 1970 for an ISO date (a month or year alone counts from its first day). */
  function dayOf(iso) {
    if (!iso) return null;
    const s = iso.length === 4 ? iso + "-01-01" : iso.length === 7 ? iso + "-01" : iso.slice(0, 10);
    const t = Date.parse(s + "T00:00:00Z");
    return Number.isNaN(t) ? null : Math.floor(t / DAY);
  }
  const isoOf = (day) => new Date(day * DAY).toISOString().slice(0, 10);

  function fmt(v) {
    if (v === null || v === undefined || v === "") return "not stated";
    if (Array.isArray(v)) {
      if (!v.length) return "none";
      return v.map((w) => (typeof w === "object" ? `${w.count ?? ""} ${w.type}`.trim() : String(w))).join(", ");
    }
    if (typeof v === "object") {
      return ["name", "admin1", "country_code"].map((k) => v[k]).filter(Boolean).join(", ") || "not stated";
    }
    if (v === true) return "yes";
    if (v === false) return "no";
    return String(v);
  }

  // ------------------------------------------------------------------ types and colours

  const KNOWN_COLOURS = {
    "Air/drone strike": "#d7301f",
    "Shelling/artillery/missile attack": "#f08a24",
    "Remote explosive/landmine/IED": "#7b3294",
    "Armed clash": "#2b83ba",
    "Explosions/Remote violence": "#a6761d",
    "Battles": "#1a9850",
    "Violence against civilians": "#e7298a",
    "Protests": "#66a61e",
    "Riots": "#8c564b",
    "Strategic developments": "#4d4d4d",
  };
  const SPARE = ["#1b9e77", "#e6ab02", "#666666", "#80b1d3", "#bc80bd", "#b3de69"];
  const colours = new Map(Object.entries(KNOWN_COLOURS));
  function colourOf(type) {
    if (!colours.has(type)) colours.set(type, type === "unknown" ? "#999999" : SPARE[colours.size % SPARE.length]);
    return colours.get(type);
  }
  /** The most specific ACLED type known: what markers and bars are coloured by. */
  const typeOf = (p) => p.sub_event_type || p.event_type || "unknown";

  // ------------------------------------------------------------------ state

  const state = {
    points: [],       // every event under the server-side filters
    brush: null,      // [firstDay, lastDay] selected on the timeline
    idFilter: null,   // {label, ids: Set} from a tally
    markers: new Map(),
    selected: null,
    facets: null,
    loadSeq: 0,
    ready: false,
  };
  const api = { ready: false, loadMs: null };
  window.sitrep = api;

  function filterParams() {
    const p = new URLSearchParams();
    const q = $("#f-q").value.trim();
    if (q) p.set("q", q);
    for (const name of ["country", "admin1", "type", "actor", "language", "claimed"]) {
      const v = $(`#f-${name}`).value;
      if (v) p.set(name, v);
    }
    return p;
  }

  /** The events the map, list and counts show: the server's, narrowed by the brush and tally. */
  function visiblePoints() {
    let pts = state.points;
    if (state.brush) {
      const [a, b] = state.brush;
      pts = pts.filter((p) => p.day !== null && p.day >= a && p.day <= b);
    }
    if (state.idFilter) pts = pts.filter((p) => state.idFilter.ids.has(p.event_id));
    return pts;
  }

  // ------------------------------------------------------------------ map

  // zoom 3-12: each level is one more clustering of every marker when they are added
  const map = L.map("map", { zoomControl: true, worldCopyJump: true, minZoom: 3, maxZoom: 12, preferCanvas: false })
    .setView([30, 43], 5);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Borders: Natural Earth (world-atlas) · Places: sitrep gazetteer, GeoNames CC BY 4.0");
  map.createPane("land").style.zIndex = 200;
  map.createPane("labels").style.zIndex = 450;
  map.getPane("labels").style.pointerEvents = "none";
  const landRenderer = L.canvas({ pane: "land", padding: 0.5 });
  let landLayer = null;
  let landDetail = null;

  /** Draw country outlines from a world-atlas file; ``pending`` is its fetch, already under way. */
  async function loadLand(file, pending) {
    const r = await (pending || fetch(`/static/vendor/${file}`));
    if (!r.ok) throw new Error(`${file}: ${r.status}`);
    const world = await r.json();
    const layer = L.geoJSON(topojson.feature(world, world.objects.countries), {
      pane: "land", renderer: landRenderer, interactive: false,
      style: { color: "#8a8f98", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 },
    });
    if (landLayer) map.removeLayer(landLayer);
    landLayer = layer.addTo(map);
  }
  map.on("zoomend", () => {
    // the 1:10m outlines (3.6 MB) only once someone looks closely
    if (map.getZoom() >= 6 && !landDetail) {
      landDetail = loadLand("countries-10m.json").catch((e) => console.warn("detailed borders:", e.message));
    }
  });

  // Place labels from the gazetteer: the biggest places in view, more as one zooms in.
  const labelLayer = L.layerGroup([], { pane: "labels" }).addTo(map);
  const LabelIcon = L.DivIcon.extend({
    createIcon(old) {
      const div = L.DivIcon.prototype.createIcon.call(this, old);
      div.textContent = this.options.text;
      return div;
    },
  });
  let labelSeq = 0;
  async function loadLabels() {
    const seq = ++labelSeq;
    const z = map.getZoom();
    const b = map.getBounds();
    const west = Math.max(-180, b.getWest()), east = Math.min(180, b.getEast());
    const kinds = z < 5 ? "country" : z < 7 ? "country,admin1,town" : "country,admin1,facility,sea,town";
    const minPop = z < 6 ? 1000000 : z < 7 ? 250000 : z < 9 ? 50000 : 0;
    const limit = z < 6 ? 40 : 90;
    const url = `/api/places?kind=${kinds}&min_population=${minPop}&limit=${limit}` +
      `&bbox=${west.toFixed(3)},${Math.max(-90, b.getSouth()).toFixed(3)},${east.toFixed(3)},${Math.min(90, b.getNorth()).toFixed(3)}`;
    let data;
    try { data = await getJSON(url); } catch (e) { return; }
    if (seq !== labelSeq) return;
    labelLayer.clearLayers();
    for (const p of data.items) {
      if (z >= 6 && p.kind === "country") continue;
      labelLayer.addLayer(L.marker([p.lat, p.lon], {
        pane: "labels", interactive: false, keyboard: false,
        icon: new LabelIcon({ className: `place-label k-${p.kind}`, text: p.name, iconSize: null }),
      }));
    }
  }
  let labelTimer = null;
  map.on("moveend", () => { clearTimeout(labelTimer); labelTimer = setTimeout(loadLabels, 150); });

  // Event markers: size by the number of articles, colour by type, clustered when dense.
  const EventIcon = L.DivIcon.extend({
    createIcon(old) {
      const div = L.DivIcon.prototype.createIcon.call(this, old);
      div.dataset.id = this.options.eventId;
      div.style.background = this.options.colour;
      div.setAttribute("role", "button");
      div.setAttribute("aria-label", this.options.label);
      if (state.selected === this.options.eventId) div.classList.add("selected");
      return div;
    },
  });
  const cluster = L.markerClusterGroup({
    // one pass for up to ~10,000 markers; bigger sets yield to the page every 400 ms
    chunkedLoading: true,
    chunkInterval: 400,
    chunkDelay: 16,
    // also called for the empty group when it joins the map: only a real batch makes the page ready
    chunkProgress: (done, total) => { if (total && done >= total) markReady(); },
    showCoverageOnHover: false,
    spiderfyOnMaxZoom: true,
    maxClusterRadius: (z) => (z < 7 ? 45 : 30),
  }).addTo(map);  // a cluster of one place's events spiderfies on click at any zoom

  /** Bring an event's marker into view: pan to it, open its cluster, or zoom until it shows. */
  function reveal(m, again) {
    const parent = cluster.getVisibleParent(m);
    if (!parent) {
      if (!again) {
        map.once("moveend", () => setTimeout(() => reveal(m, true), 300));
        map.setView(m.getLatLng(), Math.max(map.getZoom(), 6));
      }
      return;
    }
    if (parent === m) {
      if (!map.getBounds().pad(-0.1).contains(m.getLatLng())) map.panTo(m.getLatLng());
      return;
    }
    const b = parent.getBounds();
    if (b.getNorthEast().equals(b.getSouthWest()) || map.getZoom() >= 8 || again) { parent.spiderfy(); return; }
    // close enough to see the place among its neighbours, then open what still clusters it
    // (markercluster regroups after the zoom has ended: ask again a moment later)
    map.once("moveend", () => setTimeout(() => reveal(m, true), 300));
    map.setView(m.getLatLng(), 8);
  }

  const sizeOf = (n) => Math.round(Math.min(36, 10 + 5 * Math.sqrt(Math.max(1, n) - 1) + 2));

  function buildMarkers() {
    state.markers = new Map();
    for (const p of state.points) {
      if (p.latitude === null || p.longitude === null) continue;
      const d = sizeOf(p.source_count);
      const label = `${p.event_date || "undated"} · ${p.location_name || "?"} · ${typeOf(p)} · ${p.source_count} source(s)`;
      const m = L.marker([p.latitude, p.longitude], {
        title: label, keyboard: true, riseOnHover: true,
        icon: new EventIcon({ className: "ev-marker", iconSize: [d, d], eventId: p.event_id, colour: colourOf(typeOf(p)), label }),
      });
      m.on("click", () => openEvent(p.event_id, false));
      state.markers.set(p.event_id, m);
    }
  }

  function markReady() {
    if (state.ready) return;
    state.ready = true;
    api.ready = true;
    api.loadMs = Math.round(performance.now());  // since navigation began
    performance.mark("sitrep:ready");
    document.body.dataset.ready = "true";
    document.body.dataset.loadMs = String(api.loadMs);
  }

  function renderMarkers(pts) {
    cluster.clearLayers();
    const layers = [];
    for (const p of pts) {
      const m = state.markers.get(p.event_id);
      if (m) layers.push(m);
    }
    if (!layers.length) { markReady(); return; }
    cluster.addLayers(layers);
  }

  // ------------------------------------------------------------------ legend

  function renderLegend(pts) {
    const counts = new Map();
    for (const p of pts) counts.set(typeOf(p), (counts.get(typeOf(p)) || 0) + 1);
    const legend = $("#legend");
    legend.replaceChildren();
    for (const [t, n] of [...counts].sort((a, b) => b[1] - a[1])) {
      const sw = el("span", { class: "swatch" });
      sw.style.background = colourOf(t);
      legend.append(el("div", { class: "legend-row" }, sw, `${t} (${n})`));
    }
    legend.append(el("div", { class: "legend-row muted" }, "marker size: number of articles"));
  }

  // ------------------------------------------------------------------ timeline

  const SVG = "http://www.w3.org/2000/svg";
  const svgEl = (tag, attrs) => {
    const n = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, String(v));
    return n;
  };
  const tl = { d0: 0, d1: 1, left: 34, right: 10, top: 6, bottom: 20, width: 0, dragging: null };
  const tlX = (day) => tl.left + ((day - tl.d0) / (tl.d1 - tl.d0)) * (tl.width - tl.left - tl.right);
  const tlDay = (x) => tl.d0 + ((x - tl.left) / (tl.width - tl.left - tl.right)) * (tl.d1 - tl.d0);

  function drawTimeline() {
    const svg = $("#timeline");
    svg.replaceChildren();
    const W = svg.clientWidth || 600, H = svg.clientHeight || 120;
    tl.width = W;
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    const pts = state.idFilter ? state.points.filter((p) => state.idFilter.ids.has(p.event_id)) : state.points;
    const dated = pts.filter((p) => p.day !== null);
    if (!dated.length) {
      const t = svgEl("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "tl-empty" });
      t.textContent = "no dated events";
      svg.append(t);
      return;
    }
    let lo = Infinity, hi = -Infinity;
    for (const p of dated) { if (p.day < lo) lo = p.day; if (p.day > hi) hi = p.day; }
    const pad = Math.max(1, Math.round((hi - lo) * 0.01));
    tl.d0 = lo - pad; tl.d1 = hi + 1 + pad;
    const byDay = new Map();
    let max = 0;
    for (const p of dated) {
      let row = byDay.get(p.day);
      if (!row) byDay.set(p.day, (row = new Map()));
      row.set(typeOf(p), (row.get(typeOf(p)) || 0) + 1);
    }
    for (const row of byDay.values()) max = Math.max(max, [...row.values()].reduce((a, b) => a + b, 0));
    const plotH = H - tl.top - tl.bottom;
    const barW = Math.max(1.5, (W - tl.left - tl.right) / (tl.d1 - tl.d0) - 0.5);
    const order = [...new Set(dated.map(typeOf))].sort();
    // one path per type (a few thousand rects would cost more than the rest of the page)
    const paths = new Map(order.map((t) => [t, []]));
    for (const [day, row] of byDay) {
      let y = H - tl.bottom;
      for (const t of order) {
        const n = row.get(t);
        if (!n) continue;
        const h = Math.max((n / max) * plotH, 0.5);
        y -= h;
        paths.get(t).push(`M${tlX(day).toFixed(1)} ${y.toFixed(1)}h${barW.toFixed(1)}v${h.toFixed(1)}h${(-barW).toFixed(1)}z`);
      }
    }
    const bars = svgEl("g", { class: "tl-bars" });
    for (const [t, d] of paths) bars.append(svgEl("path", { d: d.join(""), fill: colourOf(t) }));
    svg.append(bars);
    tl.byDay = byDay;
    // axes: the busiest day's count, and ticks at years, months or days as the span allows
    const yl = svgEl("text", { x: tl.left - 4, y: tl.top + 8, "text-anchor": "end", class: "tl-axis" });
    yl.textContent = String(max);
    svg.append(yl, svgEl("line", { x1: tl.left, x2: W - tl.right, y1: H - tl.bottom, y2: H - tl.bottom, class: "tl-base" }));
    for (const [day, label] of ticks(tl.d0, tl.d1, W)) {
      const x = tlX(day);
      svg.append(svgEl("line", { x1: x, x2: x, y1: H - tl.bottom, y2: H - tl.bottom + 4, class: "tl-base" }));
      const t = svgEl("text", { x, y: H - 5, "text-anchor": "middle", class: "tl-axis" });
      t.textContent = label;
      svg.append(t);
    }
    const brush = svgEl("rect", { id: "tl-brush", y: tl.top, height: plotH, x: 0, width: 0, class: "tl-brush" });
    svg.append(brush);
    drawBrush();
  }

  function ticks(d0, d1, W) {
    const out = [];
    const span = d1 - d0;
    const maxTicks = Math.max(2, Math.floor(W / 70));
    const start = new Date(d0 * DAY);
    if (span / 365 > maxTicks * 0.6 || span > 900) {
      const step = Math.max(1, Math.ceil(span / 365 / maxTicks));
      for (let y = start.getUTCFullYear(); ; y += step) {
        const d = dayOf(`${y}-01-01`);
        if (d > d1) break;
        if (d >= d0) out.push([d, String(y)]);
      }
    } else if (span > 45) {
      const step = Math.max(1, Math.ceil(span / 30 / maxTicks));
      let y = start.getUTCFullYear(), m = start.getUTCMonth(), shownYear = null;
      for (;;) {
        const d = Math.floor(Date.UTC(y, m, 1) / DAY);
        if (d > d1) break;
        const mon = new Date(d * DAY).toLocaleString("en", { month: "short", timeZone: "UTC" });
        if (d >= d0) out.push([d, y !== shownYear ? `${mon} ${y}` : mon]);
        if (d >= d0) shownYear = y;
        m += step; while (m > 11) { m -= 12; y += 1; }
      }
    } else {
      const step = Math.max(1, Math.ceil(span / maxTicks));
      for (let d = Math.ceil(d0); d <= d1; d += step) out.push([d, isoOf(d).slice(5)]);
    }
    return out;
  }

  function drawBrush() {
    const rect = document.getElementById("tl-brush");
    if (!rect) return;
    const sel = tl.dragging || (state.brush ? [tlX(state.brush[0]), tlX(state.brush[1] + 1)] : null);
    if (!sel) { rect.setAttribute("width", 0); return; }
    const [a, b] = [Math.min(sel[0], sel[1]), Math.max(sel[0], sel[1])];
    rect.setAttribute("x", a.toFixed(1));
    rect.setAttribute("width", Math.max(1, b - a).toFixed(1));
  }

  function svgX(ev) {
    const svg = $("#timeline");
    const r = svg.getBoundingClientRect();
    return ((ev.clientX - r.left) / r.width) * tl.width;
  }

  /** The day under the pointer, in the timeline's caption (bars carry no titles of their own). */
  function hoverDay(ev) {
    if (!tl.byDay || state.brush) return;
    const day = Math.floor(tlDay(svgX(ev)));
    const row = tl.byDay.get(day);
    $("#tl-label").textContent = row
      ? `${isoOf(day)}: ` + [...row].map(([t, n]) => `${n} ${t}`).join(", ")
      : "Events per day: drag across the timeline to select a period";
  }

  function setupBrush() {
    const svg = $("#timeline");
    svg.addEventListener("pointerdown", (ev) => {
      if (!state.points.length) return;
      svg.setPointerCapture(ev.pointerId);
      const x = svgX(ev);
      tl.dragging = [x, x];
      drawBrush();
    });
    svg.addEventListener("pointermove", (ev) => {
      if (!tl.dragging) { hoverDay(ev); return; }
      tl.dragging[1] = svgX(ev);
      drawBrush();
    });
    const end = (ev) => {
      if (!tl.dragging) return;
      const [x0, x1] = tl.dragging;
      tl.dragging = null;
      if (Math.abs(x1 - x0) < 4) { setBrush(null); return; }  // a click clears the period
      // where a day is narrower than a pixel, the nearest day boundary; else the day under the pointer
      const dense = (tl.d1 - tl.d0) / (tl.width - tl.left - tl.right) > 0.5;
      const snap = (x) => (dense ? Math.round(tlDay(x)) : Math.floor(tlDay(x)));
      const a = snap(Math.min(x0, x1)), b = Math.max(a, snap(Math.max(x0, x1)) - (dense ? 1 : 0));
      setBrush([a, b]);
      if (ev.type === "pointercancel") drawBrush();
    };
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);
    $("#tl-clear").addEventListener("click", () => setBrush(null));
    window.addEventListener("resize", () => { clearTimeout(tl.resize); tl.resize = setTimeout(drawTimeline, 120); });
  }

  function setBrush(range) {
    state.brush = range;
    $("#tl-clear").hidden = !range;
    const n = range ? visiblePoints().length : null;
    $("#tl-label").textContent = range
      ? `${isoOf(range[0])} → ${isoOf(range[1])}: ${n} event${n === 1 ? "" : "s"} (drag again to change, click to clear)`
      : "Events per day: drag across the timeline to select a period";
    drawBrush();
    refreshView();
  }

  // ------------------------------------------------------------------ list and counts

  const LIST_MAX = 250;

  function refreshView() {
    const pts = visiblePoints();
    renderMarkers(pts);
    renderList(pts);
    renderLegend(pts);
    const onMap = pts.filter((p) => p.latitude !== null && p.longitude !== null).length;
    const undated = pts.filter((p) => p.day === null).length;
    setStatus(`${pts.length} event${pts.length === 1 ? "" : "s"} · ${onMap} on the map` +
      (pts.length - onMap ? ` · ${pts.length - onMap} without coordinates` : "") +
      (undated && !state.brush ? ` · ${undated} undated` : ""));
    updateExportLinks();
  }

  function renderList(pts) {
    const list = $("#event-list");
    list.replaceChildren();
    $("#list-count").textContent = `(${pts.length})`;
    $("#list-summary").textContent = `${pts.length} event${pts.length === 1 ? "" : "s"}` +
      (state.brush ? ` from ${isoOf(state.brush[0])} to ${isoOf(state.brush[1])}` : "") + ", newest first";
    const frag = document.createDocumentFragment();
    for (const p of pts.slice(0, LIST_MAX)) {
      const sw = el("span", { class: "swatch" });
      sw.style.background = colourOf(typeOf(p));
      const li = el("li", { class: p.event_id === state.selected ? "selected" : null, dataset: { id: p.event_id } },
        el("button", { type: "button", class: "ev-row", onclick: () => openEvent(p.event_id, true) },
          el("span", { class: "ev-date" }, p.event_date || "undated"),
          el("span", { class: "ev-place" }, p.location_name || "place unknown",
            p.country_code ? el("span", { class: "muted" }, ` ${p.admin1 ? p.admin1 + ", " : ""}${p.country_code}`) : null),
          el("span", { class: "ev-type" }, sw, typeOf(p)),
          el("span", { class: "ev-sources", title: "articles reporting it" }, `${p.source_count} src`)));
      frag.append(li);
    }
    list.append(frag);
    const more = $("#list-more");
    more.hidden = pts.length <= LIST_MAX;
    more.textContent = `…and ${pts.length - LIST_MAX} more: narrow the period or the filters to list them.`;
  }

  function updateExportLinks() {
    const p = filterParams();
    if (state.brush) { p.set("since", isoOf(state.brush[0])); p.set("until", isoOf(state.brush[1])); }
    for (const [id, format] of [["#x-csv", "acled-csv"], ["#x-geojson", "geojson"], ["#x-jsonl", "jsonl"]]) {
      p.set("format", format);
      $(id).setAttribute("href", `/api/export?${p}`);
    }
  }

  // ------------------------------------------------------------------ loading

  async function loadPoints() {
    const seq = ++state.loadSeq;
    setStatus("Loading events…");
    const params = filterParams().toString();  // no "?" when empty: the page preloads that URL
    const data = await getJSON(`/api/events/points${params ? "?" + params : ""}`);
    if (seq !== state.loadSeq) return;
    performance.mark("sitrep:points-fetched");
    const cols = data.fields.map((f) => [f, data.columns[f], data.codes[f]]);
    state.points = new Array(data.count);
    for (let i = 0; i < data.count; i++) {
      const p = {};
      for (const [f, col, codes] of cols) p[f] = codes ? codes[col[i]] : col[i];
      p.day = dayOf(p.event_date);
      state.points[i] = p;
    }
    performance.mark("sitrep:points-decoded");
    buildMarkers();
    performance.mark("sitrep:markers-built");
    drawTimeline();
    performance.mark("sitrep:timeline-drawn");
    if (state.brush) setBrush(state.brush); else refreshView();
    const n = $("#filter-count");
    const active = [...filterParams().keys()].filter((k) => k !== "q").length;
    n.textContent = active ? `(${active})` : "";
  }

  function fillSelect(id, items, labelOf) {
    const sel = $(id);
    const keep = sel.value;
    sel.replaceChildren(sel.options[0]);
    for (const it of items) sel.append(el("option", { value: it.value }, `${labelOf ? labelOf(it) : it.value} (${it.count})`));
    sel.value = keep;
  }

  function fillFilters(f) {
    state.facets = f;
    fillSelect("#f-country", f.countries, (it) => `${it.label || it.value}`);
    fillAdmin1();
    const sel = $("#f-type");
    sel.replaceChildren(sel.options[0]);
    for (const [kind, label] of [["sub_event_type", "Sub-event type"], ["event_type", "Event type"]]) {
      const g = el("optgroup", { label });
      for (const it of f.types.filter((t) => t.kind === kind)) g.append(el("option", { value: it.value }, `${it.value} (${it.count})`));
      if (g.children.length) sel.append(g);
    }
    fillSelect("#f-actor", f.actors);
    fillSelect("#f-language", f.languages);
  }

  function fillAdmin1() {
    if (!state.facets) return;
    const cc = $("#f-country").value;
    const items = state.facets.admin1.filter((a) => !cc || a.country_code === cc);
    fillSelect("#f-admin1", items, (it) => `${it.value}${it.country_code && !cc ? ", " + it.country_code : ""}`);
  }

  // ------------------------------------------------------------------ tabs

  function showTab(name) {
    for (const b of document.querySelectorAll(".tabs [role=tab]")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
    for (const t of document.querySelectorAll(".tab")) t.hidden = t.id !== `tab-${name}`;
    if (name === "tallies") loadTallies();
  }

  // ------------------------------------------------------------------ the event panel

  const FIELDS = [
    ["event_date", "Date", "event_date"],
    ["time_of_day", "Time of day", "time_of_day"],
    ["location", "Place", "location"],
    ["event_type", "Type", "event"],
    ["sub_event_type", "Sub-type", "event"],
    ["actor1", "Attacker", "actor1"],
    ["actor1_status", "Attribution", "actor1"],
    ["actor2", "Attacked", "actor2"],
    ["target", "Target", "target"],
    ["claimed_by", "Claimed by", "claimed_by"],
    ["fatalities", "Killed", "fatalities"],
    ["injuries", "Injured", "injuries"],
    ["reported_via", "Reported via", "reported_via.0"],
    ["hedged", "Hedged", "hedged"],
  ];

  /** What one mention says for a field (a place by its name; undefined: it names no such weapon). */
  function mentionValue(m, field) {
    if (field.startsWith("weapons.")) {
      const w = (m.weapons || []).find((x) => x.type === field.slice(8));
      return w ? (w.count ?? "named") : undefined;
    }
    if (field === "location") return m.location && m.location.name ? m.location.name : null;
    if (field === "reported_via") return m.reported_via && m.reported_via.length ? m.reported_via.join(" → ") : null;
    return m[field];
  }

  function evidenceFor(m, key) {
    const ev = m.evidence || {};
    if (ev[key]) return ev[key];
    if (key === "reported_via.0" && ev["reported_via.context"]) return ev["reported_via.context"];
    return null;
  }

  let current = null;  // the event document shown

  async function openEvent(id, pan) {
    state.selected = id;
    for (const n of document.querySelectorAll(".ev-marker.selected, .event-list li.selected")) n.classList.remove("selected");
    for (const n of document.querySelectorAll(`[data-id="${CSS.escape(id)}"]`)) n.classList.add("selected");
    showTab("event");
    const panel = $("#tab-event");
    panel.replaceChildren(el("p", { class: "muted" }, "Loading the event…"));
    let doc;
    try { doc = await getJSON(`/api/events/${encodeURIComponent(id)}`); } catch (e) {
      panel.replaceChildren(el("p", { class: "error" }, e.message));
      return;
    }
    if (state.selected !== id) return;
    current = doc;
    renderEvent(doc);
    history.replaceState(null, "", `#event=${encodeURIComponent(id)}`);
    const m = state.markers.get(id);
    if (pan && m && cluster.hasLayer(m)) reveal(m);
    if (pan && window.matchMedia("(max-width: 800px)").matches) $(".side").scrollIntoView({ block: "start" });
  }

  function renderEvent(doc) {
    const v = doc.values;
    const panel = $("#tab-event");
    const loc = v.location || {};
    const badges = el("p", { class: "badges" },
      doc.status !== "active" ? el("span", { class: "badge warn" }, doc.status) : null,
      el("span", { class: "badge" }, `${doc.mention_count} mention${doc.mention_count === 1 ? "" : "s"} in ${doc.source_count} article${doc.source_count === 1 ? "" : "s"}`),
      el("span", { class: "badge" }, `${doc.independent_sources} independent`),
      doc.party_source ? el("span", { class: "badge warn", title: "a party to the conflict is among the sources" }, "partisan source") : null,
      Object.keys(doc.disagreements).length ? el("span", { class: "badge warn" }, "sources disagree") : null);
    const head = el("header", { class: "ev-head" },
      el("h2", {}, `${loc.name || "Place unknown"}`),
      el("p", {}, `${v.event_date || "date unknown"}${v.date_precision && v.date_precision !== "day" ? ` (to the ${v.date_precision})` : ""} · ${v.sub_event_type || v.event_type || "type unknown"}`),
      el("p", { class: "muted mono" }, doc.event_id), badges);

    // fields: the value chosen, how, and every value a source gave with its evidence
    const table = el("table", { class: "fields" },
      el("thead", {}, el("tr", {}, el("th", {}, "Field"), el("th", {}, "Value and sources"))));
    const body = el("tbody");
    const rows = FIELDS.slice();
    const weaponTypes = new Set();
    for (const m of doc.mentions) for (const w of m.weapons || []) weaponTypes.add(w.type);
    for (const t of [...weaponTypes].sort()) rows.splice(rows.findIndex((r) => r[0] === "reported_via"), 0, [`weapons.${t}`, `Weapon: ${t}`, `weapons.${t}`]);
    let first = null;
    const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    for (const [field, label, evKey] of rows) {
      const chosen = field.startsWith("weapons.") ? weaponChosen(v.weapons, field.slice(8)) : field === "location" ? (loc.name || null) :
        field === "reported_via" ? ((v.reported_via || []).join(" → ") || null) : v[field];
      const groups = new Map();
      for (const m of doc.mentions) {
        const mv = mentionValue(m, field);
        if (mv === undefined) continue;
        const k = JSON.stringify(mv ?? null);
        if (!groups.has(k)) groups.set(k, { value: mv ?? null, mentions: [] });
        groups.get(k).mentions.push(m);
      }
      if (chosen === null && ![...groups.values()].some((g) => g.value !== null)) continue;  // nobody says
      const row = el("tr", { class: doc.disagreements[field] ? "disputed" : null, dataset: { field } }, el("th", {}, label));
      const chips = (g) => {
        const srcs = el("span", { class: "srcs" });
        for (const m of g.mentions) {
          const ev = evidenceFor(m, evKey);
          const hasSpan = ev && ev.start !== null && ev.start !== undefined;
          srcs.append(el("button", { type: "button", class: "src" + (hasSpan ? "" : " no-ev"),
            title: hasSpan ? `show where ${m.outlet || m.article} says it` : "no span for this value: shows the sentence",
            dataset: { article: m.article },
            onclick: () => { showEvidence(row, m, evKey, label, g.value); $("#evidence").scrollIntoView({ block: "nearest" }); } },
          `${m.outlet || m.article}${m.language ? " · " + m.language : ""}`));
          if (!first && g.value !== null && same(g.value, chosen) && hasSpan) first = [row, m, evKey, label, g.value];
        }
        return srcs;
      };
      const how = doc.chosen[field.startsWith("weapons.") ? "weapons" : field];
      const cell = el("td");
      const chosenGroup = [...groups.values()].find((g) => same(g.value, chosen));
      cell.append(el("div", { class: "value-group is-chosen" }, el("strong", { class: "val", dir: "auto" }, fmt(chosen)),
        chosenGroup ? chips(chosenGroup) : null));
      if (how) cell.append(el("div", { class: "how" }, how));
      const others = [...groups.values()].filter((g) => !same(g.value, chosen))
        .sort((a, b) => (a.value === null) - (b.value === null) || b.mentions.length - a.mentions.length);
      for (const g of others) {
        cell.append(el("div", { class: `value-group ${g.value === null ? "unstated" : "alternative"}` },
          el("span", { class: "tag" }, g.value === null ? "not stated by" : "other source says"),
          g.value === null ? null : el("span", { class: "val", dir: "auto" }, fmt(g.value)), chips(g)));
      }
      row.append(cell);
      body.append(row);
    }
    table.append(body);

    panel.replaceChildren(head, el("h3", {}, "Values, and the sources that give them"),
      el("p", { class: "muted hint" }, "Click a source to see its sentence, highlighted in the article."), table,
      el("h3", {}, "Sources"), sourcesTable(doc), el("h3", {}, "Change log"), changeLog(doc));
    panel.scrollTop = 0;
    if (first) showEvidence(...first);
  }

  function weaponChosen(weapons, type) {
    const w = (weapons || []).find((x) => x.type === type);
    return w ? (w.count ?? "named") : null;
  }

  /** Code-point offsets (Python's) to UTF-16 indices (JavaScript's); the same unless the text
   * holds characters beyond the BMP. */
  function u16(text, cp) {
    if (cp === null || cp === undefined) return null;
    if (!/[\uD800-\uDBFF]/.test(text)) return cp;
    let i = 0;
    for (let n = 0; n < cp && i < text.length; n++) {
      const c = text.charCodeAt(i);
      i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    }
    return i;
  }

  /** The article's text under the field's row, with the sentence and the evidence highlighted. */
  function showEvidence(row, m, evKey, label, value) {
    const art = (current.articles || {})[m.article] || {};
    const text = art.text || "";
    const ev = evidenceFor(m, evKey);
    const url = art.url && /^https?:\/\//i.test(art.url) ? art.url : null;
    const src = current.sources.find((s) => s.article === m.article) || {};
    const head = el("div", { class: "ev-source" },
      el("p", {}, el("strong", {}, `${label}: ${value === null ? "not stated" : fmt(value)}`)),
      el("p", {}, `${art.outlet || m.outlet || "outlet unknown"} · ${art.language || m.language || "?"} · ${art.published || m.published || "date unknown"}`,
        src.party ? el("span", { class: "badge warn" }, ` partisan: ${src.party}`) : null),
      art.title ? el("p", { class: "muted", dir: "auto" }, art.title) : null,
      el("p", { class: "muted" }, url ? el("a", { href: url, rel: "noopener noreferrer nofollow", target: "_blank" }, url) : m.article),
      ev && ev.note ? el("p", { class: "note" }, `Note: ${ev.note}`) : null,
      ev && ev.text ? el("p", {}, "Evidence: ", el("q", { dir: "auto" }, ev.text)) : el("p", { class: "muted" }, "No span for this value: the sentence is highlighted."));
    const box = el("div", { class: "article-text", dir: "auto", lang: art.language || m.language || null });
    const spans = [];
    if (m.sentence_start !== null && m.sentence_end !== null) spans.push(["sentence", u16(text, m.sentence_start), u16(text, m.sentence_end)]);
    if (ev && ev.start !== null && ev.start !== undefined && ev.end > ev.start) spans.push(["evidence", u16(text, ev.start), u16(text, ev.end)]);
    const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s[1], s[2]])])].filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [a, b] = [cuts[i], cuts[i + 1]];
      const inside = (kind) => spans.some((s) => s[0] === kind && s[1] <= a && b <= s[2]);
      const part = text.slice(a, b);
      if (inside("evidence")) box.append(el("mark", { class: "evidence" + (inside("sentence") ? " in-sentence" : "") }, part));
      else if (inside("sentence")) box.append(el("span", { class: "sentence" }, part));
      else box.append(document.createTextNode(part));
    }
    if (!text) box.append(el("span", { class: "muted" }, "The article's text is not stored."));
    const old = document.getElementById("evidence");
    if (old) old.closest("tr").remove();
    for (const b of document.querySelectorAll(".src.active")) b.classList.remove("active");
    for (const b of row.querySelectorAll(".src")) if (b.dataset.article === m.article) b.classList.add("active");
    const viewer = el("section", { id: "evidence", class: "evidence", "aria-live": "polite", dataset: { field: row.dataset.field, key: evKey, article: m.article } }, head, box);
    row.after(el("tr", { class: "evidence-row" }, el("td", { colspan: 2 }, viewer)));
    const target = box.querySelector("mark.evidence") || box.querySelector(".sentence");
    if (target) box.scrollTop = Math.max(0, target.offsetTop - box.clientHeight / 3);
  }

  function sourcesTable(doc) {
    const t = el("table", { class: "sources" },
      el("thead", {}, el("tr", {}, ...["Outlet", "Lang", "Published", "Citation chain", "Relies on", "Party"].map((h) => el("th", {}, h)))));
    const b = el("tbody");
    for (const s of doc.sources) {
      b.append(el("tr", { class: s.party ? "partisan" : null },
        el("td", { dir: "auto" }, s.outlet || s.article, s.duplicate_of ? el("div", { class: "muted" }, `copy of ${s.duplicate_of}`) : null),
        el("td", {}, s.language || ""),
        el("td", {}, s.published || ""),
        el("td", { dir: "auto" }, [s.outlet || s.article, ...(s.reported_via || [])].join(" → ")),
        el("td", { dir: "auto" }, s.origin || ""),
        el("td", {}, s.party ? el("span", { class: "badge warn" }, s.party) : "")));
    }
    t.append(b);
    return t;
  }

  function changeLog(doc) {
    const ol = el("ol", { class: "log" });
    for (const e of doc.log) {
      let what = e.action;
      if (e.field) what += ` ${e.field}: ${fmt(e.old)} → ${fmt(e.new)}`;
      else if (e.action === "source" && e.new) what += ` ${e.new.outlet || e.article_id} joined`;
      ol.append(el("li", {}, el("span", { class: "mono" }, e.at), " ", el("span", { class: "muted" }, e.article_id || ""), " ", what));
    }
    if (!doc.log.length) ol.append(el("li", { class: "muted" }, "no changes recorded"));
    return ol;
  }

  // ------------------------------------------------------------------ tallies

  let talliesLoaded = false;
  async function loadTallies() {
    if (talliesLoaded) return;
    talliesLoaded = true;
    const box = $("#tab-tallies");
    let data;
    try { data = await getJSON("/api/tallies?limit=500"); } catch (e) {
      talliesLoaded = false;
      box.replaceChildren(el("p", { class: "error" }, e.message));
      return;
    }
    const list = el("ol", { class: "tallies" });
    for (const t of data.items) {
      const diff = t.difference;
      const known = t.stored !== null;
      const show = known && t.events.length
        ? el("button", { type: "button", onclick: () => showTallyEvents(t) }, `show the ${t.events.length} on the map`)
        : null;
      list.append(el("li", { class: t.kind === "total" ? "tally" : "tally part" },
        el("div", { class: "tally-counts" },
          el("span", { class: "claimed", title: "what the article claims" }, String(t.count)),
          el("span", { class: "vs" }, "claimed · stored"),
          el("span", { class: "stored", title: "events sitrep has for the same period, places and party" }, known ? String(t.stored) : "?"),
          known ? el("span", { class: diff > 0 ? "diff more" : diff < 0 ? "diff less" : "diff" }, diff > 0 ? `+${diff}` : String(diff)) : null),
        el("p", {}, `${t.kind === "total" ? "" : t.kind + " · "}${t.since || "?"} → ${t.until || "?"} · ${t.scope.length ? t.scope.join(", ") : "anywhere"}${t.actor ? " · about " + t.actor : ""}`),
        el("p", { class: "muted" }, `${t.outlet || t.article} · ${t.language || "?"} · ${t.published || ""}`),
        t.evidence || t.what ? el("blockquote", { dir: "auto" }, t.evidence || t.what) : null,
        show));
    }
    if (!data.items.length) list.append(el("li", { class: "muted" }, "No article states a tally."));
    box.replaceChildren(el("p", { class: "muted" }, "Counts articles state, next to the events stored for the same period, places and party. A positive difference: the article claims more than sitrep has found."), list);
  }

  function showTallyEvents(t) {
    state.idFilter = { label: `${t.count} claimed by ${t.outlet || t.article}`, ids: new Set(t.events) };
    const p = $("#tally-filter");
    p.hidden = false;
    p.replaceChildren(`Showing the ${t.events.length} events stored for the tally "${t.count}" of ${t.outlet || t.article} `,
      el("button", { type: "button", onclick: clearTally }, "show all"));
    drawTimeline();
    refreshView();
    showTab("list");
    const b = L.latLngBounds([]);
    for (const id of t.events) { const m = state.markers.get(id); if (m) b.extend(m.getLatLng()); }
    if (b.isValid()) map.fitBounds(b.pad(0.2), { maxZoom: 8 });
  }

  function clearTally() {
    state.idFilter = null;
    $("#tally-filter").hidden = true;
    drawTimeline();
    refreshView();
  }

  // ------------------------------------------------------------------ wiring

  function fitToPoints() {
    const b = L.latLngBounds([]);
    for (const m of state.markers.values()) b.extend(m.getLatLng());
    if (b.isValid()) map.fitBounds(b.pad(0.1), { maxZoom: 7, animate: false });
  }

  async function start() {
    const narrow = window.matchMedia("(max-width: 800px)").matches;
    $("#more-filters").open = !narrow;
    for (const b of document.querySelectorAll(".tabs [role=tab]")) b.addEventListener("click", () => showTab(b.dataset.tab));
    setupBrush();
    const form = $("#filters");
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("change", (e) => {
      if (e.target.id === "f-country") { $("#f-admin1").value = ""; fillAdmin1(); }
      if (e.target.id !== "f-q") loadPoints().catch((err) => setStatus(err.message, true));
    });
    form.addEventListener("reset", () => setTimeout(() => { fillAdmin1(); loadPoints().catch((err) => setStatus(err.message, true)); }, 0));
    let qTimer = null;
    $("#f-q").addEventListener("input", () => {
      clearTimeout(qTimer);
      qTimer = setTimeout(() => loadPoints().catch((err) => setStatus(err.message, true)), 300);
    });

    // the outlines download meanwhile but are parsed and drawn once the markers are in
    const land = fetch("/static/vendor/countries-50m.json");
    const facets = getJSON("/api/events/facets").then(fillFilters).catch((e) => setStatus(e.message, true));
    try {
      await loadPoints();
    } catch (e) {
      setStatus(e.message, true);
      markReady();
      return;
    }
    fitToPoints();
    await new Promise((resolve) => setTimeout(resolve, 0));
    loadLand("countries-50m.json", land).catch((e) => console.warn("borders:", e.message));
    loadLabels();
    await facets;
    const m = /event=([^&]+)/.exec(location.hash);
    if (m) openEvent(decodeURIComponent(m[1]), true);
  }

  // for the browser tests: where a date falls on the timeline, in page coordinates
  api.timelineX = (iso) => {
    const r = $("#timeline").getBoundingClientRect();
    return r.left + (tlX(dayOf(iso)) / tl.width) * r.width;
  };
  api.visibleCount = () => visiblePoints().length;
  api.markerCount = () => cluster.getLayers().length;

  start();
})();
