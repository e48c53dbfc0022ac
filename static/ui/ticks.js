// The slider's ticks (model/ticks.js), drawn once behind the range input as one SVG path in
// the slider's box (.slider-wrap): a step of the slider costs nothing more, and the input
// stays the browser's own control (keys, screen readers, touch). The box's CSS lines the
// ticks up with the thumb's centre.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Draw ticks ([{index, weight}]) for the days 0..lastIndex behind slider. */
export function drawTicks(slider, ticks, lastIndex) {
  if (!slider) return;
  slider.dataset.ticks = ticks.map((t) => t.index).join(' ');
  const box = slider.parentElement;
  if (!box?.classList.contains('slider-wrap') || ticks.length === 0 || lastIndex <= 0) return;
  const doc = slider.ownerDocument;
  const svg = doc.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'slider-ticks');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('data-testid', 'slider-ticks');
  // x is the day, y the box's height; a tick grows from the foot, weight of the height.
  svg.setAttribute('viewBox', `0 0 ${lastIndex} 1`);
  svg.setAttribute('preserveAspectRatio', 'none');
  const path = doc.createElementNS(SVG_NS, 'path');
  let d = '';
  for (const t of ticks) d += `M${t.index} 1V${(1 - t.weight).toFixed(3)}`;
  path.setAttribute('d', d);
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '2');
  path.setAttribute('vector-effect', 'non-scaling-stroke');
  path.setAttribute('fill', 'none');
  svg.append(path);
  box.prepend(svg);
  box.classList.add('has-ticks');
}
