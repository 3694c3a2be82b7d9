export * from './renderer';
export * from './fakeKubeApi';
export * from './dockerfile';
