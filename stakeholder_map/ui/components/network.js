// Stakeholder Map network component (Streamlit components v2).
//
// Draws the view dict made by stakeholder_map.viz (people_view /
// department_view) with vis-network, physics off: positions come from the
// server and never move on their own. Clicking a node sends
// {view, id} back to Python as the trigger value "select". The network is
// kept between reruns: when only the selection changes nothing is redrawn
// from scratch, and the camera stays where the user left it unless the set
// of nodes changed (view.key).
//
// Text from CSV files is never parsed as HTML here: tooltips are plain
// strings (vis-network 9 assigns them with innerText), labels are drawn on the
// canvas, and the legend is built with textContent.

const INSTANCES = new WeakMap();
// Fitting a few people zooms in this far at most (labels of 13 px are drawn at 13 x this).
const MAX_FIT_ZOOM = 1.3;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function swatch(item) {
  const mark = el("span", "sm-swatch");
  if (item.kind === "shape") {
    mark.classList.add("sm-shape-" + item.shape);
    mark.textContent = item.shape === "star" ? "\u2605" : "\u25c6";
  } else if (item.kind === "selected") {
    mark.classList.add("sm-ring");
    mark.style.borderColor = item.colour;
  } else if (item.kind === "line") {
    mark.classList.add("sm-line");
    mark.style.borderTop = `3px ${item.dashed ? "dashed" : "solid"} ${item.colour}`;
  } else {
    mark.style.background = item.colour;
  }
  return mark;
}

function renderLegend(box, legend) {
  box.replaceChildren();
  for (const item of legend || []) {
    const entry = el("span", "sm-legend-item");
    entry.appendChild(swatch(item));
    const label = item.count !== undefined ? `${item.label} (${item.count})` : item.label;
    entry.appendChild(el("span", "sm-legend-label", label));
    box.appendChild(entry);
  }
}

// The PNG for a meeting: the drawing at PNG_RATIO x the screen's resolution
// (at least 2 x a high-density screen's), under a header with the title, the
// filters in force and the legend, drawn with the same colours.
const PNG_RATIO = Math.max(3, 2 * (window.devicePixelRatio || 1));

function legendText(item) {
  return item.count !== undefined ? `${item.label} (${item.count})` : String(item.label);
}

function headerLines(ctx, state, width) {
  // Lay out the header in CSS pixels: [{kind, text, x, y, item}], and its height.
  const pad = 16;
  const out = [];
  let y = pad;
  if (state.title) {
    out.push({ kind: "title", text: state.title, x: pad, y });
    y += 28;
  }
  if (state.subtitle) {
    ctx.font = "13px sans-serif";
    let line = "";
    for (const word of String(state.subtitle).split(" ")) {
      const next = line ? line + " " + word : word;
      if (line && ctx.measureText(next).width > width - 2 * pad) {
        out.push({ kind: "text", text: line, x: pad, y });
        y += 18;
        line = word;
      } else {
        line = next;
      }
    }
    if (line) {
      out.push({ kind: "text", text: line, x: pad, y });
      y += 18;
    }
    y += 4;
  }
  ctx.font = "13px sans-serif";
  let x = pad;
  for (const item of state.legendItems || []) {
    const w = 16 + ctx.measureText(legendText(item)).width + 14;
    if (x > pad && x + w > width - pad) {
      x = pad;
      y += 20;
    }
    out.push({ kind: "legend", item, x, y });
    x += w;
  }
  if ((state.legendItems || []).length) y += 20;
  return { items: out, height: y + 8 };
}

function drawHeader(ctx, layout) {
  ctx.textBaseline = "top";
  for (const part of layout.items) {
    if (part.kind === "title") {
      ctx.font = "bold 20px sans-serif";
      ctx.fillStyle = "#111";
      ctx.fillText(part.text, part.x, part.y);
    } else if (part.kind === "text") {
      ctx.font = "13px sans-serif";
      ctx.fillStyle = "#444";
      ctx.fillText(part.text, part.x, part.y);
    } else {
      const item = part.item;
      ctx.font = "13px sans-serif";
      ctx.fillStyle = "#222";
      if (item.kind === "shape") {
        ctx.fillText(item.shape === "star" ? "\u2605" : "\u25c6", part.x, part.y);
      } else if (item.kind === "line") {
        ctx.beginPath();
        ctx.lineWidth = 3;
        ctx.strokeStyle = item.colour;
        ctx.setLineDash(item.dashed ? [4, 3] : []);
        ctx.moveTo(part.x, part.y + 7);
        ctx.lineTo(part.x + 12, part.y + 7);
        ctx.stroke();
        ctx.setLineDash([]);
      } else {
        ctx.beginPath();
        ctx.arc(part.x + 6, part.y + 7, 5.5, 0, 2 * Math.PI);
        if (item.kind === "selected") {
          ctx.lineWidth = 2.5;
          ctx.strokeStyle = item.colour;
          ctx.stroke();
        } else {
          ctx.fillStyle = item.colour;
          ctx.fill();
        }
      }
      ctx.fillStyle = "#222";
      ctx.fillText(legendText(item), part.x + 16, part.y);
    }
  }
}

function meetingPng(state) {
  const map = smHighResCanvas(state.network, PNG_RATIO);
  const width = map.width / PNG_RATIO;
  const out = document.createElement("canvas");
  const ctx = out.getContext("2d");
  const layout = headerLines(ctx, state, width);
  out.width = map.width;
  out.height = map.height + Math.round(layout.height * PNG_RATIO);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.save();
  ctx.scale(PNG_RATIO, PNG_RATIO);
  drawHeader(ctx, layout);
  ctx.restore();
  ctx.drawImage(map, 0, Math.round(layout.height * PNG_RATIO));
  return out;
}

function downloadPng(state) {
  const image = meetingPng(state);
  const link = document.createElement("a");
  link.href = image.toDataURL("image/png");
  link.download = (state.fileStem || "stakeholder-map") + ".png";
  document.body.appendChild(link);
  link.click();
  link.remove();
}

function build(parent, args) {
  const root = el("div", "sm-network");
  const bar = el("div", "sm-toolbar");
  const legend = el("div", "sm-legend");
  const fit = el("button", "sm-button", "Fit");
  fit.type = "button";
  fit.title = "Show the whole drawing";
  const png = el("button", "sm-button", "Download PNG");
  png.type = "button";
  png.title = "Save the current view as a high-resolution PNG image (3x the screen) with its title and legend";
  bar.append(legend, fit, png);
  const graph = el("div", "sm-graph");
  root.append(bar, graph);
  parent.appendChild(root);

  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  const network = new vis.Network(graph, { nodes, edges }, {});
  const state = { root, graph, legend, nodes, edges, network, args, key: null, drawn: false };
  // For browser tests: lets them find a node's position on the screen.
  graph.smNetwork = network;

  smWhiteBackground(network);
  network.on("afterDrawing", (ctx) => {
    // The key people's names, readable at any zoom (everyone else's: on hover, or zoomed in).
    const labelled = smDrawPinnedLabels(ctx, network, state.pinned);
    graph.setAttribute("data-pinned-labels", String(labelled));
    // Which update of the data this paint shows (browser tests and benchmarks wait on it).
    graph.setAttribute("data-painted", String(state.updates || 0));
    if (state.nodes.length && !state.drawn) {
      state.drawn = true;
      graph.setAttribute("data-drawn", "true");
      window.__smGraphDrawnAt = performance.now();
    }
  });
  network.on("click", (params) => {
    if (!params.nodes || !params.nodes.length) return;
    const id = params.nodes[0];
    state.args.setTriggerValue("select", { view: state.view, id: String(id) });
  });
  fit.addEventListener("click", () => network.fit({ animation: false, maxZoomLevel: MAX_FIT_ZOOM }));
  png.addEventListener("click", () => downloadPng(state));
  state.png = png;
  return state;
}

function sync(dataset, items) {
  const wanted = new Set(items.map((item) => item.id));
  const stale = dataset.getIds().filter((id) => !wanted.has(id));
  if (stale.length) dataset.remove(stale);
  dataset.update(items);
}

export default function (component) {
  const { data, parentElement } = component;
  if (!data || !data.nodes) return;
  let state = INSTANCES.get(parentElement);
  if (state && !parentElement.contains(state.root)) {
    // Streamlit can clear this element's children and mount us again into the
    // same element (e.g. a spinner shown in its place during a rerun): the old
    // drawing is detached, so start a new one.
    state.network.destroy();
    INSTANCES.delete(parentElement);
    state = null;
  }
  if (!state) {
    state = build(parentElement, component);
    INSTANCES.set(parentElement, state);
  }
  state.args = component;
  state.updates = (state.updates || 0) + 1;
  state.view = data.view;
  state.fileStem = data.file_stem;
  state.png.hidden = data.downloadable === false;
  state.title = data.title || "";
  state.subtitle = data.subtitle || "";
  state.legendItems = data.legend || [];
  state.pinned = data.pinned || [];
  state.graph.style.height = (data.height || 640) + "px";
  state.graph.setAttribute("data-view", data.view);
  state.graph.setAttribute("data-nodes", String(data.nodes.length));
  state.graph.setAttribute("data-updates", String(state.updates));
  state.graph.setAttribute("data-colour-by", data.colour_by || "");
  renderLegend(state.legend, data.legend);

  const refit = state.key !== data.key;
  const optionsJson = JSON.stringify(data.options || {});
  if (state.optionsJson !== optionsJson) {
    state.network.setOptions(data.options || {});
    state.optionsJson = optionsJson;
  }
  if (refit) {
    // A different set of nodes: replace the data wholesale (fast) and fit.
    state.graph.removeAttribute("data-drawn");
    state.drawn = false;
    // A tooltip of the previous drawing would otherwise stay on screen.
    for (const tip of state.graph.querySelectorAll(".vis-tooltip")) tip.style.visibility = "hidden";
    state.nodes.clear();
    state.edges.clear();
    state.nodes.add(data.nodes);
    state.edges.add(data.edges);
    state.key = data.key;
    // Zoom to fit: a department or a person's neighbourhood fills the canvas.
    state.network.fit({ animation: false, maxZoomLevel: MAX_FIT_ZOOM });
  } else {
    sync(state.nodes, data.nodes);
    sync(state.edges, data.edges);
  }
  if (data.selected && state.nodes.get(data.selected)) {
    state.network.selectNodes([data.selected], true);
  } else {
    state.network.unselectAll();
  }
  state.graph.setAttribute("data-selected", data.selected || "");
  state.network.redraw();
  const generation = (state.generation = (state.generation || 0) + 1);
  return () => {
    // Streamlit calls a cleanup when the element leaves the page, and also
    // (right after it returns) for a call it had already superseded when the
    // data changed during a rerun. Only the first kind may take the drawing
    // away: one still on the page stays (the newer call draws into it, or has
    // already), or the page would be left with no drawing at all and nothing
    // to bring it back. Browser tests and bench_team saw exactly that after
    // the Map page's draw-then-score rerun: title, script idle, no drawing.
    if (state.generation !== generation || parentElement.isConnected) return;
    state.network.destroy();
    state.root.remove();
    if (INSTANCES.get(parentElement) === state) INSTANCES.delete(parentElement);
  };
}
