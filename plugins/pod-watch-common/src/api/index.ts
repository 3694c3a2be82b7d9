export * from './types';
export * from './permissions';
export * from './links';
export * from './search';
