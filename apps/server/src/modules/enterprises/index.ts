export { enterpriseRevealableFields } from './enterprises.pii';
export {
  findEnterprisesByIds,
  findLiaisons,
  findLinkedEnterpriseIds,
  getEnterprise,
} from './enterprises.queries';
export { presentLiaison } from './enterprises.registry.routes';
export { enterprisesRoutes } from './enterprises.routes';
export { importEnterprisesJob } from './enterprises.service';
export { enterpriseLinks, enterprises } from './enterprises.tables';
