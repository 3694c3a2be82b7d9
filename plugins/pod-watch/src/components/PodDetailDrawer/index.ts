export { PodDetailDrawer, EventsTable } from './PodDetailDrawer';
