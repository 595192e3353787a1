import { z } from 'zod';
import { parsePayload } from './http';

/**
 * The three shapes alerts arrive in, each read into one notification: a group (its key from the
 * sender) and its alerts (by fingerprint). Only what Herald uses is required; anything else the sender
 * adds is ignored, so a newer Alertmanager or Grafana still gets through.
 */

export type AlertSource = 'alertmanager' | 'grafana' | 'generic';
export type AlertStatus = 'firing' | 'resolved';

export interface IncomingAlert {
  fingerprint: string;
  name: string;
  status: AlertStatus;
  summary: string;
  startsAt: Date;
  endsAt: Date | null;
}

export interface AlertNotification {
  source: AlertSource;
  groupKey: string;
  title: string;
  status: AlertStatus;
  /** The `service` label, as sent (matched to Herald's services case-insensitively). */
  service: string | null;
  /** The `severity` label, as sent (e.g. critical, warning). */
  severity: string | null;
  sourceUrl: string | null;
  alerts: IncomingAlert[];
}

const status = z.enum(['firing', 'resolved']);
const labels = z.record(z.string(), z.string()).default({});
/** Alertmanager and Grafana write Go's zero time for "not ended". */
const time = z.iso.datetime({ offset: true });
const endTime = (text: string | undefined) => (!text || text.startsWith('0001-') ? null : new Date(text));

const prometheusAlert = z.object({
  status,
  labels,
  annotations: labels,
  startsAt: time,
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1),
});

/** Alertmanager's webhook (version 4) and Grafana's contact point share this body. */
const prometheusBody = z.object({
  status,
  groupKey: z.string().min(1),
  alerts: z.array(prometheusAlert).min(1),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: labels,
  externalURL: z.string().optional(),
  title: z.string().optional(),
  receiver: z.string().optional(),
});

const alertmanagerBody = prometheusBody.extend({ version: z.literal('4', { message: 'only webhook version "4" is understood' }) });

function fromPrometheus(source: AlertSource, body: z.output<typeof prometheusBody>): AlertNotification {
  const first = body.alerts[0]!;
  const label = (name: string) => body.commonLabels[name] ?? first.labels[name] ?? null;
  const alertName = (a: (typeof body.alerts)[number]) => a.labels.alertname ?? body.commonLabels.alertname ?? 'alert';
  const title =
    body.commonAnnotations.summary ??
    (label('alertname') ?? alertName(first)) + (Object.keys(body.groupLabels).length > 0 ? ` (${Object.values(body.groupLabels).join(', ')})` : '');
  return {
    source,
    // Grafana's groupKey is only unique per contact point, so its receiver is part of the key.
    groupKey: source === 'grafana' && body.receiver ? `${body.receiver}/${body.groupKey}` : body.groupKey,
    title,
    status: body.status,
    service: label('service'),
    severity: label('severity'),
    sourceUrl: first.generatorURL || body.externalURL || null,
    alerts: body.alerts.map((a) => ({
      fingerprint: a.fingerprint,
      name: alertName(a),
      status: a.status,
      summary: a.annotations.summary ?? a.annotations.description ?? '',
      startsAt: new Date(a.startsAt),
      endsAt: a.status === 'resolved' ? (endTime(a.endsAt) ?? null) : null,
    })),
  };
}

export function readAlertmanager(body: unknown): AlertNotification {
  return fromPrometheus('alertmanager', parsePayload(alertmanagerBody, body));
}

export function readGrafana(body: unknown): AlertNotification {
  return fromPrometheus('grafana', parsePayload(prometheusBody, body));
}

/** The generic form, documented in the README, for every other sender. */
export const genericAlertSchema = z.object({
  title: z.string().trim().min(1).max(500),
  status,
  dedup_key: z.string().trim().min(1).max(255),
  service: z.string().trim().min(1).max(100).optional(),
  severity: z.string().trim().min(1).max(50).optional(),
  summary: z.string().max(3000).optional(),
  source_url: z.url().optional(),
});

export function readGeneric(body: unknown, now: Date): AlertNotification {
  const alert = parsePayload(genericAlertSchema, body);
  return {
    source: 'generic',
    groupKey: alert.dedup_key,
    title: alert.title,
    status: alert.status,
    service: alert.service ?? null,
    severity: alert.severity ?? null,
    sourceUrl: alert.source_url ?? null,
    alerts: [
      {
        fingerprint: alert.dedup_key,
        name: alert.title,
        status: alert.status,
        summary: alert.summary ?? '',
        startsAt: now,
        endsAt: alert.status === 'resolved' ? now : null,
      },
    ],
  };
}
