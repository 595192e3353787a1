export * from './model';
export { buildInsightsReport, findService, type InsightsQuery } from './report';
/** For figures over other periods (e.g. the digest's weeks): the same SQL definitions, any periods. */
export { incidentFigures, type FigureScope, type IncidentFigures, type MeasuredPeriod } from './figuresRepository';
