export { coverageOf, coverageRatio, endOfBusinessDay } from './whitelist.coverage';
export { standardCriteria } from './whitelist.criteria';
export { whitelistRoutes } from './whitelist.routes';
export {
  sectorOutputTotals,
  whitelistApplicationFiles,
  whitelistApplications,
  whitelistBatches,
  whitelistCriteria,
  whitelistEntries,
  whitelistEntryEvents,
  whitelistSpotChecks,
} from './whitelist.tables';
