/**
 * Line charts as SVG text, through vega-lite (the chart as data) compiled to
 * vega and rendered headless (renderer 'none': no canvas, no browser).
 * Hand-drawn SVG would need its own axes, log ticks and legend; vega-lite has
 * them, and a spec is easy to review.
 *
 * Every series must stay visible and tell itself apart:
 * each legend entry has its own colour, marker and dash, earlier series get
 * bigger markers so a later one lying on top leaves a ring around them, and
 * series with a panel are drawn as small multiples. Legends are never cut.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { LineChartInput } from '../measurements/chart-spec.ts';

export type { LineChartInput };

/** Tableau 10, its pale yellow and grey last: ten colours that stay apart on white. */
const COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#9c755f', '#76b7b2', '#ff9da7', '#edc948', '#bab0ac'];
const MARKERS = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'triangle-right', 'triangle-left', 'wedge', 'arrow'];
const DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [12, 3], [4, 2, 1, 2], [10, 2, 2, 2], [3, 3], [6, 6], [2, 5]];
/** Marker areas (px²): the first series' markers are the biggest, so a later series on the same point draws inside it and both show. */
const MARKER_SIZES = [200, 90];

/** A log axis with few x values ticks exactly at them (1, 4, 16, 64), not at 1, 2, 3 … 100. */
const MAX_EXPLICIT_TICKS = 8;

/** Keeps errors, drops vega-lite's style warnings (its logger interface, quiet). */
const quietLogger = {
  level(): number {
    return 0;
  },
  error(...args: unknown[]) {
    console.error(...args);
    return quietLogger;
  },
  warn() {
    return quietLogger;
  },
  info() {
    return quietLogger;
  },
  debug() {
    return quietLogger;
  },
} as never;

export function lineChartSpec(input: LineChartInput): TopLevelSpec {
  // A log scale cannot place 0 or a negative value; such points are left out rather than breaking the chart.
  const keep = (p: { x: number; y: number }) =>
    Number.isFinite(p.x) && Number.isFinite(p.y) && (!input.logX || p.x > 0) && (!input.logY || p.y > 0);
  const paneled = input.series.some((s) => s.panel !== undefined);
  const values = input.series.flatMap((s) =>
    s.points.filter(keep).map((p) => ({ x: p.x, y: p.y, series: s.name, ...(paneled ? { panel: s.panel ?? '' } : {}) })),
  );
  const names = [...new Set(input.series.map((s) => s.name))];
  const panels = [...new Set(input.series.map((s) => s.panel ?? ''))];
  const xs = [...new Set(values.map((v) => v.x))].sort((a, b) => a - b);
  const pick = <T,>(list: readonly T[]) => names.map((_, i) => list[i % list.length]!);
  const sizes = names.map((_, i) => MARKER_SIZES[Math.min(i, MARKER_SIZES.length - 1)]!);

  const legend = { title: null, labelLimit: 0, symbolSize: 110, symbolStrokeWidth: 2, labelFontSize: 12, ...(paneled ? { orient: 'top' as const, direction: 'horizontal' as const } : {}) };
  const series = { field: 'series', type: 'nominal' as const, title: null };
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: input.xNote ? [input.xLabel, input.xNote] : input.xLabel,
    scale: input.logX ? { type: 'log' as const } : { zero: false },
    axis: { titleFontSize: 12, ...(input.logX && xs.length <= MAX_EXPLICIT_TICKS ? { values: xs } : {}), labelFlush: true },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: input.yNote ? [input.yLabel, input.yNote] : input.yLabel,
    scale: input.yDomain ? { domain: input.yDomain, nice: false, padding: 8 } : input.logY ? { type: 'log' as const } : { zero: true },
    axis: { titleFontSize: 12 },
  };
  const layers = {
    width: input.width ?? (paneled ? 220 : 560),
    height: input.height ?? (paneled ? 150 : 320),
    layer: [
      {
        mark: { type: 'line' as const, strokeWidth: 2, clip: false },
        encoding: {
          x,
          y,
          color: { ...series, scale: { domain: names, range: pick(COLOURS) }, legend },
          strokeDash: { ...series, scale: { domain: names, range: pick(DASHES) }, legend },
        },
      },
      {
        mark: { type: 'point' as const, filled: true, opacity: 1, clip: false },
        encoding: {
          x,
          y,
          color: { ...series, scale: { domain: names, range: pick(COLOURS) }, legend },
          shape: { ...series, scale: { domain: names, range: pick(MARKERS) }, legend },
          size: { ...series, scale: { type: 'ordinal', domain: names, range: sizes }, legend: null },
          tooltip: [{ field: 'series', type: 'nominal' as const }, { field: 'x', type: 'quantitative' as const }, { field: 'y', type: 'quantitative' as const }],
        },
      },
    ],
  };
  const common = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // One subtitle line per clause: without a canvas vega over-estimates text width, and one long line widens the whole SVG.
    title: { text: input.title, ...(input.subtitle ? { subtitle: input.subtitle.split('; ') } : {}), anchor: 'start' as const, fontSize: 15, subtitleFontSize: 12 },
    background: 'white',
    padding: 12,
    data: { values },
    config: { view: { stroke: '#ddd' }, axis: { labelFontSize: 11 } },
  };
  if (!paneled) return { ...common, ...layers } as TopLevelSpec;
  return {
    ...common,
    facet: { field: 'panel', type: 'nominal', sort: panels, title: null, header: { labelFontSize: 13, labelFontWeight: 'bold', labelPadding: 4 } },
    columns: input.columns ?? 3,
    spec: layers,
  } as TopLevelSpec;
}

export async function renderLineChartSvg(input: LineChartInput): Promise<string> {
  // vega-lite's warnings are about spec style, not about a run: they would only clutter a newcomer's terminal.
  const { spec } = compile(lineChartSpec(input), { logger: quietLogger });
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
