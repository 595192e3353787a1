export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One line each, shown beside the option in every severity picker. */
export const SEVERITY_DESCRIPTIONS: Record<Severity, string> = {
  SEV1: 'Critical: customer-facing outage or data loss',
  SEV2: 'Major: key feature degraded for many customers',
  SEV3: 'Minor: limited impact, workaround exists',
  SEV4: 'Low: no customer impact yet, worth tracking',
};

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** Accepts `2`, `sev2`, `SEV2`, `Sev 2`; null when it is none of SEV1–SEV4. */
export function parseSeverity(text: string): Severity | null {
  const match = /^(?:sev\s*)?([1-4])$/i.exec(text.trim());
  return match ? (`SEV${match[1]}` as Severity) : null;
}

/** SEV1 is the most severe; a lower rank is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity) + 1;
}
