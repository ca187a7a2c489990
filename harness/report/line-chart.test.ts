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
