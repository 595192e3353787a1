export * from './model';
export { buildInsightsReport, resolveServiceName, type InsightsQuery } from './report';
