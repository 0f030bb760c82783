export * from './access';
export * from './auth';
export * from './errors';
export * from './parameters';
export * from './validators';
export * from './whitelist';
export * from './workforce';
