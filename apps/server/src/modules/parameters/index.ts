export { parametersRoutes } from './parameters.routes';
export {
  loadParameterStore,
  mapStoreError,
  publishParameterVersion,
  syncParameters,
  valueAt,
} from './parameters.service';
export { parameters, parameterVersions } from './parameters.tables';
