export * from './model';
export { buildInsightsReport, findService, type InsightsQuery } from './report';
