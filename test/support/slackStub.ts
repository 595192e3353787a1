/**
 * A strict stand-in for Slack's Web API, served over HTTP on 127.0.0.1 (random port).
 *
 *   const stub = await startSlackStub();
 *   const client = new WebClient(stub.token, { slackApiUrl: stub.apiUrl, retryConfig: { retries: 0 } });
 *
 * It refuses what Slack refuses, with Slack's error codes (channel names, membership, Block Kit
 * limits, trigger expiry, view hashes, Slack's per-method rate-limit tiers — on by default, shared by
 * every client of one stand-in as by every replica of an app — and, when asked, chat.postMessage's pace
 * per channel …) and records every call.
 *
 * Implementation, under src/sandbox/slack/ (the sandbox serves the same stand-in):
 *   server.ts       HTTP, auth, call records, failNext, response_url
 *   interactions.ts block_actions payloads as Slack sends them (no response_url for a click in a view)
 *   rateLimits.ts   per-method tiers and chat.postMessage's per-channel pace (429 + Retry-After)
 *   world.ts        workspace state (users, channels, DMs, messages, views, triggers)
 *   methods/*.ts    the Web API methods, one file per family (chat, conversations, views, misc)
 *   blockKit/       Block Kit validation (Slack-style "[ERROR] … [json-pointer:…]" messages)
 *
 * Beyond the agreed API: StubChannel.is_archived (set it to make a channel refuse with
 * `is_archived`), SlackStub.addMessage (a human's message), issueTrigger({ user, viewId }),
 * StubMessage.metadata (chat.postMessage's `metadata`, read back by conversations.history/replies
 * with include_all_metadata).
 */
export { startSlackStub } from '../../src/sandbox/slack/server';
export { blockActionsPayload, type ClickContainer } from '../../src/sandbox/slack/interactions';
export { validateMessageBlocks, validateView } from '../../src/sandbox/slack/blockKit';
export type {
  FailureSpec,
  MethodRateLimits,
  PostRateLimit,
  SlackStub,
  StubCall,
  StubChannel,
  StubEphemeral,
  StubMessage,
  StubOptions,
  StubUser,
  StubView,
  TriggerOptions,
} from '../../src/sandbox/slack/types';
