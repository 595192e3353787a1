import type { WebClient } from '@slack/web-api';
import { ExternalCallError } from '../errors';
import type { DigestMessenger } from '../insights/digest/ports';
import { digestMessage } from './blocks/digest';
import { postOnce } from './markedPosts';
import { slackCall } from './slackErrors';

/** How long the bytes of an upload may take to reach Slack. */
const UPLOAD_TIMEOUT_MS = 30_000;

/**
 * The digest in Slack. The chart goes through Slack's external upload flow (files.upload is retired):
 * ask for an upload URL for the file's name and length, send the bytes there, then complete the
 * upload, which shares the file in the channel.
 */
export function createDigestMessenger(client: WebClient, options: { uploadTimeoutMs?: number } = {}): DigestMessenger {
  return {
    async postDigest(channel, digest, once) {
      return (await postOnce(client, { channel, ...digestMessage(digest), unfurl_links: false }, once)).ts;
    },
    async shareChart(channel, chart) {
      const target = await slackCall(() => client.files.getUploadURLExternal({ filename: chart.filename, length: chart.bytes.length }));
      let response: Response;
      try {
        response = await fetch(target.upload_url!, {
          method: 'POST',
          headers: { 'Content-Type': 'application/octet-stream' },
          body: new Uint8Array(chart.bytes),
          signal: AbortSignal.timeout(options.uploadTimeoutMs ?? UPLOAD_TIMEOUT_MS),
        });
      } catch {
        throw new ExternalCallError('upload_failed', true);
      }
      if (!response.ok) throw new ExternalCallError(`upload_http_${response.status}`, response.status >= 500);
      await slackCall(() =>
        client.files.completeUploadExternal({ files: [{ id: target.file_id!, title: chart.title }], channel_id: channel, initial_comment: chart.title }),
      );
    },
    async noteChartProblem(channel, ts, digest, problem) {
      await slackCall(() => client.chat.update({ channel, ts, ...digestMessage(digest, problem) }));
    },
  };
}
