/** The largest page Slack serves on its cursor-paged methods: `limit` must be under 1,000. */
export const SLACK_PAGE_LIMIT = 999;

interface Paged {
  response_metadata?: { next_cursor?: string };
}

/** Every page of a cursor-paged Slack method, in order; `fetchPage` gets the cursor (none for the first). */
export async function* slackPages<P extends Paged>(fetchPage: (cursor: string | undefined) => Promise<P>): AsyncGenerator<P> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield page;
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
}
