import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Divider from '@material-ui/core/Divider';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import type {
  IndexableDocument,
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import { HighlightedSearchResultText } from '@backstage/plugin-search-react';
import { ReactNode } from 'react';
import { formatAge, incidentTypeLabel } from '../shared';

export { POD_WATCH_SEARCH_TYPE } from './constants';

/**
 * A document of the Pod Watch collator: an incident or a workload. Fields beyond
 * `IndexableDocument` are optional, so older or partial documents still render. @public
 */
export interface PodWatchSearchDocument extends IndexableDocument {
  /** `incident` or `workload` */
  kind?: string;
  /** incident type, e.g. `oom-killed` */
  incidentType?: string;
  /** `open` / `resolved` for incidents, a health class for workloads */
  status?: string;
  severity?: string;
  entityRef?: string;
  cluster?: string;
  namespace?: string;
  lastSeenAt?: string;
}

function Highlighted(props: { field: 'title' | 'text'; fallback: string; highlight?: ResultHighlight }) {
  const { field, fallback, highlight } = props;
  const text = highlight?.fields?.[field];
  if (!text || !highlight) return <>{fallback}</>;
  return <HighlightedSearchResultText text={text} preTag={highlight.preTag} postTag={highlight.postTag} />;
}

/** Search result for incidents and workloads found by Pod Watch. @public */
export function PodWatchSearchResultListItem(props: {
  result?: SearchDocument;
  highlight?: ResultHighlight;
  rank?: number;
  icon?: ReactNode;
}) {
  const { result, highlight, icon } = props;
  if (!result) return null;
  const doc = result as PodWatchSearchDocument;
  const chips = [
    doc.kind === 'incident' && doc.incidentType ? incidentTypeLabel(doc.incidentType) : doc.kind,
    doc.status,
    doc.severity,
    doc.cluster && doc.namespace ? `${doc.cluster}/${doc.namespace}` : doc.cluster,
    doc.lastSeenAt ? `seen ${formatAge(doc.lastSeenAt)} ago` : undefined,
  ].filter((c): c is string => !!c);
  return (
    <>
      <ListItem alignItems="flex-start">
        {icon && <ListItemIcon>{icon}</ListItemIcon>}
        <Box flexWrap="wrap">
          <ListItemText
            primaryTypographyProps={{ variant: 'h6' }}
            primary={
              <Link to={doc.location} noTrack>
                <Highlighted field="title" fallback={doc.title} highlight={highlight} />
              </Link>
            }
            secondary={<Highlighted field="text" fallback={doc.text} highlight={highlight} />}
          />
          <Box>
            {chips.map(c => (
              <Chip key={c} label={c} size="small" variant="outlined" style={{ marginRight: 4 }} />
            ))}
          </Box>
        </Box>
      </ListItem>
      <Divider component="li" />
    </>
  );
}
