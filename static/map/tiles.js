// The parts of a canvas a step of the canvas layer (./canvas-layer.js) copies in: the boxes
// of the regions it changed, as runs of square tiles. A step of the world's admin-1 regions
// changes some 500 of them, often side by side: copied box by box, that was some 1,500 draws
// a frame, over and over the same pixels; by tiles, a few dozen runs, each pixel once.

/**
 * The tiles (tile pixels square, from the canvas's top left) that boxes touch, as runs along
 * each row of tiles, [x, y, w, h] in whole pixels and cut at the canvas's edges; null when
 * the tiles cover over half of the canvas (width x height), where copying it whole costs
 * less. boxes are [x0, y0, x1, y1] in pixels, clipped to the canvas; empty ones are skipped.
 */
export function tileRuns(boxes, width, height, tile) {
  const cols = Math.ceil(width / tile);
  const rows = Math.ceil(height / tile);
  const dirty = new Uint8Array(cols * rows);
  let tiles = 0;
  for (const [x0, y0, x1, y1] of boxes) {
    if (x1 <= x0 || y1 <= y0) continue;
    for (let ty = Math.floor(y0 / tile); ty < Math.ceil(y1 / tile); ty++) {
      for (let tx = Math.floor(x0 / tile); tx < Math.ceil(x1 / tile); tx++) {
        if (dirty[ty * cols + tx]) continue;
        dirty[ty * cols + tx] = 1;
        if (++tiles > (cols * rows) / 2) return null;
      }
    }
  }
  const runs = [];
  for (let ty = 0; ty < rows; ty++) {
    for (let tx = 0; tx < cols; tx++) {
      if (!dirty[ty * cols + tx]) continue;
      const from = tx;
      while (tx + 1 < cols && dirty[ty * cols + tx + 1]) tx++;
      const x = from * tile;
      const y = ty * tile;
      runs.push([x, y, Math.min((tx + 1) * tile, width) - x, Math.min(y + tile, height) - y]);
    }
  }
  return runs;
}
