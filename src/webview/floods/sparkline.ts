/**
 * A sparkline of the last 60 seconds: an inline SVG polyline made with DOM calls (no markup is
 * parsed), scaled to its own peak, with a filled area under it. Colours come from the
 * stylesheet (the CSP allows no inline styles).
 */
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 60;
const HEIGHT = 16;

export function sparkline(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  const area = document.createElementNS(SVG, 'polygon');
  area.setAttribute('class', 'spark-area');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('class', 'spark-line');
  line.setAttribute('vector-effect', 'non-scaling-stroke');
  svg.append(area, line);
  return svg;
}

/** Draws `values` (oldest first) into a sparkline made by `sparkline()`. */
export function drawSparkline(svg: SVGSVGElement, values: readonly number[]): void {
  let peak = 0;
  for (const v of values) if (Number.isFinite(v) && v > peak) peak = v;
  const step = values.length > 1 ? WIDTH / (values.length - 1) : WIDTH;
  const points: string[] = [];
  values.forEach((v, i) => {
    const y =
      peak > 0 && Number.isFinite(v) ? HEIGHT - (Math.max(0, v) / peak) * (HEIGHT - 1) : HEIGHT;
    points.push(`${(i * step).toFixed(2)},${y.toFixed(2)}`);
  });
  const line = points.join(' ');
  svg.children[1].setAttribute('points', line);
  svg.children[0].setAttribute('points', `0,${HEIGHT} ${line} ${WIDTH},${HEIGHT}`);
}
