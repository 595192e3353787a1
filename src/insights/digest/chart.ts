import { Worker } from 'node:worker_threads';

/** Customer-impact minutes of one service, one number per week, oldest week first. */
export interface ImpactSeries {
  service: string;
  minutes: number[];
}

export interface ImpactChart {
  /** One label per week, oldest first (e.g. "16 Nov"). */
  weeks: string[];
  series: ImpactSeries[];
}

const WIDTH = 960;
const HEIGHT = 480;
/** Rendered at twice the size, so the chart stays sharp on high-density screens. */
const SCALE = 2;
/** The font is shipped as an npm package so text renders wherever Herald runs, Docker's slim image included. */
const FONT_FAMILY = 'Inter';
const FONT_FILES = ['400Regular/Inter_400Regular.ttf', '600SemiBold/Inter_600SemiBold.ttf'].map((f) => require.resolve(`@expo-google-fonts/inter/${f}`));
/** A render that takes longer than this has gone wrong. */
const RENDER_TIMEOUT_MS = 30_000;

/** The ECharts option of the chart: a stacked bar per week, one colour per service. */
export function impactChartOption(chart: ImpactChart, title: string): Record<string, unknown> {
  const text = { fontFamily: FONT_FAMILY, fontSize: 12 };
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT_FAMILY },
    title: { text: title, left: 16, top: 12, textStyle: { fontFamily: FONT_FAMILY, fontSize: 18, fontWeight: 600 } },
    legend: { type: 'plain', bottom: 8, textStyle: text },
    grid: { left: 64, right: 24, top: 84, bottom: 72 },
    xAxis: { type: 'category', data: chart.weeks, axisLabel: text },
    yAxis: { type: 'value', name: 'minutes', nameTextStyle: text, minInterval: 1, axisLabel: text },
    series: chart.series.map((s) => ({ type: 'bar', stack: 'impact', name: s.service, data: s.minutes, emphasis: { disabled: true } })),
  };
}

/**
 * Runs in a worker thread: ECharts draws the option as SVG on the server (no DOM, no canvas), resvg
 * turns it into a PNG with the shipped font. Plain JavaScript, so the same code runs from the compiled
 * build and under the tests; the modules come by the paths the main thread resolved.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const echarts = require(workerData.echarts);
const { Resvg } = require(workerData.resvg);
const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: workerData.width, height: workerData.height });
try {
  chart.setOption(workerData.option);
  const svg = chart.renderToSVGString();
  const png = new Resvg(svg, {
    fitTo: { mode: 'width', value: workerData.width * workerData.scale },
    font: { fontFiles: workerData.fontFiles, loadSystemFonts: false, defaultFontFamily: workerData.fontFamily },
  }).render().asPng();
  parentPort.postMessage(png);
} finally {
  chart.dispose();
}
`;

/**
 * Renders a stacked bar chart of customer-impact minutes per service per week as a PNG. The work
 * (about a quarter of a second of CPU, more on first use) happens in a worker thread, so requests
 * from Slack are acknowledged on time while a digest is drawn.
 */
export function renderImpactChart(chart: ImpactChart, title: string): Promise<Buffer> {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      echarts: require.resolve('echarts'),
      resvg: require.resolve('@resvg/resvg-js'),
      option: impactChartOption(chart, title),
      width: WIDTH,
      height: HEIGHT,
      scale: SCALE,
      fontFiles: FONT_FILES,
      fontFamily: FONT_FAMILY,
    },
  });
  let timer: NodeJS.Timeout | undefined;
  return new Promise<Buffer>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error('chart_render_timeout')), RENDER_TIMEOUT_MS);
    worker.once('message', (png: Uint8Array) => resolve(Buffer.from(png.buffer, png.byteOffset, png.byteLength)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`chart renderer stopped (exit ${code})`)));
  }).finally(() => {
    clearTimeout(timer);
    void worker.terminate();
  });
}
