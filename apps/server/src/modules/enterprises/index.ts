export { enterprisesRoutes } from './enterprises.routes';
export { importEnterprisesJob } from './enterprises.service';
export { enterprises } from './enterprises.tables';
