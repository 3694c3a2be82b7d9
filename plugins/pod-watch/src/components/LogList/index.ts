export { LogList } from './LogList';
export { LogLine } from './LogLine';
