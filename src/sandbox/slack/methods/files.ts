import { randomBytes } from 'node:crypto';
import { invalidArguments, refuse } from '../args';
import type { StubFile, StubMessage } from '../types';
import type { World } from '../world';
import type { Handler } from './common';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Slack's largest upload (1 GB). */
const MAX_LENGTH = 1024 * 1024 * 1024;
const INITIAL_COMMENT_MAX = 4000;

/**
 * Slack's external upload flow, strictly: files.getUploadURLExternal announces a file (name, length)
 * and hands out an upload_url on this stand-in; the bytes POSTed there must be exactly that long (and
 * a PNG when the name says .png); files.completeUploadExternal finishes only uploaded files, once, and
 * shares them to `channel_id` (in `thread_ts`), where they appear as a message.
 */
export const fileMethods: Record<string, Handler> = {
  'files.getUploadURLExternal'(w, a) {
    const filename = a.nonEmpty('filename');
    if (filename === undefined) invalidArguments('missing required field: filename', '/filename');
    const length = a.int('length');
    if (length === undefined) invalidArguments('missing required field: length', '/length');
    if (length <= 0 || length > MAX_LENGTH) refuse('invalid_length');
    const id = w.nextId('F');
    const uploadPath = `/upload/${id}/${randomBytes(8).toString('hex')}`;
    w.files.set(id, { id, filename, length, uploadPath, bytes: null, completed: false, channels: [] });
    return { upload_url: `${w.origin}${uploadPath}`, file_id: id };
  },

  'files.completeUploadExternal'(w, a) {
    const raw = a.json('files');
    if (raw === undefined) invalidArguments('missing required field: files', '/files');
    if (!raw.ok || !Array.isArray(raw.value) || raw.value.length === 0) invalidArguments('must provide an array of files', '/files');
    const entries = raw.value as Array<{ id?: unknown; title?: unknown }>;
    const files = entries.map((e) => {
      const file = typeof e?.id === 'string' ? w.files.get(e.id) : undefined;
      // Unknown, never uploaded (or refused), or already completed: Slack has no upload to finish.
      if (!file || file.bytes === null || file.completed) refuse('file_not_found');
      return { file, title: typeof e.title === 'string' && e.title !== '' ? e.title : file.filename };
    });
    const channelId = a.nonEmpty('channel_id');
    const comment = a.str('initial_comment');
    if (comment !== undefined && [...comment].length > INITIAL_COMMENT_MAX) refuse('msg_too_long');
    let shared: { channel: string; threadTs?: string } | null = null;
    if (channelId !== undefined) {
      const channel = w.postTarget(channelId);
      if (channel.is_archived) refuse('is_archived');
      if (!w.botIsMember(channel)) refuse('not_in_channel');
      const requestedThread = a.nonEmpty('thread_ts');
      let threadTs: string | undefined;
      if (requestedThread !== undefined) {
        const parent = w.message(channel.id, requestedThread);
        if (!parent) refuse('thread_not_found');
        threadTs = parent.thread_ts ?? parent.ts;
      }
      shared = { channel: channel.id, threadTs };
    }
    for (const { file, title } of files) {
      file.completed = true;
      file.title = title;
      if (shared) file.channels.push(shared.channel);
    }
    if (shared) {
      const msg: StubMessage = {
        channel: shared.channel,
        ts: w.nextTs(),
        ...(shared.threadTs ? { thread_ts: shared.threadTs } : {}),
        text: comment ?? '',
        user: w.id.botUserId,
        edited: false,
        history: [],
        files: files.map(({ file, title }) => ({ id: file.id, name: file.filename, title })),
      };
      w.messages.push(msg);
    }
    return { files: files.map(({ file, title }) => ({ id: file.id, title, name: file.filename })) };
  },
};

/**
 * The bytes POSTed to an upload_url: accepted once, when exactly the announced length (and a PNG for a
 * .png name). Answers like Slack's upload host: 200 "OK - <length>", or an error status.
 */
export function receiveUpload(w: World, path: string, bytes: Buffer): { status: number; body: string } {
  const file = [...w.files.values()].find((f: StubFile) => f.uploadPath === path);
  if (!file || file.bytes !== null) return { status: 404, body: 'upload_url_not_found' };
  if (bytes.length !== file.length) return { status: 400, body: `length_mismatch: announced ${file.length}, received ${bytes.length}` };
  if (/\.png$/i.test(file.filename) && !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return { status: 400, body: 'not_a_png' };
  file.bytes = Buffer.from(bytes);
  return { status: 200, body: `OK - ${bytes.length}` };
}
