export * from './types';
export * from './permissions';
