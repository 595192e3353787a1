/** Signed requests as Slack sends them: shared with the sandbox, which speaks to Herald the same way. */
export { form, signature, signedPost, stateFor } from '../../src/sandbox/slackRequests';
export type { SignedResponse, SignOptions } from '../../src/sandbox/slackRequests';
export { commandFields, eventEnvelope } from '../../src/sandbox/payloads';
