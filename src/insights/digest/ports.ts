import type { PostOnce } from '../../outbox/steps';
import type { Digest } from './model';

/** A PNG to share in the digest's channel. */
export interface ChartFile {
  bytes: Buffer;
  filename: string;
  title: string;
}

/** How the digest reaches Slack; implemented in slack/. */
export interface DigestMessenger {
  /** Posts the digest's text once (see PostOnce); returns the message's ts. */
  postDigest(channel: string, digest: Digest, once: PostOnce): Promise<string>;
  /** Uploads the chart and shares it in the channel. */
  shareChart(channel: string, chart: ChartFile): Promise<void>;
  /** Rewrites the posted digest with a line saying the chart could not be attached, and why. */
  noteChartProblem(channel: string, ts: string, digest: Digest, problem: string): Promise<void>;
}
