export { assignArrivalCode } from './workforce.arrivals';
export { registerArrival, trackArrivals } from './workforce.arrivals.service';
export { cadenceHoursAt, type ModeChange, nextTestDue } from './workforce.cadence';
export { workforceComplianceRoutes } from './workforce.compliance.routes';
export { columnArray, newIds } from './workforce.ingest.sql';
export { testResultImportJob } from './workforce.ingest.upload';
export { pcrTests } from './workforce.pcr.schema';
export { workforceRevealableFields } from './workforce.pii';
export {
  ensurePcrTestPartitions,
  insertEmployees,
  insertPcrTests,
  NEW_ID_SQL,
  type PcrTestInsert,
} from './workforce.queries';
export { raiseDailyReportReminders } from './workforce.reminders';
export { WORKFORCE_RETENTION } from './workforce.retention';
export { workforceRoutes } from './workforce.routes';
export {
  dailyReportDeadline,
  personColumns,
  raiseOverdueAlerts,
  switchOperatingMode,
  type WorkforceDeps,
  workforceJobs,
} from './workforce.service';
export {
  alerts,
  arrivals,
  dailyReports,
  drugPurchases,
  employees,
  operatingModeChanges,
  pcrUnmatchedResults,
  riskAreas,
} from './workforce.tables';
