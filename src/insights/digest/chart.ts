import { Resvg } from '@resvg/resvg-js';

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
/** The font is shipped as an npm package so text renders wherever Herald runs, Docker's slim image included. */
const FONT_FAMILY = 'Inter';
const FONT_FILES = ['400Regular/Inter_400Regular.ttf', '600SemiBold/Inter_600SemiBold.ttf'].map((f) => require.resolve(`@expo-google-fonts/inter/${f}`));

/**
 * Renders a stacked bar chart of customer-impact minutes per service per week as a PNG: ECharts draws
 * it as SVG on the server (no DOM, no canvas), resvg turns that into pixels with the shipped font.
 * ECharts is loaded on first use, so starting Herald does not pay for it.
 */
export async function renderImpactChart(chart: ImpactChart, title: string): Promise<Buffer> {
  const echarts = await import('echarts');
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    instance.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: title, left: 16, top: 12, textStyle: { fontFamily: FONT_FAMILY, fontSize: 18, fontWeight: 600 } },
      legend: { type: 'plain', bottom: 8, textStyle: { fontFamily: FONT_FAMILY, fontSize: 12 } },
      grid: { left: 64, right: 24, top: 84, bottom: 72 },
      xAxis: { type: 'category', data: chart.weeks, axisLabel: { fontFamily: FONT_FAMILY, fontSize: 12 } },
      yAxis: {
        type: 'value',
        name: 'minutes',
        nameTextStyle: { fontFamily: FONT_FAMILY, fontSize: 12 },
        minInterval: 1,
        axisLabel: { fontFamily: FONT_FAMILY, fontSize: 12 },
      },
      series: chart.series.map((s) => ({ type: 'bar', stack: 'impact', name: s.service, data: s.minutes, emphasis: { disabled: true } })),
    });
    const svg = instance.renderToSVGString();
    const png = new Resvg(svg, {
      fitTo: { mode: 'width', value: WIDTH * 2 },
      font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    }).render();
    return png.asPng();
  } finally {
    instance.dispose();
  }
}
