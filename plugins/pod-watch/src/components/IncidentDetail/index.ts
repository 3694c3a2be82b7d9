export { IncidentDetail, IncidentDetailBody } from './IncidentDetail';
