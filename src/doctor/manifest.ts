import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

/** What the doctor compares the installation with: manifest.yml's bot scopes and App Home tabs. */
export interface ManifestExpectations {
  botScopes: string[];
  tabs: { home: boolean; messages: boolean };
}

/** The manifest.yml nearest above this file: the checkout's (src/ or dist/src/), or the image's /app. */
export function findManifest(from = __dirname): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'manifest.yml');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

export function readManifestExpectations(path: string): ManifestExpectations {
  const raw = parse(readFileSync(path, 'utf8'));
  const appHome = raw?.features?.app_home ?? {};
  const scopes: unknown = raw?.oauth_config?.scopes?.bot;
  return {
    botScopes: Array.isArray(scopes) ? scopes.map(String) : [],
    // Slack's defaults when the manifest leaves them out: no Home tab, a Messages tab.
    tabs: { home: appHome.home_tab_enabled === true, messages: appHome.messages_tab_enabled !== false },
  };
}
