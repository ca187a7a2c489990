/**
 * A chart as data: what a measurement hands the report. Measurements say
 * what to plot; the report layer (harness/report/line-chart.ts) draws it, so
 * no measurement depends on a renderer.
 */

export interface LineSeries {
  name: string;
  points: { x: number; y: number }[];
}

export interface LineChartInput {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  logX?: boolean;
  logY?: boolean;
  /** Plot area in pixels (default 560 × 320). */
  width?: number;
  height?: number;
}

/** One chart of a measurement; `id` names its file (charts/<id>.svg). */
export interface ChartSpec {
  id: string;
  input: LineChartInput;
}
