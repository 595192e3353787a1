/** Text helpers that keep every builder inside Slack's limits. */

export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  header: 150,
  buttonText: 75,
  optionText: 75,
  optionValue: 150,
  staticOptions: 100,
  modalTitle: 24,
  privateMetadata: 3000,
  topic: 250,
  contextElements: 10,
  updateText: 4000,
} as const;

/** Cuts text to `max` characters, ending with "…" when it had to cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/** Escapes the three characters Slack's mrkdwn gives meaning to, so user text shows as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const plain = (text: string, max: number = LIMITS.sectionText) => ({ type: 'plain_text' as const, text: truncate(text, max), emoji: true });
export const mrkdwn = (text: string, max: number = LIMITS.sectionText) => ({ type: 'mrkdwn' as const, text: truncate(text, max) });

/** Slack's date formatting: each reader sees the time in their own time zone. */
export function slackDate(at: Date, format = '{date_short_pretty} at {time}'): string {
  const seconds = Math.floor(at.getTime() / 1000);
  return `<!date^${seconds}^${format}|${at.toISOString()}>`;
}

export const userMention = (id: string) => `<@${id}>`;
export const channelMention = (id: string) => `<#${id}>`;

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
