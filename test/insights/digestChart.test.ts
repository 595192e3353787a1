import { renderImpactChart } from '../../src/insights/digest/chart';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const weeks = ['5 Oct', '12 Oct', '19 Oct', '26 Oct', '2 Nov', '9 Nov', '16 Nov', '23 Nov'];

describe('the digest chart of customer-impact minutes per service per week', () => {
  it('is a PNG image of a readable size, with the bars, the axes and the legend drawn', async () => {
    const png = await renderImpactChart(
      { weeks, series: [{ service: 'Payments API', minutes: [0, 30, 0, 120, 45, 0, 10, 60] }, { service: 'Checkout', minutes: [15, 0, 0, 20, 0, 90, 0, 5] }] },
      'Customer-impact minutes per service, last 8 weeks',
    );
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    // IHDR: width and height follow the chunk's length and type.
    expect(png.readUInt32BE(16)).toBe(1920);
    expect(png.readUInt32BE(20)).toBe(960);
    expect(png.length).toBeGreaterThan(20_000);
  });

  it('draws its text with the shipped font: the labels change the image', async () => {
    const series = [{ service: 'Payments API', minutes: [1, 2, 3, 4, 5, 6, 7, 8] }];
    const a = await renderImpactChart({ weeks, series }, 'Impact');
    const b = await renderImpactChart({ weeks, series: [{ ...series[0], service: 'A much longer service name' }] }, 'Impact');
    expect(a.equals(b)).toBe(false);
  });

  it('renders a quiet eight weeks too', async () => {
    const png = await renderImpactChart({ weeks, series: [] }, 'No customer impact');
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });
});
