import { CadencePolicy } from './comms/cadence';
import { snoozeUpdatePrompt } from './comms/prompts';
import { listServices } from './incidents/servicesRepository';
import { loadServiceStakeholders, saveServiceStakeholders, type SaveStakeholdersDeps } from './comms/stakeholders';
import { postStatusUpdate, type StatusUpdateDeps } from './comms/statusUpdates';
import { subscribe, unsubscribe } from './comms/subscriptions';
import { loadUpdateForm } from './comms/updateForm';
import { guardedUseCases } from './db/availability';
import type { Database } from './db/client';
import { addNote, assignRole, changeSeverity, changeStatus, closeIncident } from './incidents/changes';
import { declareIncident } from './incidents/declare';
import type { IncidentLifecycleHooks } from './incidents/lifecycle';
import type { Incident } from './incidents/model';
import { buildInsightsReport, findService } from './insights/report';
import { requestPin } from './incidents/pins';
import { addMessageToIncident } from './incidents/messages';
import { claimEvent } from './db/processedEventsRepository';
import { loadHome } from './home/load';
import { chooseHomeWindow } from './home/query';
import { retryIncidentSetup } from './incidents/retrySetup';
import { findIncidentByChannel, getIncident, listOpenIncidents } from './incidents/repository';
import { correctTimelineEntry, loadCorrectionForm } from './incidents/timelineCorrections';
import { listTimeline } from './incidents/timelineRepository';
import { completeFollowUp, createFollowUp, listIncidentFollowUps, listMyFollowUps } from './reviews/followUps';
import { cacheTimeZone, findCachedTimeZone } from './reviews/timeZoneRepository';
import { todayFor } from './reviews/timeZones';
import { loadReviewForm, saveReview } from './reviews/writeReview';
import { attachAlertGroup, dismissAlertGroup, loadAlertDeclareForm, type AlertDeps } from './signals/alerts';
import { doctorDatabase } from './doctor/database';

type Rest<F> = F extends (first: any, ...rest: infer R) => any ? R : never;

export interface UseCaseDeps {
  db: Database;
  hooks: IncidentLifecycleHooks;
  policy: CadencePolicy;
  /** The alerts domain's settings (ALERTS_CHANNEL, ALERT_RULES, who auto-declares). */
  alerts: Omit<AlertDeps, 'db' | 'hooks'>;
}

/**
 * What Slack's listeners may ask of Herald, bound to the database: the surface calls these and never
 * holds the database itself. Every call runs within `deadlineMs` (a person is waiting inside Slack's
 * 3 seconds) and a database out of reach comes back as one DatabaseUnavailableError.
 */
export function createUseCases(deps: UseCaseDeps, deadlineMs: number) {
  const { db } = deps;
  const doctor = doctorDatabase(db);
  const change = { db, hooks: deps.hooks };
  const alerts: AlertDeps = { db, hooks: deps.hooks, ...deps.alerts };
  return guardedUseCases(
    {
      getIncident: (id: number) => getIncident(db, id),
      findIncidentByChannel: (channelId: string) => findIncidentByChannel(db, channelId),
      listOpenIncidents: (...args: Rest<typeof listOpenIncidents>) => listOpenIncidents(db, ...args),
      listTimeline: (incidentId: number) => listTimeline(db, incidentId),
      loadCorrectionForm: (...args: Rest<typeof loadCorrectionForm>) => loadCorrectionForm(db, ...args),
      correctTimelineEntry: (...args: Rest<typeof correctTimelineEntry>) => correctTimelineEntry(db, ...args),
      declareIncident: (input: Parameters<typeof declareIncident>[2], now: Date) => declareIncident(db, deps.hooks, input, now),
      changeStatus: (...args: Rest<typeof changeStatus>) => changeStatus(change, ...args),
      changeSeverity: (...args: Rest<typeof changeSeverity>) => changeSeverity(change, ...args),
      assignRole: (...args: Rest<typeof assignRole>) => assignRole(change, ...args),
      closeIncident: (...args: Rest<typeof closeIncident>) => closeIncident(change, ...args),
      addNote: (...args: Rest<typeof addNote>) => addNote(change, ...args),
      requestPin: (...args: Rest<typeof requestPin>) => requestPin(db, ...args),
      addMessageToIncident: (...args: Rest<typeof addMessageToIncident>) => addMessageToIncident(db, ...args),
      claimEvent: (...args: Rest<typeof claimEvent>) => claimEvent(db, ...args),
      loadHome: (...args: Rest<typeof loadHome>) => loadHome(db, ...args),
      chooseHomeWindow: (...args: Rest<typeof chooseHomeWindow>) => chooseHomeWindow(db, ...args),
      findService: (...args: Rest<typeof findService>) => findService(db, ...args),
      buildInsightsReport: (...args: Rest<typeof buildInsightsReport>) => buildInsightsReport(db, ...args),
      retryIncidentSetup: (...args: Rest<typeof retryIncidentSetup>) => retryIncidentSetup(db, ...args),
      listServices: (...args: Rest<typeof listServices>) => listServices(db, ...args),
      loadServiceStakeholders: (...args: Rest<typeof loadServiceStakeholders>) => loadServiceStakeholders(db, ...args),
      saveServiceStakeholders: (isActiveUser: SaveStakeholdersDeps['isActiveUser'], ...args: Rest<typeof saveServiceStakeholders>) =>
        saveServiceStakeholders({ db, isActiveUser }, ...args),
      loadUpdateForm: (incidentOrId: Incident | number) => loadUpdateForm(db, incidentOrId),
      postStatusUpdate: (channelMembers: StatusUpdateDeps['channelMembers'], ...args: Rest<typeof postStatusUpdate>) =>
        postStatusUpdate({ db, hooks: deps.hooks, policy: deps.policy, channelMembers }, ...args),
      snoozeUpdatePrompt: (...args: Rest<typeof snoozeUpdatePrompt>) => snoozeUpdatePrompt({ db, policy: deps.policy }, ...args),
      subscribe: (...args: Rest<typeof subscribe>) => subscribe(db, ...args),
      unsubscribe: (...args: Rest<typeof unsubscribe>) => unsubscribe(db, ...args),
      loadReviewForm: (...args: Rest<typeof loadReviewForm>) => loadReviewForm(db, ...args),
      saveReview: (...args: Rest<typeof saveReview>) => saveReview(db, ...args),
      todayFor: (...args: Rest<typeof todayFor>) => todayFor(db, ...args),
      createFollowUp: (...args: Rest<typeof createFollowUp>) => createFollowUp(db, ...args),
      completeFollowUp: (...args: Rest<typeof completeFollowUp>) => completeFollowUp(db, ...args),
      listMyFollowUps: (...args: Rest<typeof listMyFollowUps>) => listMyFollowUps(db, ...args),
      listIncidentFollowUps: (...args: Rest<typeof listIncidentFollowUps>) => listIncidentFollowUps(db, ...args),
      findCachedTimeZone: (...args: Rest<typeof findCachedTimeZone>) => findCachedTimeZone(db, ...args),
      cacheTimeZone: (...args: Rest<typeof cacheTimeZone>) => cacheTimeZone(db, ...args),
      loadAlertDeclareForm: (groupId: number) => loadAlertDeclareForm(alerts, groupId),
      attachAlertGroup: (...args: Rest<typeof attachAlertGroup>) => attachAlertGroup(alerts, ...args),
      dismissAlertGroup: (...args: Rest<typeof dismissAlertGroup>) => dismissAlertGroup(alerts, ...args),
      // The setup doctor's questions (/incident doctor): only reads.
      checkDatabase: () => doctor.check(),
      listStakeholderChannels: (teamId: string) => doctor.stakeholderChannels(teamId),
      countOutboxRefusals: () => doctor.refusals(),
    },
    deadlineMs,
  );
}

export type UseCases = ReturnType<typeof createUseCases>;
