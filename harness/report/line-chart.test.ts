import { describe, expect, it } from 'vitest';
import { lineChartSpec, renderLineChartSvg } from './line-chart.ts';

describe('renderLineChartSvg', () => {
  it('renders an SVG with its title, axis labels and every series name', async () => {
    const svg = await renderLineChartSvg({
      title: 'Lookup p50 by live sessions',
      xLabel: 'live sessions',
      yLabel: 'p50 (µs)',
      logX: true,
      logY: true,
      series: [
        { name: 'memory', points: [{ x: 10, y: 0.3 }, { x: 100_000, y: 0.9 }] },
        { name: 'json-file', points: [{ x: 10, y: 40 }, { x: 100_000, y: 900_000 }] },
      ],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    for (const text of ['Lookup p50 by live sessions', 'live sessions', 'p50 (µs)', 'memory', 'json-file']) expect(svg).toContain(text);
  });

  it('leaves out points a log scale cannot place instead of failing', async () => {
    const input = { title: 't', xLabel: 'x', yLabel: 'y', logY: true, series: [{ name: 'a', points: [{ x: 1, y: 0 }, { x: 2, y: 5 }] }] };
    expect((lineChartSpec(input).data as { values: unknown[] }).values).toEqual([{ x: 2, y: 5, series: 'a' }]);
    expect(await renderLineChartSvg(input)).toContain('<svg');
  });
});

// Regression: C8 drew 12 series in one plot, two sharing a colour, and cut the legend ("json-file whole fl…").
describe('every series visible and told apart', () => {
  const names = Array.from({ length: 6 }, (_, i) => `store-number-${i} with a long legend label`);
  const input = { title: 't', xLabel: 'x', yLabel: 'y', logX: true, logY: true, series: names.map((name, i) => ({ name, points: [{ x: 10, y: i + 1 }, { x: 100, y: i + 2 }] })) };

  it('gives each series its own colour, marker and dash, and never truncates a legend label', async () => {
    const spec = JSON.stringify(lineChartSpec(input));
    const layers = (lineChartSpec(input) as { layer: { encoding: Record<string, { scale?: { range?: unknown[] }; legend?: { labelLimit?: number } | null }> }[] }).layer;
    for (const channel of ['color', 'strokeDash'] as const) expect(new Set(layers[0]!.encoding[channel]!.scale!.range!.map(String)).size).toBe(6);
    expect(new Set(layers[1]!.encoding.shape!.scale!.range).size).toBe(6);
    expect(spec).toContain('"labelLimit":0');
    const svg = await renderLineChartSvg(input);
    for (const name of names) expect(svg).toContain(name);
    expect(svg).not.toContain('…');
  });

  it('draws series with a panel as small multiples, one panel each', async () => {
    const paneled = { ...input, series: input.series.map((s, i) => ({ ...s, name: i % 2 ? 'whole flows' : 'state lookups', panel: `store ${Math.floor(i / 2)}` })) };
    const spec = lineChartSpec(paneled) as { facet?: { sort?: string[] } };
    expect(spec.facet?.sort).toEqual(['store 0', 'store 1', 'store 2']);
    const svg = await renderLineChartSvg(paneled);
    for (const panel of ['store 0', 'store 1', 'store 2', 'state lookups', 'whole flows']) expect(svg).toContain(panel);
  });
});
