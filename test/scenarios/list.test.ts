import { createDatabase } from '../../src/db/client';
import { migrateToLatest } from '../../src/db/migrate';
import { DECLARE_BLOCKS as B } from '../../src/slack/ids';
import { createTestDatabase, usingServer } from '../support/database';
import { startTestHerald, type TestHerald } from '../support/harness';
import { declareIncident } from '../support/journeys';
import { silentLogger } from '../support/logger';
import { startSlackStub } from '../support/slackStub';
import { tempDir } from '../support/tempDirs';

const declare = (t: TestHerald, title: string, answers: Record<string, unknown> = {}) => declareIncident(t, title, { [B.severity]: 'SEV2', ...answers });

describe('/incident list', () => {
  let t: TestHerald;
  beforeEach(async () => {
    t = await startTestHerald();
  });
  afterEach(async () => {
    await t.stop();
  });

  it('lists open incidents newest first with number, severity, status, title and channel link', async () => {
    await declare(t, 'Older problem');
    await declare(t, 'Newer problem', { [B.severity]: 'SEV1' });
    const res = await t.command('list', { user: 'U3' });
    expect(res.json.response_type).toBe('ephemeral');
    const text = JSON.stringify(res.json.blocks);
    const newer = t.slack.channelByName('inc-2-newer-problem')!;
    expect(text).toContain('*#2*');
    expect(text).toContain('SEV1');
    expect(text).toContain('Investigating');
    expect(text).toContain(`<#${newer.id}>`);
    expect(text.indexOf('Newer problem')).toBeLessThan(text.indexOf('Older problem'));
  });

  it('shows a private incident only to members of its channel', async () => {
    await declare(t, 'Public one');
    await declare(t, 'Secret one', { [B.options]: ['private'] });
    const member = await t.command('list', { user: 'U1' });
    const outsider = await t.command('list', { user: 'U4' });
    expect(JSON.stringify(member.json.blocks)).toContain('Secret one');
    expect(JSON.stringify(outsider.json.blocks)).not.toContain('Secret one');
    expect(JSON.stringify(outsider.json.blocks)).toContain('Public one');
  });

  it('says so when nothing is open', async () => {
    const res = await t.command('list');
    expect(res.json.text).toBe('No open incidents.');
  });
});

describe('After a restart', () => {
  it('still lists the incidents declared before it, from the same DATA_DIR or database', async () => {
    const slack = await startSlackStub();
    const dataDir = tempDir('herald-restart-');
    const server = usingServer ? await createTestDatabase() : null;
    // The embedded database is opened exactly as `npm start` opens it: from DATA_DIR on disk.
    const open = async () => {
      if (server) return server;
      const db = await createDatabase({ dataDir, log: silentLogger });
      await migrateToLatest(db, silentLogger);
      return { connect: () => db, drop: () => db.destroy(), outage: { cut: async () => {}, hang: async () => {}, restore: async () => {} } };
    };
    const first = await open();
    let t = await startTestHerald({ slack, database: first, env: { DATA_DIR: dataDir } });
    await declare(t, 'Survives restarts');
    await t.stop();
    if (!server) await first.drop();

    const second = await open();
    t = await startTestHerald({ slack, database: second, env: { DATA_DIR: dataDir } });
    try {
      const res = await t.command('list');
      expect(JSON.stringify(res.json.blocks)).toContain('Survives restarts');
      expect(JSON.stringify(res.json.blocks)).toContain('*#1*');
    } finally {
      await t.stop();
      await second.drop();
      await slack.close();
    }
  });
});
