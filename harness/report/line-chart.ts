/**
 * Line charts as SVG text, through vega-lite (the chart as data) compiled to
 * vega and rendered headless (renderer 'none': no canvas, no browser).
 * Hand-drawn SVG would need its own axes, log ticks and legend; vega-lite has
 * them, and a spec is easy to review.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { LineChartInput } from '../measurements/chart-spec.ts';

export type { LineChartInput };

export function lineChartSpec(input: LineChartInput): TopLevelSpec {
  // A log scale cannot place 0 or a negative value; such points are left out rather than breaking the chart.
  const keep = (p: { x: number; y: number }) =>
    Number.isFinite(p.x) && Number.isFinite(p.y) && (!input.logX || p.x > 0) && (!input.logY || p.y > 0);
  const values = input.series.flatMap((s) => s.points.filter(keep).map((p) => ({ x: p.x, y: p.y, series: s.name })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: input.title,
    width: input.width ?? 560,
    height: input.height ?? 320,
    background: 'white',
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: input.xLabel, scale: input.logX ? { type: 'log' } : { zero: false } },
      y: { field: 'y', type: 'quantitative', title: input.yLabel, scale: input.logY ? { type: 'log' } : { zero: true } },
      // The legend keeps the caller's order of series.
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: input.series.map((s) => s.name) } },
    },
  };
}

export async function renderLineChartSvg(input: LineChartInput): Promise<string> {
  const { spec } = compile(lineChartSpec(input));
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
