// coordgap design explorer: builds the form from /api/model, asks /api/evaluate for the
// numbers (computed by coordgap in Python) and draws them. Nothing is loaded from elsewhere.
"use strict";

const LABELS = {
  participation: "Filers",
  credible_coverage: "Credible coverage",
  residual_harm: "Residual harm",
  welfare: "Welfare",
  fiscal_cost: "Fiscal cost",
};
const WORST = "#d55e00";
const BEST = "#0072b2";

const state = { model: null, controls: [], values: {}, extra: [], seq: 0, timer: null, last: null };

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function fmt(x) {
  if (x === null || x === undefined) return "n/a";
  if (Number.isInteger(x)) return String(x);
  const r = Number(x.toPrecision(4));
  return Math.abs(r) >= 1e6 || (r !== 0 && Math.abs(r) < 1e-3) ? r.toExponential(3) : String(r);
}

function words(name) {
  return name.replace(/_/g, " ");
}

function kindLabel(kind) {
  return kind.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

function query() {
  const params = new URLSearchParams();
  for (const c of state.controls) {
    if (state.values[c.key] !== c.value) params.set(c.key, String(state.values[c.key]));
  }
  // Keys the model does not know are passed on, so that the server names them in its error.
  for (const [key, raw] of state.extra) params.append(key, raw);
  return params.toString();
}

function buildForm() {
  const form = document.getElementById("form");
  form.replaceChildren();
  const groups = new Map();
  for (const c of state.controls) {
    if (!groups.has(c.instrument)) {
      const fs = el("fieldset", { id: "group-" + c.instrument });
      const kind = kindLabel(c.kind);
      fs.appendChild(el("legend", {}, words(c.instrument) === kind ? kind : words(c.instrument) + " (" + kind + ")"));
      groups.set(c.instrument, fs);
      form.appendChild(fs);
    }
    const box = el("div", { class: "control" });
    const unit = c.unit === "1" ? "" : " (" + c.unit + ")";
    const id = "in-" + c.key.replace(/\./g, "-");
    box.appendChild(el("label", { for: id, title: c.doc }, c.doc + unit + (c.is_level ? "; 0 = off" : "")));
    const range = el("input", {
      type: "range", id: id + "-range", min: c.low, max: c.slider_max, step: c.step,
      "aria-label": c.doc + unit,
    });
    const num = el("input", { type: "number", id: id, name: c.key, min: c.low, step: "any" });
    if (c.high !== null) num.setAttribute("max", c.high);
    range.value = state.values[c.key];
    num.value = state.values[c.key];
    range.addEventListener("input", () => { num.value = range.value; changed(c.key, range.value); });
    num.addEventListener("input", () => { range.value = num.value; changed(c.key, num.value); });
    box.appendChild(range);
    box.appendChild(num);
    groups.get(c.instrument).appendChild(box);
  }
}

function changed(key, text) {
  state.values[key] = text === "" ? text : Number(text);
  state.extra = [];
  history.replaceState(null, "", "?" + query());
  clearTimeout(state.timer);
  state.timer = setTimeout(evaluate, 80);
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = !message;
}

async function evaluate() {
  const seq = ++state.seq;
  document.body.dataset.state = "evaluating";
  let response, payload;
  try {
    response = await fetch("api/evaluate?" + query());
    payload = await response.json();
  } catch (err) {
    if (seq !== state.seq) return;
    showError("The explorer's server did not answer (" + err + "). Is coordgap explore still running?");
    document.body.dataset.state = "error";
    return;
  }
  if (seq !== state.seq) return; // a newer request is on its way
  if (!response.ok) {
    showError(payload.error || "HTTP " + response.status);
    document.body.dataset.state = "error";
    return;
  }
  showError("");
  render(payload);
  document.body.dataset.state = "ready";
}

function render(out) {
  state.last = out;
  document.getElementById("readout").textContent =
    out.readout.charAt(0).toUpperCase() + out.readout.slice(1) + (out.readout.endsWith(".") ? "" : ".");
  const body = document.querySelector("#metrics tbody");
  body.replaceChildren();
  for (const key of out.metrics) {
    const row = el("tr", { id: "row-" + key });
    row.appendChild(el("th", { scope: "row" }, LABELS[key] || words(key)));
    for (const side of ["worst", "best"]) {
      const v = out[side][key];
      const cell = el("td", { class: "num " + side, id: "value-" + key + "-" + side, "data-value": String(v) },
        key === "participation" ? fmt(v) + " of " + out.n_actors : fmt(v));
      row.appendChild(cell);
    }
    row.appendChild(el("td", {}, out.units[key]));
    body.appendChild(row);
  }
  document.getElementById("selection").textContent = out.selection;
  const eq = out.n_equilibria === null ? "" : out.n_equilibria + " pure equilibria; ";
  document.getElementById("status").textContent =
    eq + "evaluated in " + out.elapsed_ms.toFixed(1) + " ms" + (out.success ? "" : " — " + out.message);
  const toml = document.getElementById("toml");
  toml.textContent = out.toml; // the default value: kept in the DOM (and in a saved page)
  toml.value = out.toml;
  draw(out);
}

function draw(out) {
  const chart = document.getElementById("chart");
  if (typeof Plotly === "undefined") {
    chart.replaceChildren(el("p", { class: "note" }, "The chart needs plotly: pip install 'coordgap[explore]'."));
    return;
  }
  const traces = [];
  const layout = {
    grid: { rows: out.metrics.length, columns: 1, pattern: "independent", ygap: 0.55 },
    margin: { l: 130, r: 20, t: 10, b: 30 },
    showlegend: true,
    legend: { orientation: "h", x: 0, y: -0.12 },
    font: { size: 12 },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
  };
  out.metrics.forEach((key, i) => {
    const ax = i === 0 ? "" : String(i + 1);
    const w = out.worst[key], b = out.best[key];
    const label = LABELS[key] || words(key);
    const common = { xaxis: "x" + ax, yaxis: "y" + ax, y: [label, label], hoverinfo: "x+name" };
    traces.push(Object.assign({ x: [w, b], mode: "lines", name: "equilibrium range", line: { color: "#999", width: 10 },
      showlegend: i === 0, legendgroup: "range" }, common));
    traces.push(Object.assign({ x: [w], y: [label], mode: "markers", name: "worst equilibrium",
      marker: { color: WORST, size: 12, symbol: "diamond" }, showlegend: i === 0, legendgroup: "worst" },
      common, { y: [label] }));
    traces.push(Object.assign({ x: [b], y: [label], mode: "markers", name: "best equilibrium",
      marker: { color: BEST, size: 11, symbol: "circle" }, showlegend: i === 0, legendgroup: "best" },
      common, { y: [label] }));
    const xaxis = { title: { text: out.units[key], standoff: 2, font: { size: 10 } }, zeroline: true, automargin: true };
    if (key === "participation") xaxis.range = [-1, out.n_actors + 1];
    if (key === "credible_coverage") xaxis.range = [-0.02, Math.max(1, b) + 0.02];
    layout["xaxis" + ax] = xaxis;
    layout["yaxis" + ax] = { fixedrange: true, automargin: true };
  });
  Plotly.react(chart, traces, layout, { displaylogo: false, displayModeBar: false, responsive: true, showLink: false });
}

function download() {
  const blob = new Blob([document.getElementById("toml").value + "\n"], { type: "text/plain" });
  const link = el("a", { href: URL.createObjectURL(blob), download: (state.last ? state.last.design.name : "design") + ".toml" });
  document.body.appendChild(link);
  link.click();
  link.remove();
}

async function start() {
  let model;
  try {
    const response = await fetch("api/model");
    model = await response.json();
  } catch (err) {
    showError("Cannot read the model from the explorer's server (" + err + ").");
    document.body.dataset.state = "error";
    return;
  }
  state.model = model;
  state.controls = model.controls;
  document.getElementById("model-title").textContent =
    (model.model.title || model.model.name) + " — " + model.model.n_actors + " actors; money in USD m per year; " +
    "marginal cost of public funds λ = " + model.model.public_funds_cost;
  for (const c of state.controls) state.values[c.key] = c.value;
  // Initial levels from the query string (validated by the server: a bad one is shown as an error).
  const params = new URLSearchParams(location.search);
  for (const [given, raw] of params) {
    // "bond.amount" also names the size of the instrument "bond".
    const alias = state.controls.find((c) => c.is_level && c.instrument + "." + c.parameter === given);
    const key = alias ? alias.key : given;
    if (state.controls.some((c) => c.key === key)) {
      state.values[key] = raw === "" || isNaN(Number(raw)) ? raw : Number(raw);
    } else {
      state.extra.push([key, raw]);
    }
  }
  buildForm();
  document.getElementById("reset").addEventListener("click", () => {
    for (const c of state.controls) state.values[c.key] = c.value;
    state.extra = [];
    buildForm();
    history.replaceState(null, "", "?");
    evaluate();
  });
  document.getElementById("download").addEventListener("click", download);
  document.getElementById("copy").addEventListener("click", () => {
    const box = document.getElementById("toml");
    box.select();
    if (navigator.clipboard) navigator.clipboard.writeText(box.value).catch(() => document.execCommand("copy"));
    else document.execCommand("copy");
  });
  await evaluate();
}

document.addEventListener("DOMContentLoaded", start);
