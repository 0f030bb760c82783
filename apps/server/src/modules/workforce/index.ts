export { type ModeChange, nextTestDue } from './workforce.cadence';
export { pcrTests } from './workforce.pcr.schema';
export { workforceRevealableFields } from './workforce.pii';
export { ensurePcrTestPartitions, NEW_ID_SQL } from './workforce.queries';
export { WORKFORCE_RETENTION } from './workforce.retention';
export { workforceRoutes } from './workforce.routes';
export {
  raiseOverdueAlerts,
  switchOperatingMode,
  type WorkforceDeps,
  workforceJobs,
} from './workforce.service';
export {
  alerts,
  dailyReports,
  employees,
  operatingModeChanges,
  pcrUnmatchedResults,
} from './workforce.tables';
