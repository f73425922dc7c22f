"use strict";
// Polls api/status and renders it. Every value goes in with textContent, so
// names chosen by users cannot inject markup.
const REFRESH_MS = 3000;
const BYTE_RESOURCES = new Set(["memory", "object_store_memory"]);
const RESOURCE_ORDER = ["CPU", "memory", "object_store_memory"];
const UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB"];

function fmtBytes(n) {
  if (Math.abs(n) < 1024) return n + " B";
  let i = -1;
  do { n /= 1024; i++; } while (Math.abs(n) >= 1024 && i < UNITS.length - 1);
  return n.toFixed(1) + " " + UNITS[i];
}
function fmtNum(v) { return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(2))); }
function fmtAmount(name, v) { return BYTE_RESOURCES.has(name) ? fmtBytes(v) : fmtNum(v); }
function fmtTime(iso) {
  if (!iso || iso.startsWith("0001-01-01")) return "never";
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}
function fmtPercent(part, whole) { return whole > 0 ? (100 * part / whole).toFixed(1) + "%" : "-"; }
function resourceNames(res) {
  const names = Object.keys(res || {});
  const rank = (n) => { const i = RESOURCE_ORDER.indexOf(n); return i < 0 ? RESOURCE_ORDER.length : i; };
  return names.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

// A cell is a string, or {text, num, state} for right-aligned numbers and
// coloured states.
function cell(tag, c) {
  const el = document.createElement(tag);
  if (typeof c === "object" && c !== null) {
    el.textContent = c.text;
    if (c.num) el.className = "num";
    if (c.state) el.className = "state-" + c.state;
  } else {
    el.textContent = c;
  }
  return el;
}
function num(v) { return { text: fmtNum(v), num: true }; }
function state(s) { return { text: s, state: s }; }
function fill(id, rows, empty) {
  const body = document.querySelector("#" + id + " tbody");
  const width = body.parentElement.querySelectorAll("thead th").length || 2;
  const trs = rows.map((r) => {
    const tr = document.createElement("tr");
    r.forEach((c, i) => tr.appendChild(cell(id === "summary" && i === 0 ? "th" : "td", c)));
    return tr;
  });
  if (trs.length === 0) {
    const tr = document.createElement("tr");
    const td = cell("td", empty);
    td.className = "none";
    td.colSpan = width;
    tr.appendChild(td);
    trs.push(tr);
  }
  body.replaceChildren(...trs);
}

function render(s) {
  const t = s.totals;
  document.getElementById("cluster-name").textContent = s.cluster.name;
  const byState = {};
  for (const a of s.actors) byState[a.state] = (byState[a.state] || 0) + 1;
  const summary = [
    ["Cluster", s.cluster.name],
    ["Started", fmtTime(s.cluster.started)],
    ["Nodes", t.nodes_alive + " alive, " + t.nodes_dead + " dead"],
  ];
  for (const name of resourceNames(t.resources)) {
    const r = t.resources[name];
    summary.push([name, fmtAmount(name, r.available) + " available of " + fmtAmount(name, r.total)]);
  }
  summary.push(
    ["Tasks", t.tasks.pending + " pending, " + t.tasks.running + " running, " +
      t.tasks.finished + " finished, " + t.tasks.failed + " failed"],
    ["Objects", t.objects.count + " (" + fmtBytes(t.objects.bytes) + ")"],
    ["Object store", fmtBytes(t.store.used_bytes) + " used of " + fmtBytes(t.store.capacity_bytes) +
      " (" + fmtPercent(t.store.used_bytes, t.store.capacity_bytes) + "), " +
      fmtBytes(t.store.spilled_bytes) + " spilled"],
    ["Actors", Object.keys(byState).sort().map((k) => byState[k] + " " + k).join(", ") || "none"],
  );
  fill("summary", summary, "");
  fill("nodes", s.nodes.map((n) => [n.id, n.address, n.is_head ? "head" : "worker", state(n.state), fmtTime(n.last_heartbeat)]), "no nodes");
  const res = [];
  for (const n of s.nodes) {
    for (const name of resourceNames(n.resources)) {
      const r = n.resources[name];
      res.push([n.id, name, { text: fmtAmount(name, r.available), num: true }, { text: fmtAmount(name, r.total), num: true }]);
    }
  }
  fill("resources", res, "no resources");
  fill("tasks", s.nodes.map((n) => [n.id, num(n.tasks.pending), num(n.tasks.running), num(n.tasks.finished), num(n.tasks.failed)]), "no nodes");
  fill("objects", s.nodes.map((n) => [n.id, num(n.objects.count), { text: fmtBytes(n.objects.bytes), num: true },
    { text: fmtBytes(n.store.used_bytes), num: true }, { text: fmtBytes(n.store.capacity_bytes), num: true },
    { text: fmtPercent(n.store.used_bytes, n.store.capacity_bytes), num: true }, { text: fmtBytes(n.store.spilled_bytes), num: true }]), "no nodes");
  fill("actors", s.actors.map((a) => [a.id, a.name, a.namespace, a.class, a.node, state(a.state), num(a.restarts)]), "no actors");
  fill("jobs", s.jobs.map((j) => [j.id, state(j.state), j.driver, fmtTime(j.started)]), "no jobs");
}

function showStatus(text, isError) {
  const el = document.getElementById("status");
  el.textContent = text;
  el.className = isError ? "error" : "";
}

async function refresh() {
  try {
    const res = await fetch("api/status", { cache: "no-store", credentials: "same-origin" });
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) {
      showStatus((body && body.error) || ("HTTP " + res.status), true);
    } else {
      render(body);
      showStatus("Updated " + new Date().toLocaleTimeString() + "; refreshes every " + REFRESH_MS / 1000 + " s.", false);
    }
  } catch (e) {
    showStatus("Cannot reach the dashboard: " + e.message, true);
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}
refresh();
