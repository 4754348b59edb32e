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

function downloadPng(state) {
  const canvas = state.graph.querySelector("canvas");
  if (!canvas) return;
  const link = document.createElement("a");
  link.href = canvas.toDataURL("image/png");
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
  png.title = "Save the current view as a PNG image";
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

  // White background so the PNG is not transparent.
  network.on("beforeDrawing", (ctx) => {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });
  network.on("afterDrawing", () => {
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
  fit.addEventListener("click", () => network.fit({ animation: false, maxZoomLevel: 1 }));
  png.addEventListener("click", () => downloadPng(state));
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
    state.network.fit({ animation: false, maxZoomLevel: 1 });
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
    // Streamlit keeps only the latest cleanup and calls it when the element
    // leaves the page; an older one (from a superseded call) does nothing.
    if (state.generation !== generation) return;
    state.network.destroy();
    state.root.remove();
    if (INSTANCES.get(parentElement) === state) INSTANCES.delete(parentElement);
  };
}
