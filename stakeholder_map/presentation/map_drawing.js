// Stakeholder Map: drawing helpers shared by the dashboard's network component
// and the print-ready HTML file (stakeholder_map.presentation.map_export).
//
// smDrawPinnedLabels: the names of the key people (champions, blockers, top
// influencers, the selected person: the view's "pinned" ids) are drawn at a
// readable size whatever the zoom; vis-network draws everyone else's name only
// when zoomed in (their names are in the hover tooltip meanwhile). A name that
// would overlap one already written goes a line lower. Text is drawn on the
// canvas with fillText: it is never parsed as markup.
//
// smHighResCanvas: a copy of the drawing at `ratio` device pixels per CSS
// pixel (the screen's view, same camera), for meetings and print.

// White background, so the PNG and the print image are not transparent.
function smWhiteBackground(network) {
  network.on("beforeDrawing", (ctx) => {
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });
}

function smDrawPinnedLabels(ctx, network, ids) {
  if (!ids || !ids.length) return 0;
  const scale = network.getScale();
  const px = Math.max(12, Math.min(13 * scale, 22));
  const nodes = network.body.nodes;
  let drawn = 0;
  ctx.save();
  ctx.font = `600 ${px / scale}px sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.lineJoin = "round";
  ctx.lineWidth = 3.5 / scale;
  ctx.strokeStyle = "rgba(255,255,255,0.92)";
  ctx.fillStyle = "#1b1b1b";
  // Two people side by side would write their names over each other: a name that would overlap one
  // already written goes one line lower (up to a few lines), so both stay readable.
  const line = (px + 2) / scale;
  const written = [];
  const overlaps = (box) => written.some((w) => box.x0 < w.x1 && w.x0 < box.x1 && box.y0 < w.y1 && w.y0 < box.y1);
  for (const id of ids) {
    const node = nodes[id];
    if (!node || !node.options || node.options.hidden) continue;
    const text = String(node.options.label || "");
    if (!text) continue;
    const half = ctx.measureText(text).width / 2;
    let y = node.y + (node.options.size || 10) + 3 / scale;
    let box = { x0: node.x - half, x1: node.x + half, y0: y, y1: y + line };
    for (let tries = 0; tries < 4 && overlaps(box); tries += 1) {
      y += line;
      box = { x0: box.x0, x1: box.x1, y0: y, y1: y + line };
    }
    written.push(box);
    ctx.strokeText(text, node.x, y);
    ctx.fillText(text, node.x, y);
    drawn += 1;
  }
  ctx.restore();
  return drawn;
}

function smHighResCanvas(network, ratio) {
  // vis-network sizes its canvas at (CSS size x pixel ratio) and keeps the
  // camera when resized: render once at `ratio`, read the pixels, restore.
  const canvas = network.canvas;
  const determine = canvas._determinePixelRatio;
  canvas._determinePixelRatio = () => ratio;
  const copy = document.createElement("canvas");
  try {
    network.redraw();  // re-reads the pixel ratio and resizes the canvas, camera kept
    const source = canvas.frame.canvas;
    copy.width = source.width;
    copy.height = source.height;
    copy.getContext("2d").drawImage(source, 0, 0);
  } finally {
    canvas._determinePixelRatio = determine;
    network.redraw();
  }
  return copy;
}
