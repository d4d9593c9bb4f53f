// The per-step plot of the reference workload as a standalone SVG, written from the
// numbers (no plotting library): one group of horizontal bars per step, one bar per
// series, on a logarithmic millisecond axis (the steps span three orders of magnitude).

const WIDTH = 820;
const LABEL_WIDTH = 150;
const RIGHT_MARGIN = 90;
const BAR_HEIGHT = 13;
const BAR_GAP = 3;
const GROUP_GAP = 14;
const TOP = 58;
const AXIS_HEIGHT = 34;

const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function formatMs(ms) {
  if (ms >= 100) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/**
 * steps: step names, top to bottom; series: [{ name, color, values: { step: ms } }].
 * Missing values are left out of their group.
 */
export function perStepSvg({ title, subtitle, steps, series }) {
  const all = series.flatMap((s) => steps.map((step) => s.values[step])).filter((v) => Number.isFinite(v) && v > 0);
  const low = 10 ** Math.floor(Math.log10(Math.min(...all)));
  const high = 10 ** Math.ceil(Math.log10(Math.max(...all)));
  const plotWidth = WIDTH - LABEL_WIDTH - RIGHT_MARGIN;
  const x = (ms) => LABEL_WIDTH + (Math.log10(ms / low) / Math.log10(high / low)) * plotWidth;
  const groupHeight = series.length * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP;
  const plotHeight = steps.length * groupHeight;
  const legendY = TOP + plotHeight + AXIS_HEIGHT;
  const height = legendY + 30;

  const parts = [];
  parts.push(`<text x="${LABEL_WIDTH}" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`);
  parts.push(`<text x="${LABEL_WIDTH}" y="40" font-size="11" fill="#555">${escape(subtitle)}</text>`);
  for (let tick = low; tick <= high; tick *= 10) {
    const tx = x(tick).toFixed(1);
    parts.push(`<line x1="${tx}" y1="${TOP - 6}" x2="${tx}" y2="${TOP + plotHeight}" stroke="#ddd"/>`);
    parts.push(`<text x="${tx}" y="${TOP + plotHeight + 16}" font-size="11" text-anchor="middle" fill="#555">${escape(formatMs(tick))}</text>`);
  }
  steps.forEach((step, index) => {
    const groupTop = TOP + index * groupHeight;
    const labelY = groupTop + (series.length * (BAR_HEIGHT + BAR_GAP)) / 2 + 4;
    parts.push(`<text x="${LABEL_WIDTH - 8}" y="${labelY}" font-size="12" text-anchor="end">${escape(step)}</text>`);
    series.forEach((s, row) => {
      const value = s.values[step];
      if (!(Number.isFinite(value) && value > 0)) return;
      const y = groupTop + row * (BAR_HEIGHT + BAR_GAP);
      const barWidth = Math.max(1, x(value) - LABEL_WIDTH);
      parts.push(
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${barWidth.toFixed(1)}" height="${BAR_HEIGHT}" fill="${s.color}">` +
          `<title>${escape(`${s.name}: ${formatMs(value)}`)}</title></rect>`,
      );
      parts.push(`<text x="${(LABEL_WIDTH + barWidth + 4).toFixed(1)}" y="${y + BAR_HEIGHT - 2}" font-size="10" fill="#333">${escape(formatMs(value))}</text>`);
    });
  });
  let legendX = LABEL_WIDTH;
  for (const s of series) {
    parts.push(`<rect x="${legendX}" y="${legendY}" width="12" height="12" fill="${s.color}"/>`);
    parts.push(`<text x="${legendX + 17}" y="${legendY + 10}" font-size="12">${escape(s.name)}</text>`);
    legendX += 30 + s.name.length * 6.5;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
    `font-family="system-ui, sans-serif" role="img" aria-label="${escape(title)}">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`
  );
}
