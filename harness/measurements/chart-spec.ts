/**
 * A chart as data: what a measurement hands the report. Measurements say
 * what to plot; the report layer (harness/report/line-chart.ts) draws it, so
 * no measurement depends on a renderer.
 */

export interface LineSeries {
  /** The legend entry: series of one name share colour, marker and dash in every panel. */
  name: string;
  points: { x: number; y: number }[];
  /**
   * The small multiple this series is drawn in (e.g. a store). When any series
   * has one, the chart is one panel per distinct value, in the order first met,
   * so series that would lie on top of each other in one plot each get their own.
   */
  panel?: string;
}

export interface LineChartInput {
  title: string;
  /** A line under the title: what a point is and how many samples it stands for. */
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  /** A second line under an axis title, e.g. the sample size behind each point. */
  xNote?: string;
  yNote?: string;
  series: LineSeries[];
  logX?: boolean;
  logY?: boolean;
  /** A fixed y range (e.g. [0, 100] for a percentage), padded so points on its edges stay visible. */
  yDomain?: [number, number];
  /** Plot area in pixels (default 560 × 320; per panel with panels: 220 × 150). */
  width?: number;
  height?: number;
  /** Panels per row when the series have panels (default 3). */
  columns?: number;
}

/** One chart of a measurement; `id` names its file (charts/<id>.svg). */
export interface ChartSpec {
  id: string;
  input: LineChartInput;
}
