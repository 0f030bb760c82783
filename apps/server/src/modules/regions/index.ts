export { findRegion, syncRegions } from './regions.queries';
export { regionsRoutes } from './regions.routes';
export { regions } from './regions.tables';
export { ancestorsOf, isWithin, loadHenanDivisions, regionPrefix, tierOf } from './regions.tree';
