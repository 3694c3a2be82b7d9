export { IncidentTimeline, timelineRows } from './IncidentTimeline';
