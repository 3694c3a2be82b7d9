import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import type {
  ResultHighlight,
  SearchDocument,
} from '@backstage/plugin-search-common';
import { HighlightedSearchResultText } from '@backstage/plugin-search-react';
import {
  HEALTH_EXPLANATIONS,
  type PodHealth,
  type PodWatchIncidentDocument,
  type PodWatchWorkloadDocument,
} from '@pod-watch/plugin-pod-watch-common';
import { ReactNode } from 'react';
import { formatAge, incidentTypeLabel } from '../shared';

export { isPodWatchSearchResult } from './isPodWatchSearchResult';

function Highlighted(props: {
  field: 'title' | 'text';
  fallback: string;
  highlight?: ResultHighlight;
}) {
  const { field, fallback, highlight } = props;
  const text = highlight?.fields?.[field];
  if (!text || !highlight) return <>{fallback}</>;
  return (
    <HighlightedSearchResultText
      text={text}
      preTag={highlight.preTag}
      postTag={highlight.postTag}
    />
  );
}

/** Facts shown as chips: what, how bad, where, when. */
function chipsOf(doc: SearchDocument): string[] {
  const d = doc as Partial<PodWatchIncidentDocument & PodWatchWorkloadDocument>;
  const where =
    d.cluster && d.namespace ? `${d.cluster}/${d.namespace}` : d.cluster;
  if (d.incidentType) {
    return [
      incidentTypeLabel(d.incidentType),
      d.status,
      d.severity,
      d.entityTitle,
      where,
      d.lastSeenAt ? `last seen ${formatAge(d.lastSeenAt)} ago` : undefined,
    ].filter((c): c is string => !!c);
  }
  return [
    d.kind,
    d.health
      ? HEALTH_EXPLANATIONS[d.health as PodHealth]?.label ?? d.health
      : undefined,
    d.pods !== undefined
      ? `${d.pods} pod${d.pods === 1 ? '' : 's'}`
      : undefined,
    d.issue || undefined,
    d.entityTitle,
    where,
  ].filter((c): c is string => !!c);
}

/** Search result for the incidents and workloads Pod Watch indexes. @public */
export function PodWatchSearchResultListItem(props: {
  result?: SearchDocument;
  highlight?: ResultHighlight;
  rank?: number;
  icon?: ReactNode;
}) {
  const { result, highlight, icon } = props;
  if (!result) return null;
  // the search page wraps each result in its own list item and divider (as for catalog results)
  return (
    <Box display="flex" alignItems="flex-start" width="100%">
      {icon && <ListItemIcon>{icon}</ListItemIcon>}
      <Box flexWrap="wrap">
        <ListItemText
          primaryTypographyProps={{ variant: 'h6' }}
          primary={
            <Link to={result.location} noTrack>
              <Highlighted
                field="title"
                fallback={result.title}
                highlight={highlight}
              />
            </Link>
          }
          secondary={
            <Highlighted
              field="text"
              fallback={result.text}
              highlight={highlight}
            />
          }
        />
        <Box>
          {chipsOf(result).map(c => (
            <Chip
              key={c}
              label={c}
              size="small"
              variant="outlined"
              style={{ marginRight: 4 }}
            />
          ))}
        </Box>
      </Box>
    </Box>
  );
}
